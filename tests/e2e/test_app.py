"""The real window: the member list in Chinese, search, a member's timeline, recording a
development step that the rules warn about, and extending a probation (refused, then saved) and
attaching a scan to a step."""

import re
import time
from datetime import date, timedelta

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO_MEMBERS, SHOTS
from helpers import by_testid, choose, choose_label, cli_json, click_when_ready, replace_text, scroll_to

HAN = re.compile(r"[\u4e00-\u9fff]")


def table_names(driver) -> list[str]:
    cells = driver.find_elements(*by_testid("member-name-cell"))
    return [cell.text.strip() for cell in cells]


def settled(driver) -> bool:
    """The table shows the answer to the latest query, not an earlier keystroke's."""
    table = driver.find_element(*by_testid("member-table"))
    return table.get_attribute("data-loading") == "false"


def test_member_list_search_and_timeline(driver):
    # Rows are re-rendered while a query answers; an element gone stale is simply read again.
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))

    # The list appears with the whole demo archive counted (polled often, to time the start-up).
    total = WebDriverWait(
        driver, 30, poll_frequency=0.02, ignored_exceptions=(StaleElementReferenceException,)
    ).until(
        lambda d: (el := d.find_element(*by_testid("member-total")))
        and str(DEMO_MEMBERS) in el.text
        and el
    )
    since_page_load = driver.execute_script("return performance.now()") / 1000
    print(
        f"first list of {DEMO_MEMBERS} shown {time.monotonic() - driver.dangan_started:.2f} s "
        f"after the WebDriver session was requested, {since_page_load:.2f} s after the page began "
        "loading"
    )
    names = wait.until(lambda d: table_names(d) or None)
    assert all(HAN.search(name) for name in names), names
    nav = driver.find_element(*by_testid("nav-members")).text
    assert "党员档案" in nav
    driver.save_screenshot(str(SHOTS / "member-list.png"))

    # Search for one of the names shown: every row then carries it, and the total shrinks.
    name = names[3]
    search = driver.find_element(*by_testid("member-search"))
    search.click()
    search.send_keys(name)
    wait.until(lambda d: str(DEMO_MEMBERS) not in d.find_element(*by_testid("member-total")).text)
    found = wait.until(
        lambda d: settled(d) and (n := table_names(d)) and all(name in x for x in n) and n
    )
    driver.save_screenshot(str(SHOTS / "member-search.png"))

    # Open the member: basic information and the development timeline.
    # The exact name is usually on the first page; otherwise any row (they all contain it) will do.
    index = found.index(name) if name in found else 0
    # WebKit's driver finds a table row itself not interactable: click its name cell.
    driver.find_elements(*by_testid("member-name-cell"))[index].click()
    wait.until(lambda d: d.find_element(*by_testid("member-detail")))
    heading = driver.find_element(*by_testid("member-name")).text
    assert name in heading
    items = wait.until(lambda d: d.find_elements(*by_testid("timeline-item")) or None)
    first = items[0].text
    assert "递交入党申请书" in first, first
    assert re.search(r"\d{4}-\d{2}-\d{2}", first), first
    driver.save_screenshot(str(SHOTS / "member-detail.png"))
    assert total is not None


def applicant_awaiting_talk(demo_archive, today: date) -> tuple[dict, date]:
    """An applicant whose file is exactly one step 1, at least 45 days old, and that step's date."""
    applicants = cli_json(demo_archive, "member", "list", "--stage", "applicant")
    for row in applicants[:500]:
        member = cli_json(demo_archive, "member", "show", str(row["id"]))
        events = member["events"]
        if len(events) != 1 or events[0]["kind"] != "step" or events[0]["step"] != 1:
            continue
        applied = date.fromisoformat(events[0]["date"])
        if applied <= today - timedelta(days=45) and member["student_no"]:
            return member, applied
    raise AssertionError(
        f"no applicant with only step 1 dated 45+ days before {today} among the first "
        f"{min(len(applicants), 500)} of {len(applicants)} (is the demo dated back? see DEMO_AS_OF)"
    )


