"""The real window: the member list in Chinese, search, a member's timeline, and recording a
development step that the rules warn about."""

import json
import re
import subprocess
import time
from datetime import date, timedelta

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, DEMO_MEMBERS, SHOTS

HAN = re.compile(r"[\u4e00-\u9fff]")


def by_testid(testid: str) -> tuple[str, str]:
    return By.CSS_SELECTOR, f'[data-testid="{testid}"]'


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


def cli_json(demo_archive, *args: str):
    out = subprocess.run(
        [str(CLI), "--archive", str(demo_archive), *args, "--json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


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


def click_when_ready(wait: WebDriverWait, locator: tuple[str, str]) -> None:
    """Clicks once the element is there and takes the click (popups fade in)."""

    def attempt(d):
        try:
            element = d.find_element(*locator)
            if not element.is_displayed():
                return False
            element.click()
            return True
        except (ElementNotInteractableException, ElementClickInterceptedException):
            return False

    wait.until(attempt)


def dialog_open(driver) -> bool:
    return any(el.is_displayed() for el in driver.find_elements(*by_testid("step-dialog")))


def replace_text(element, text: str) -> None:
    """Types text over whatever an input holds (clear() bypasses Vue's input events). The click
    that focuses it is retried while a closing popup (a select's dropdown, a date panel) still
    covers it."""

    def focus(_driver) -> bool:
        try:
            element.click()
            return True
        except (ElementNotInteractableException, ElementClickInterceptedException):
            return False

    WebDriverWait(element.parent, 10, poll_frequency=0.1).until(focus)
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.BACKSPACE)
    element.send_keys(text)


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
