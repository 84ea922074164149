"""The IPC layer cannot be talked past the core's scope checks: logged into the real window as the
counselor of one college, the page calls the Tauri commands directly (the way the UI does, through
`__TAURI_INTERNALS__.invoke`) on a member, thought report, meeting and branch of another college.
Every read and write is refused with `forbidden` and each refusal is in the audit trail; the lists
hold only the counselor's college. The window is left logged in as the demo admin."""

import json
import os
import subprocess

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, DEMO_ADMIN, ui_login
from helpers import cli_json, log_out

COUNSELOR = ("counselor", "demo-counselor")
# Their scope is 计算机科学与技术学院党委; the member list names the college without 党委.
COUNSELOR_COLLEGE = "计算机科学与技术学院"

INVOKE = """
const [command, args, done] = arguments;
window.__TAURI_INTERNALS__.invoke(command, args).then(
  (value) => done({ ok: true, value }),
  (error) => done({ ok: false, error }),
);
"""


def invoke(driver, command: str, args: dict):
    return driver.execute_async_script(INVOKE, command, args)


def as_counselor(archive, *args: str):
    env = dict(os.environ, DANGAN_USER=COUNSELOR[0], DANGAN_PASSWORD=COUNSELOR[1])
    out = subprocess.run(
        [str(CLI), "--archive", str(archive), *args, "--json"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    return json.loads(out)


def denied_count(archive) -> int:
    return len(cli_json(archive, "audit", "list", "--action", "access_denied", "--limit", "1000000"))


def elsewhere(archive):
    """A full member of another college who has a thought report, with their branch and one of
    its meetings."""
    members = cli_json(archive, "member", "list", "--stage", "full_member")
    for member in members:
        if member["college"] == COUNSELOR_COLLEGE or member["branch_id"] is None:
            continue
        reports = cli_json(archive, "report", "list", str(member["id"]))
        meetings = cli_json(archive, "meeting", "list", "--branch", str(member["branch_id"]))
        if reports and meetings:
            detail = cli_json(archive, "member", "show", str(member["id"]))
            return member, reports[0]["id"], meetings[0]["id"], detail["events"][0]["id"]
    raise AssertionError("the demo has no member of another college with a report")


def test_the_ipc_layer_refuses_another_college_and_audits_it(driver):
    archive = driver.dangan_archive
    member, report_id, meeting_id, event_id = elsewhere(archive)
    member_id, branch_id = member["id"], member["branch_id"]
    calls = [
        ("member_show", {"id": member_id}),
        ("members_reveal_id", {"id": member_id}),
        ("lifecycle_check_member", {"id": member_id}),
        ("lifecycle_plan", {"id": member_id}),
        ("lifecycle_materials", {"id": member_id}),
        ("lifecycle_event_files", {"id": event_id}),
        ("lifecycle_record_status",
         {"id": member_id, "kind": "transferred_out", "date": "2026-06-01", "note": None}),
        ("reports_list", {"id": member_id}),
        ("reports_show", {"id": report_id}),
        ("reports_review",
         {"id": report_id, "review": {"reviewer": "某老师", "comment": "阅", "date": "2026-06-01"}}),
        ("reports_missing", {"id": member_id}),
        ("reports_missing_of_branch", {"branch": branch_id}),
        ("meetings_show", {"id": meeting_id}),
        ("meetings_list", {"branchId": branch_id, "from": None, "to": None, "kind": None}),
        ("meetings_roll", {"branchId": branch_id, "date": "2026-06-01"}),
        ("meetings_compliance", {"branchId": branch_id, "year": 2026}),
        ("meetings_of_member", {"id": member_id}),
        ("appraisal_list", {"branchId": branch_id, "year": 2025}),
        ("appraisal_of_member", {"id": member_id}),
        ("pdf_dossier", {"id": member_id}),
        # Not the counselor's role at all: the permission check refuses before any scope.
        ("audit_list", {"query": {}}),
        ("backup_now", {}),
        ("users_list", {}),
    ]
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    try:
        log_out(driver, wait)
        ui_login(driver, *COUNSELOR)
        before = denied_count(archive)
        outcomes = {command: invoke(driver, command, args) for command, args in calls}
        refused = {c: o for c, o in outcomes.items() if not o["ok"] and o["error"]["code"] == "forbidden"}
        assert set(refused) == {c for c, _ in calls}, {
            c: o for c, o in outcomes.items() if c not in refused
        }
        audited = denied_count(archive) - before
        assert audited >= len(calls), "every refusal is audited"
        print(f"ipc scope: {len(calls)} commands refused, {audited} access_denied entries")

        # The lists hold only the counselor's college, as the CLI shows it to the same user.
        query = {"text": None, "branch_id": None, "stage": None, "offset": 0, "limit": 500}
        page = invoke(driver, "member_list", {"query": query})
        assert page["ok"], page
        mine = as_counselor(archive, "member", "list")
        assert page["value"]["total"] == len(mine) > 0
        assert {row["college"] for row in page["value"]["rows"]} == {COUNSELOR_COLLEGE}
        hits = invoke(driver, "search_query", {"query": member["name"], "limit": 50})
        assert hits["ok"], hits
        assert all(hit["member_id"] != member_id for hit in hits["value"]["hits"])
    finally:
        log_out(driver, wait)
        ui_login(driver, *DEMO_ADMIN)