def dialog_open(driver) -> bool:
    return any(el.is_displayed() for el in driver.find_elements(*by_testid("step-dialog")))


def close_date_panel(driver) -> None:
    """The date picker's panel stays open after typing and covers the fields below it; a click on
    the dialog's title closes it (Escape would close the dialog too)."""
    title = (By.CSS_SELECTOR, '[data-testid="step-dialog"] .el-dialog__title')
    click_when_ready(WebDriverWait(driver, 10), title)


def test_add_step_with_a_warning(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    today = date.today()  # the app's "today" is the real one, as here
    member, applied = applicant_awaiting_talk(demo_archive, today)
    talk_day = (applied + timedelta(days=40)).isoformat()

    # Find the member by student number from the list page (tauri:// cannot be driver.get).
    click_when_ready(wait, by_testid("nav-members"))
    search = wait.until(lambda d: d.find_element(*by_testid("member-search")))
    replace_text(search, member["student_no"])
    wait.until(lambda d: settled(d) and table_names(d) == [member["name"]])
    click_when_ready(wait, by_testid("member-name-cell"))
    wait.until(lambda d: member["name"] in d.find_element(*by_testid("member-name")).text)
    wait.until(lambda d: len(d.find_elements(*by_testid("timeline-item"))) == 1)
    wait.until(
        lambda d: d.find_element(*by_testid("member-findings")).get_attribute("data-loading")
        == "false"
    )

    # Open the dialog and choose step 2, 党组织派人谈话.
    click_when_ready(wait, by_testid("add-step-button"))
    wait.until(lambda d: dialog_open(d))
    click_when_ready(wait, by_testid("step-select"))
    click_when_ready(wait, (By.CSS_SELECTOR, '[data-testid="step-option"][data-step="2"]'))
    wait.until(lambda d: d.find_element(*by_testid("step-select")).get_attribute("data-value") == "2")
    assert "党组织派人谈话" in driver.find_element(*by_testid("step-select")).text

    names = driver.find_elements(*by_testid("person-name"))
    assert names, "step 2 offers a talker row"
    replace_text(names[0], "王老师")

    # A talk dated before the application is too early: the preview shows the blocking rule.
    too_early = (applied - timedelta(days=5)).isoformat()
    date_input = driver.find_element(By.CSS_SELECTOR, '[data-testid="step-date"] input')
    replace_text(date_input, too_early)
    date_input.send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_element(*by_testid("step-date")).get_attribute("data-value") == too_early)
    close_date_panel(driver)
    early = wait.until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR,
            '[data-testid="step-preview"][data-state="done"] '
            '[data-testid="preview-finding"][data-severity="block"]',
        )
        or None
    )
    assert any("早于" in item.text for item in early), [item.text for item in early]
    driver.save_screenshot(str(SHOTS / "add-step-too-early.png"))

    # Type the date 40 days after the application: more than the month the rule allows.
    date_input = driver.find_element(By.CSS_SELECTOR, '[data-testid="step-date"] input')
    replace_text(date_input, talk_day)
    date_input.send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_element(*by_testid("step-date")).get_attribute("data-value") == talk_day)
    close_date_panel(driver)

    # The preview warns (and does not block) that the talk came later than a month.
    def preview_warning(d):
        preview = d.find_element(*by_testid("step-preview"))
        if preview.get_attribute("data-state") != "done":
            return None
        warnings = [
            item for item in preview.find_elements(*by_testid("preview-finding"))
            if item.get_attribute("data-severity") == "warn" and re.search("[一1]个月", item.text)
        ]
        return warnings or None

    wait.until(preview_warning)
    blocking = driver.find_elements(By.CSS_SELECTOR, '[data-testid="preview-finding"][data-severity="block"]')
    assert not blocking, [item.text for item in blocking]
    driver.save_screenshot(str(SHOTS / "add-step.png"))

    # Save: the dialog closes, the timeline grows, and the check now shows the warning.
    click_when_ready(wait, by_testid("step-save"))
    wait.until(lambda d: any("已记录" in m.text for m in d.find_elements(By.CSS_SELECTOR, ".el-message")))
    wait.until(lambda d: not dialog_open(d))
    items = wait.until(lambda d: (i := d.find_elements(*by_testid("timeline-item"))) and len(i) == 2 and i)
    assert "党组织派人谈话" in items[1].text, items[1].text
    assert talk_day in items[1].text, items[1].text

    def recorded_warning(d):
        section = d.find_element(*by_testid("member-findings"))
        if section.get_attribute("data-loading") != "false":
            return None
        found = [
            item for item in section.find_elements(*by_testid("finding"))
            if item.get_attribute("data-severity") == "warn"
            and re.search("[一1]个月", item.text)
            and talk_day in item.text
        ]
        return found or None

    wait.until(recorded_warning)
    driver.save_screenshot(str(SHOTS / "add-step-saved.png"))

    # Below the timeline: the plan of the remaining steps and the materials checklist. The
    # application letter is required and no scan was filed, so it is missing.
    materials = wait.until(lambda d: d.find_element(*by_testid("member-materials")))
    rows = wait.until(lambda d: d.find_elements(*by_testid("material-row")) or None)
    states = {row.get_attribute("data-material"): row.get_attribute("data-state") for row in rows}
    assert states.get("application_letter") == "missing", states
    assert states.get("volunteer_form") == "not_due", states
    plan = wait.until(
        lambda d: (el := d.find_element(*by_testid("member-plan"))) and "第3步" in el.text and el
    )
    # WebKit's element screenshots ignore scrolled containers: scroll the page's own scroller.
    scroll_into_view = """
        let el = arguments[0];
        for (let box = el.parentElement; box; box = box.parentElement) {
            if (box.scrollHeight > box.clientHeight + 1) {
                box.scrollTop = el.getBoundingClientRect().top - box.getBoundingClientRect().top
                    + box.scrollTop - 16;
                break;
            }
        }
    """
    driver.execute_script(scroll_into_view, plan)
    driver.save_screenshot(str(SHOTS / "member-plan.png"))
    driver.execute_script(scroll_into_view, materials)
    driver.save_screenshot(str(SHOTS / "member-materials.png"))


