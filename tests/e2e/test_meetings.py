"""Meetings in the real window: a 支部党员大会 of a development target's branch, first without a
quorum (✗, not savable), then with everyone present, a resolution 接收预备党员 and yes votes from
the present full members (✓, passed), saved; the member's timeline then has step 15."""

import json
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, CLI_ENV, SHOTS
from helpers import by_testid, choose_label, cli_json, click_when_ready, replace_text, scroll_to


def dry_run(demo_archive, request: dict) -> dict | None:
    """`dangan meeting add --dry-run`: the core's preview of the meeting, or None if refused."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(request, file, ensure_ascii=False)
    try:
        run = subprocess.run(
            [str(CLI), "--archive", str(demo_archive), "meeting", "add", file.name, "--dry-run",
             "--json"],
            capture_output=True, text=True, env=CLI_ENV,
        )
    finally:
        Path(file.name).unlink()
    return json.loads(run.stdout) if run.returncode == 0 else None


def member_to_admit(demo_archive) -> tuple[dict, dict]:
    """A development target with step 14 and nothing later, in a branch with at least three full
    members, whom a general meeting today may admit (no blocking finding) — taken from the end of
    the list, away from the members the other tests pick — and the core's preview of that
    meeting with every full member present and voting yes."""
    today = date.today().isoformat()
    targets = cli_json(demo_archive, "member", "list", "--stage", "development_target")
    for row in reversed(targets[-400:]):
        member = cli_json(demo_archive, "member", "show", str(row["id"]))
        steps = [e["step"] for e in member["events"] if e["kind"] == "step"]
        if not member["student_no"] or max(steps, default=0) != 14 or member["branch_id"] is None:
            continue
        probe = dry_run(demo_archive, {
            "branch_id": member["branch_id"], "kind": "general_meeting", "date": today,
            "topic": "探查", "attendance": [], "resolutions": [],
        })
        if probe is None or len(probe["entitled"]) < 3:
            continue
        voters = [v["member_id"] for v in probe["entitled"]]
        preview = dry_run(demo_archive, {
            "branch_id": member["branch_id"], "kind": "general_meeting", "date": today,
            "topic": "探查",
            "attendance": [{"member_id": v, "status": "present"} for v in voters],
            "resolutions": [{
                "kind": "admit", "member_id": member["id"], "text": "同意接收",
                "votes": [{"member_id": v, "vote": "yes"} for v in voters],
            }],
        })
        if preview is None:
            continue
        tally = preview["resolutions"][0]
        if tally["passed"] and not any(f["severity"] == "block" for f in tally["findings"]):
            return member, preview
    raise AssertionError(f"no development target ready for admission among {len(targets)}")


def quorum(driver) -> str:
    return driver.find_element(*by_testid("meeting-quorum")).get_attribute("data-quorate")


def save_disabled(driver) -> bool:
    return driver.find_element(*by_testid("meeting-save")).get_attribute("disabled") is not None


def test_general_meeting_admits_a_member(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    member, expected = member_to_admit(demo_archive)
    branch_id = member["branch_id"]
    entitled = len(expected["entitled"])

    # 会议记录, the member's branch.
    click_when_ready(wait, by_testid("nav-meetings"))
    click_when_ready(wait, by_testid("meetings-branch"))
    filter_input = driver.find_element(By.CSS_SELECTOR, '[data-testid="meetings-branch"] input')
    filter_input.send_keys(member["branch"])
    click_when_ready(
        wait,
        (By.CSS_SELECTOR, f'[data-testid="meetings-branch-option"][data-branch-id="{branch_id}"]'),
    )
    wait.until(
        lambda d: d.find_element(*by_testid("meetings-branch")).get_attribute("data-value")
        == str(branch_id)
    )

    # 记录会议: a 支部党员大会 today (the defaults) with its topic; nobody marked present yet.
    click_when_ready(wait, by_testid("meetings-record"))
    wait.until(lambda d: d.find_element(*by_testid("meeting-dialog")).is_displayed())
    assert driver.find_element(*by_testid("meeting-kind")).get_attribute("data-value") == "general_meeting"
    replace_text(driver.find_element(*by_testid("meeting-topic")), "讨论接收预备党员")
    replace_text(driver.find_element(*by_testid("meeting-place")), "党员活动室")
    rows = wait.until(lambda d: d.find_elements(*by_testid("attendance-row")) or None)
    voters = [r for r in rows if r.get_attribute("data-entitled") == "true"]
    assert len(voters) == entitled, (len(voters), entitled)
    for row in rows:
        if row.get_attribute("data-entitled") == "false":
            assert "无表决权" in row.text, row.text

    # Too few present: the core says not quorate, the form shows ✗ and does not offer to save.
    wait.until(lambda d: quorum(d) == "false")
    status = driver.find_element(*by_testid("meeting-quorum"))
    assert "✗" in status.text and f"应到有表决权的正式党员 {entitled} 人，实到 0 人" in status.text, status.text
    assert save_disabled(driver)
    driver.save_screenshot(str(SHOTS / "meeting-not-quorate.png"))

    # Everyone present: quorate ✓.
    click_when_ready(wait, by_testid("attendance-all-present"))
    wait.until(lambda d: quorum(d) == "true")
    status = driver.find_element(*by_testid("meeting-quorum"))
    assert "✓" in status.text, status.text
    assert f"实到 {entitled} 人" in status.text, status.text
    assert f"至少 {expected['quorum']} 人" in status.text, status.text

    # A resolution 接收预备党员 for the member, all present full members voting yes.
    click_when_ready(wait, by_testid("resolution-add"))
    wait.until(lambda d: d.find_element(*by_testid("resolution-kind")).get_attribute("data-value") == "admit")
    click_when_ready(wait, by_testid("resolution-member"))
    click_when_ready(
        wait,
        (By.CSS_SELECTOR, f'[data-testid="resolution-member-option"][data-member-id="{member["id"]}"]'),
    )
    wait.until(
        lambda d: d.find_element(*by_testid("resolution-member")).get_attribute("data-value")
        == str(member["id"])
    )
    click_when_ready(wait, by_testid("votes-all-yes"))
    tally = wait.until(
        lambda d: (t := d.find_elements(*by_testid("resolution-tally")))
        and t[0].get_attribute("data-passed") == "true"
        and "通过" in t[0].text
        and t[0]
    )
    assert tally.get_attribute("data-yes") == str(entitled)
    assert "通过" in tally.text and f"赞成 {entitled} 票" in tally.text, tally.text
    # Only full members have vote controls; probationary members are named apart without one.
    assert len(driver.find_elements(*by_testid("vote-row"))) == entitled
    if len(rows) > entitled:
        no_vote = driver.find_element(*by_testid("vote-no-vote"))
        assert no_vote.get_attribute("data-count") == str(len(rows) - entitled), no_vote.text
        assert "无表决权" in no_vote.text, no_vote.text
    blocking = driver.find_elements(
        By.CSS_SELECTOR, '[data-testid="resolution-finding"][data-severity="block"]'
    )
    assert not blocking, [b.text for b in blocking]
    text = driver.find_element(*by_testid("resolution-text"))
    assert member["name"] in text.get_attribute("value"), text.get_attribute("value")
    wait.until(lambda d: not save_disabled(d))
    scroll_to(driver, driver.find_element(*by_testid("resolution")))
    driver.save_screenshot(str(SHOTS / "meeting-form.png"))

    # Save: the meeting opens with the resolution passed.
    click_when_ready(wait, by_testid("meeting-save"))
    wait.until(lambda d: any("会议已记录" in m.text for m in d.find_elements(By.CSS_SELECTOR, ".el-message")))
    detail = wait.until(
        lambda d: (r := d.find_elements(*by_testid("meeting-detail-resolution"))) and r[0]
    )
    assert detail.get_attribute("data-passed") == "true"
    assert member["name"] in detail.text and "已记入发展档案" in detail.text, detail.text
    driver.save_screenshot(str(SHOTS / "meeting-detail.png"))
    driver.find_element(By.CSS_SELECTOR, '[data-testid="meeting-detail"] .el-dialog__headerbtn').click()
    wait.until(lambda d: not d.find_element(*by_testid("meeting-detail")).is_displayed())
    wait.until(
        lambda d: (r := d.find_elements(*by_testid("meeting-row")))
        and r[0].text == date.today().isoformat()
    )

    # 三会一课: this quarter's general meeting is now held.
    today = date.today()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    click_when_ready(wait, (By.ID, "tab-compliance"))
    period = wait.until(
        lambda d: d.find_element(
            By.CSS_SELECTOR,
            f'[data-testid="compliance-row"][data-kind="general_meeting"] '
            f'[data-testid="compliance-period"][data-period="{quarter}"]',
        )
    )
    wait.until(lambda d: period.get_attribute("data-met") == "true")
    assert period.text.startswith(f"{quarter}：") and "/1" in period.text, period.text
    driver.save_screenshot(str(SHOTS / "meeting-compliance.png"))

    # The member's page: step 15 on the timeline, dated today. The list keeps its filters between
    # visits, so choose the stage (still 发展对象 until the committee approves) whatever it was.
    click_when_ready(wait, by_testid("nav-members"))
    search = wait.until(lambda d: d.find_element(*by_testid("member-search")))
    replace_text(search, member["student_no"])
    choose_label(driver, wait, "member-stage-filter", "发展对象")
    wait.until(
        lambda d: d.find_element(*by_testid("member-table")).get_attribute("data-loading") == "false"
        and [c.text.strip() for c in d.find_elements(*by_testid("member-name-cell"))] == [member["name"]]
    )
    click_when_ready(wait, by_testid("member-name-cell"))
    step15 = wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="timeline-item"][data-step="15"]') or None
    )
    assert "支部大会讨论" in step15[0].text and date.today().isoformat() in step15[0].text, step15[0].text
    scroll_to(driver, step15[0], above=120)
    driver.save_screenshot(str(SHOTS / "meeting-step-15.png"))

    # Further down, the meeting that admitted them, with the resolution passed.
    resolution = wait.until(
        lambda d: (r := d.find_elements(*by_testid("member-meeting-resolution"))) and r[-1]
    )
    assert resolution.get_attribute("data-passed") == "true", resolution.text
    assert "接收预备党员" in resolution.text and f"赞成 {entitled} 票" in resolution.text, resolution.text
    scroll_to(driver, driver.find_element(*by_testid("member-meetings")))
    driver.save_screenshot(str(SHOTS / "meeting-member-section.png"))
