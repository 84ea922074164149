"""Issue 5's remaining pieces in the real window: a 党小组会 recorded with a scanned sign-in sheet
attached, the sheet then shown in the meeting's details; and 民主评议 for a branch and a year —
every full member 优秀 brings the core's "more than about a third" warning at once, all 合格 clears
it, and the saved grades turn read-only."""

import json
import struct
import subprocess
import tempfile
import zlib
from datetime import date
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, CLI_ENV, SHOTS
from helpers import by_testid, cli_json, click_when_ready, replace_text, scroll_to


def png(width: int, height: int) -> bytes:
    """A small real PNG (a grey sheet with dark lines), so the thumbnail has something to draw."""
    rows = b""
    for y in range(height):
        line = bytes([90 if y % 8 == 0 else 235] * width)
        rows += b"\x00" + line
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def entitled(demo_archive, branch_id: int) -> list[int]:
    """The branch's full members today, as `meeting add --dry-run` counts them."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump({"branch_id": branch_id, "kind": "group", "date": date.today().isoformat(),
                   "topic": "探查"}, file, ensure_ascii=False)
    try:
        run = subprocess.run(
            [str(CLI), "--archive", str(demo_archive), "meeting", "add", file.name, "--dry-run",
             "--json"],
            capture_output=True, text=True, env=CLI_ENV,
        )
    finally:
        Path(file.name).unlink()
    if run.returncode != 0:
        return []
    return [v["member_id"] for v in json.loads(run.stdout)["entitled"]]


def branches(demo_archive) -> list[dict]:
    """Branches from the end of the list, away from those the other tests pick."""
    return list(reversed(cli_json(demo_archive, "branch", "list")))


def choose_branch(driver, wait, branch: dict) -> None:
    click_when_ready(wait, by_testid("nav-meetings"))
    click_when_ready(wait, by_testid("meetings-branch"))
    driver.find_element(By.CSS_SELECTOR, '[data-testid="meetings-branch"] input').send_keys(branch["name"])
    click_when_ready(
        wait,
        (By.CSS_SELECTOR, f'[data-testid="meetings-branch-option"][data-branch-id="{branch["id"]}"]'),
    )
    wait.until(
        lambda d: d.find_element(*by_testid("meetings-branch")).get_attribute("data-value")
        == str(branch["id"])
    )


def click_visible(wait, css: str) -> None:
    """Clicks the displayed one of several matching elements (each select keeps its own popup)."""
    def attempt(d):
        for element in d.find_elements(By.CSS_SELECTOR, css):
            if element.is_displayed():
                try:
                    element.click()
                    return True
                except Exception:  # noqa: BLE001 - a fading popup: try again
                    return False
        return False
    wait.until(attempt)


def test_a_meeting_keeps_its_sign_in_sheet(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    branch = next(b for b in branches(demo_archive)[5:] if entitled(demo_archive, b["id"]))
    folder = Path(tempfile.mkdtemp(prefix="dangan-five-"))
    sheet = folder / "签到表-五号测试.png"
    sheet.write_bytes(png(160, 120))
    topic = f"五号测试：签到表归档 {date.today().isoformat()}"

    choose_branch(driver, wait, branch)
    click_when_ready(wait, by_testid("meetings-record"))
    wait.until(lambda d: d.find_element(*by_testid("meeting-dialog")).is_displayed())
    click_when_ready(wait, by_testid("meeting-kind"))
    click_visible(wait, '[data-testid="meeting-kind-option"][data-kind="group"]')
    wait.until(lambda d: d.find_element(*by_testid("meeting-kind")).get_attribute("data-value") == "group")
    replace_text(driver.find_element(*by_testid("meeting-topic")), topic)
    wait.until(lambda d: d.find_elements(*by_testid("attendance-row")))
    click_when_ready(wait, by_testid("attendance-all-present"))

    # The file input takes the path; the file waits as a tag until the meeting is saved.
    with driver.file_detector_context(UselessFileDetector):
        driver.find_element(
            By.CSS_SELECTOR, '[data-testid="meeting-dialog"] [data-testid="meeting-attachment-file"]'
        ).send_keys(str(sheet))
    pending = wait.until(lambda d: d.find_elements(*by_testid("meeting-attachment-pending")))
    assert sheet.name in pending[0].text, pending[0].text
    scroll_to(driver, driver.find_element(By.CSS_SELECTOR, '[data-testid="meeting-dialog"] [data-testid="meeting-attachments"]'), 200)
    driver.save_screenshot(str(SHOTS / "five-meeting-attach-pending.png"))
    wait.until(lambda d: d.find_element(*by_testid("meeting-save")).get_attribute("disabled") is None)
    click_when_ready(wait, by_testid("meeting-save"))

    # The meeting opens with the sheet among its files, drawn as a thumbnail.
    wait.until(lambda d: d.find_element(*by_testid("meeting-detail")).is_displayed())
    wait.until(lambda d: not d.find_element(*by_testid("meeting-dialog")).is_displayed())
    files = wait.until(
        lambda d: (f := d.find_elements(
            By.CSS_SELECTOR, '[data-testid="meeting-detail"] [data-testid="attachment"]'))
        and f
    )
    assert sheet.name in files[0].get_attribute("textContent"), files[0].get_attribute("textContent")
    wait.until(lambda d: d.find_elements(
        By.CSS_SELECTOR, '[data-testid="meeting-detail"] [data-testid="attachment-thumbnail"] img'))
    assert topic in driver.find_element(*by_testid("meeting-detail-topic")).text
    scroll_to(driver, driver.find_element(By.CSS_SELECTOR, '[data-testid="meeting-detail"] [data-testid="meeting-attachments"]'), 300)
    driver.save_screenshot(str(SHOTS / "five-meeting-attachment.png"))

    # The core has it, under the name it had.
    meetings = cli_json(demo_archive, "meeting", "list", "--branch", str(branch["id"]))
    meeting = next(m for m in meetings if m["topic"] == topic)
    shown = cli_json(demo_archive, "meeting", "show", str(meeting["id"]))
    assert [a["file_name"] for a in shown["attachments"]] == [sheet.name]
    assert shown["attachments"][0]["size"] == sheet.stat().st_size


def test_appraisal_warns_when_too_many_are_excellent(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    year = date.today().year
    branch, members = next(
        (b, e) for b in branches(demo_archive)[12:]
        if 3 <= len(e := entitled(demo_archive, b["id"])) <= 12
        and not cli_json(demo_archive, "appraisal", "list", "--branch", str(b["id"]),
                         "--year", str(year))["grades"]
    )

    choose_branch(driver, wait, branch)
    click_when_ready(wait, (By.ID, "tab-appraisal"))
    rows = wait.until(lambda d: (r := d.find_elements(*by_testid("appraisal-row"))) and len(r) == len(members) and r)
    assert {int(r.get_attribute("data-member-id")) for r in rows} == set(members)

    # Every full member 优秀: the core's dry run warns at once.
    for member_id in members:
        click_when_ready(wait, (By.CSS_SELECTOR, f'[data-testid="appraisal-grade"][data-member-id="{member_id}"]'))
        click_visible(wait, '[data-testid="appraisal-grade-option"][data-grade="excellent"]')
        wait.until(lambda d, m=member_id: d.find_element(
            By.CSS_SELECTOR, f'[data-testid="appraisal-grade"][data-member-id="{m}"]'
        ).get_attribute("data-value") == "excellent")
    # (Each choice is checked again; wait for the answer that counts all of them.)
    warning = wait.until(
        lambda d: (w := d.find_elements(*by_testid("appraisal-warning")))
        and w[0].get_attribute("data-excellent") == str(len(members))
        and w[0]
    )
    allowed = -(-len(members) // 3)
    assert warning.get_attribute("data-allowed") == str(allowed)
    assert "超过约三分之一" in warning.text and f"至多{allowed}名" in warning.text, warning.text
    driver.save_screenshot(str(SHOTS / "five-appraisal-warning.png"))

    # All 合格: no warning; saved in one call, then read-only.
    click_when_ready(wait, by_testid("appraisal-all-qualified"))
    wait.until(lambda d: not d.find_elements(*by_testid("appraisal-warning")))
    wait.until(lambda d: d.find_element(*by_testid("appraisal-save")).get_attribute("disabled") is None)
    click_when_ready(wait, by_testid("appraisal-save"))
    wait.until(lambda d: len(d.find_elements(*by_testid("appraisal-recorded"))) == len(members))
    assert not driver.find_elements(*by_testid("appraisal-grade"))
    wait.until(lambda d: not any(
        m.is_displayed() for m in d.find_elements(By.CSS_SELECTOR, '[data-testid="appraisal"] .el-loading-mask')))
    driver.save_screenshot(str(SHOTS / "five-appraisal-saved.png"))
    listed = cli_json(demo_archive, "appraisal", "list", "--branch", str(branch["id"]), "--year", str(year))
    assert sorted(g["member_id"] for g in listed["grades"]) == sorted(members)
    assert {g["grade"] for g in listed["grades"]} == {"qualified"}


def test_a_folder_of_reports_is_previewed_then_imported(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    today = date.today()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    # Two activists from the end of the list, away from the members the other tests pick.
    people = [m for m in cli_json(demo_archive, "member", "list", "--stage", "activist")
              if m.get("student_no")][-2:]
    before = {m["id"]: len(cli_json(demo_archive, "report", "list", str(m["id"]))) for m in people}
    folder = Path(tempfile.mkdtemp(prefix="dangan-five-reports-"))
    for m in people:
        (folder / f"{m['student_no']}-{m['name']}-{quarter}.txt").write_text(
            f"五号导入测试：{m['name']}本季度思想汇报\n本季度认真学习党的理论，积极参加支部活动。\n",
            encoding="utf-8",
        )
    wrong = folder / f"{people[0]['student_no']}-错名字-{quarter}.txt"
    wrong.write_text("名字不对的汇报", encoding="utf-8")

    click_when_ready(wait, by_testid("nav-reports"))
    click_when_ready(wait, by_testid("reports-import"))
    wait.until(lambda d: d.find_element(*by_testid("report-import-dialog")).is_displayed())
    field = driver.find_element(By.CSS_SELECTOR, 'input[data-testid="report-import-folder"], [data-testid="report-import-folder"] input')
    replace_text(field, str(folder))
    click_when_ready(wait, by_testid("report-import-preview"))

    # The misnamed file is in red; nothing can be imported while it is there.
    error = wait.until(lambda d: (e := d.find_elements(*by_testid("report-import-error"))) and e[0])
    assert "错名字" in error.text and people[0]["name"] in error.text, error.text
    summary = driver.find_element(*by_testid("report-import-summary"))
    assert summary.get_attribute("data-valid") == "2" and summary.get_attribute("data-invalid") == "1"
    assert driver.find_element(*by_testid("report-import-commit")).get_attribute("disabled") is not None
    driver.save_screenshot(str(SHOTS / "five-report-import-preview.png"))

    # Without it: preview again, import both, in one go.
    wrong.unlink()
    click_when_ready(wait, by_testid("report-import-preview"))
    wait.until(lambda d: d.find_element(*by_testid("report-import-summary")).get_attribute("data-invalid") == "0")
    click_when_ready(wait, by_testid("report-import-commit"))
    done = wait.until(lambda d: (e := d.find_elements(*by_testid("report-import-done"))) and e[0])
    assert done.get_attribute("data-created") == "2", done.text
    driver.save_screenshot(str(SHOTS / "five-report-import-done.png"))
    after = {m["id"]: len(cli_json(demo_archive, "report", "list", str(m["id"]))) for m in people}
    assert all(after[i] == before[i] + 1 for i in before), (before, after)