def png_bytes(width: int, height: int) -> bytes:
    """A small valid PNG: red and gold stripes, so a thumbnail is plainly visible."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(
            bytes((200, 16, 46)) if (x // 8) % 2 == 0 else bytes((255, 204, 0))
            for x in range(width)
        )
        for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def probationary_member_to_extend(demo_archive) -> dict:
    """A probationary member past admission approval (step 17), before the conversion meeting
    (step 23), never extended: one a probation extension today is allowed for."""
    members = cli_json(demo_archive, "member", "list", "--stage", "probationary_member")
    for row in members[:300]:
        member = cli_json(demo_archive, "member", "show", str(row["id"]))
        steps = [e["step"] for e in member["events"] if e["kind"] == "step"]
        kinds = {e["kind"] for e in member["events"]}
        if (member["student_no"] and 17 <= max(steps, default=0) <= 22
                and "probation_extended" not in kinds):
            return member
    raise AssertionError(f"no probationary member between steps 17 and 22 among {len(members)}")


def choose_option(driver, wait: WebDriverWait, select_testid: str, option_css: str, value: str) -> None:
    """Opens an el-select by its test id and clicks one of its options; waits for the value."""
    choose(
        driver,
        wait,
        by_testid(select_testid),
        (By.CSS_SELECTOR, option_css),
        lambda d: d.find_element(*by_testid(select_testid)).get_attribute("data-value") == value,
    )


def test_extend_probation_and_attach_a_scan(driver, demo_archive, tmp_path):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    member = probationary_member_to_extend(demo_archive)

    # The list filtered to 预备党员, then searched by the member's student number.
    click_when_ready(wait, by_testid("nav-members"))
    search = wait.until(lambda d: d.find_element(*by_testid("member-search")))
    replace_text(search, member["student_no"])
    choose_label(driver, wait, "member-stage-filter", "预备党员")
    wait.until(lambda d: settled(d) and table_names(d) == [member["name"]])
    click_when_ready(wait, by_testid("member-name-cell"))
    wait.until(lambda d: member["name"] in d.find_element(*by_testid("member-name")).text)
    steps_shown = len(member["events"])
    wait.until(lambda d: len(d.find_elements(*by_testid("timeline-item"))) == steps_shown)

    # 更多操作 → 延长预备期.
    click_when_ready(wait, by_testid("more-actions"))
    click_when_ready(wait, by_testid("more-extend"))
    wait.until(lambda d: d.find_element(*by_testid("extension-dialog")).is_displayed())
    preview_css = '[data-testid="extension-dialog"] [data-testid="step-preview"][data-state="done"]'
    save = by_testid("extension-save")

    # Four months: the rule (6 to 12 months) blocks it, and saving is not offered.
    choose_option(
        driver, wait, "extension-months",
        '[data-testid="extension-months-option"][data-months="4"]', "4",
    )
    blocking = wait.until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR,
            f'{preview_css} [data-testid="preview-finding"][data-severity="block"]',
        )
        or None
    )
    assert any("6至12个月" in item.text for item in blocking), [item.text for item in blocking]
    assert not driver.find_element(*save).is_enabled()
    driver.save_screenshot(str(SHOTS / "extend-probation-blocked.png"))

    # Six months: nothing blocks, and it is saved.
    choose_option(
        driver, wait, "extension-months",
        '[data-testid="extension-months-option"][data-months="6"]', "6",
    )
    wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, preview_css)
        and not d.find_elements(
            By.CSS_SELECTOR,
            f'{preview_css} [data-testid="preview-finding"][data-severity="block"]',
        )
        and d.find_element(*save).is_enabled()
    )
    driver.save_screenshot(str(SHOTS / "extend-probation.png"))
    click_when_ready(wait, save)
    wait.until(lambda d: not d.find_element(*by_testid("extension-dialog")).is_displayed())

    # The timeline shows the extension with its months.
    extension = wait.until(
        lambda d: d.find_element(
            By.CSS_SELECTOR, '[data-testid="timeline-item"][data-event-kind="probation_extended"]'
        )
    )
    assert "延长预备期" in extension.text, extension.text
    assert "预备期延长6个月" in extension.text, extension.text
    assert date.today().isoformat() in extension.text, extension.text
    shown = cli_json(demo_archive, "member", "show", str(member["id"]))
    assert [e["months"] for e in shown["events"] if e["kind"] == "probation_extended"] == [6]
    scroll_to(driver, extension, 240)
    driver.save_screenshot(str(SHOTS / "extend-probation-saved.png"))

    # Attach a PNG to step 17 (its material: the admission approval) through the file input;
    # its thumbnail appears under the step.
    scan = tmp_path / "入党志愿书扫描.png"
    scan.write_bytes(png_bytes(96, 64))
    step_17 = (By.CSS_SELECTOR, '[data-testid="timeline-item"][data-step="17"]')
    driver.find_element(*step_17).find_element(*by_testid("timeline-attach")).click()
    wait.until(lambda d: d.find_element(*by_testid("evidence-dialog")).is_displayed())
    assert driver.find_element(*by_testid("evidence-material")).get_attribute("data-value") == (
        "admission_approval"
    )
    # tauri-driver runs on this machine and has no upload endpoint: type the local path as it is.
    with driver.file_detector_context(UselessFileDetector):
        driver.find_element(*by_testid("evidence-file")).send_keys(str(scan))
    wait.until(lambda d: d.find_element(*by_testid("evidence-save")).is_enabled())
    driver.save_screenshot(str(SHOTS / "attach-evidence.png"))
    click_when_ready(wait, by_testid("evidence-save"))
    wait.until(lambda d: not d.find_element(*by_testid("evidence-dialog")).is_displayed())

    def thumbnail_loaded(d):
        item = d.find_element(*step_17)
        images = item.find_elements(By.CSS_SELECTOR, '[data-testid="attachment-thumbnail"] img')
        loaded = images and d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", images[0]
        )
        return item if loaded == 96 else None

    item = wait.until(thumbnail_loaded)
    scroll_to(driver, item, 200)
    driver.save_screenshot(str(SHOTS / "attach-evidence-saved.png"))
    attachment = item.find_element(*by_testid("attachment"))
    assert attachment.get_attribute("data-material") == "admission_approval"
    caption = attachment.get_attribute("textContent")
    assert "入党志愿书扫描.png" in caption, caption


def test_search_reports_and_open_one(driver):
    """The header's search finds thought reports by a two-character Chinese word, marks it in
    each snippet, and a report hit opens its author's file with that report's text shown."""
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    word = "党史"
    box = wait.until(lambda d: d.find_element(*by_testid("global-search")))
    replace_text(box, word)
    started = time.monotonic()
    box.send_keys(Keys.ENTER)

    def report_hits(d):
        page = d.find_element(*by_testid("search-results"))
        if page.get_attribute("data-loading") != "false":
            return None
        hits = d.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"][data-kind="thought_report"]')
        return hits or None

    hits = wait.until(report_hits)
    print(f"search for {word}: {len(hits)} report hits shown {time.monotonic() - started:.2f} s after Enter")
    assert f"q={word}" in driver.current_url or "q=%E5%85%9A%E5%8F%B2" in driver.current_url
    total = driver.find_element(*by_testid("search-total")).text
    assert re.search(r"共 \d+ 条结果", total), total
    for hit in hits[:10]:
        assert "思想汇报" in hit.text, hit.text
        marks = [m.text for m in hit.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit-snippet"] mark')]
        # A hit found by its title alone (listed first when too many match to rank) has no
        # mark in its snippet: the word is then in the title.
        assert all(m == word for m in marks), marks
        assert marks or word in hit.text, hit.text
    driver.save_screenshot(str(SHOTS / "search-results.png"))

    # Open a hit whose snippet marks the word, so that its text holds it; when every hit shown
    # was found by its title alone (how many match, and so their order, depends on the demo's
    # size), the first one, whose title holds it. Clicked by its title: WebKit's driver is
    # fussy about clicking list items.
    def marked(hit):
        return bool(hit.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit-snippet"] mark'))

    first = next((hit for hit in hits if marked(hit)), hits[0])
    report_id = first.get_attribute("data-id")
    title = first.find_element(*by_testid("search-hit-title")).text
    first.find_element(*by_testid("search-hit-title")).click()
    wait.until(lambda d: d.find_element(*by_testid("member-detail")))
    assert f"report={report_id}" in driver.current_url, driver.current_url

    def viewer_body(d):
        bodies = [b for b in d.find_elements(*by_testid("report-viewer-body")) if b.is_displayed()]
        return bodies[0] if bodies and bodies[0].text else None

    body = wait.until(viewer_body)
    assert word in body.text or word in title, (title, body.text[:200])
    viewer = [v for v in driver.find_elements(By.CSS_SELECTOR, ".el-dialog") if v.is_displayed()][0]
    assert title in viewer.text, (title, viewer.text[:200])
    driver.save_screenshot(str(SHOTS / "search-report-opened.png"))

    # The member's 思想汇报 section lists that report.
    close = viewer.find_element(By.CSS_SELECTOR, ".el-dialog__headerbtn")
    close.click()
    wait.until(lambda d: not any(b.is_displayed() for b in d.find_elements(*by_testid("report-viewer-body"))))
    section = driver.find_element(*by_testid("member-reports"))
    row = section.find_element(By.CSS_SELECTOR, f'[data-testid="report-row"][data-report-id="{report_id}"]')
    scroll_to(driver, section)
    driver.save_screenshot(str(SHOTS / "member-reports.png"))
    assert re.fullmatch(r"\d{4}Q[1-4]", row.text), row.text
