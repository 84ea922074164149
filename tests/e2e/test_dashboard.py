"""统计提醒 and 思想汇报 in the real window: the dashboard's charts drawn on their canvases, the
reminder list with a member's reminder opening that member's file, and the thought-report page
listing the members of a branch who owe reports."""

import subprocess
from datetime import date, timedelta

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, CLI_ENV, SHOTS
from helpers import by_testid, cli_json, click_when_ready, scroll_to

CHARTS = ["chart-funnel", "chart-trend", "chart-stages", "chart-meetings"]


def still(driver) -> bool:
    """No loading mask and no popup is on screen (both fade out, and a screenshot taken during
    the fade shows them half-transparent over the page), and the window has painted since: a
    screenshot right after a dropdown closes can show the page under it unpainted."""
    if any(
        el.is_displayed()
        for el in driver.find_elements(By.CSS_SELECTOR, ".el-loading-mask, .el-popper")
    ):
        return False
    driver.execute_async_script(
        "const done = arguments[0];"
        "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100)));"
    )
    return True


# How many pixels of a chart's canvas are not transparent: ECharts draws on a canvas, so a chart
# that rendered nothing (no data, a failed init, a zero-sized box) leaves it empty.
INKED_PIXELS = """
const canvas = document.querySelector(`[data-testid="${arguments[0]}"] canvas`);
if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let inked = 0;
for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) inked++;
return inked;
"""


def test_dashboard_charts_and_reminders(driver):
    """The four charts are drawn, the reminders of this month are listed by kind with the
    overdue ones marked, and a member's reminder opens that member's file."""
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    click_when_ready(wait, by_testid("nav-dashboard"))
    wait.until(lambda d: d.find_element(*by_testid("dashboard")))
    for chart in CHARTS:
        inked = wait.until(lambda d, chart=chart: d.execute_script(INKED_PIXELS, chart) or None)
        print(f"{chart}: {inked} pixels drawn")
        assert inked > 1000, (chart, inked)
    as_of = driver.find_element(*by_testid("dashboard-as-of")).text
    assert as_of.startswith("截至 "), as_of
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".dashboard-view__charts")
               .get_attribute("data-loading") == "false")
    wait.until(still)
    titles = [t.text for t in driver.find_elements(By.CSS_SELECTOR, ".dashboard-view__card-title")]
    assert titles[0].startswith("发展流程") and "三会一课" in titles[3], titles
    driver.save_screenshot(str(SHOTS / "dashboard-charts.png"))

    def reminders(d):
        box = d.find_element(*by_testid("reminders"))
        if box.get_attribute("data-loading") != "false":
            return None
        return box.find_elements(*by_testid("reminder-item")) or None

    items = wait.until(reminders)
    groups = driver.find_elements(*by_testid("reminder-group"))
    assert groups, "no reminder group"
    total = driver.find_element(*by_testid("reminders-total")).text
    assert total.startswith("共 "), total
    overdue = driver.find_elements(By.CSS_SELECTOR, '[data-testid="reminder-item"][data-overdue="true"]')
    for item in overdue[:5]:
        assert "逾期" in item.text, item.text
    member_items = [i for i in items if i.get_attribute("data-member-id")]
    assert member_items, "no reminder names a member"
    scroll_to(driver, driver.find_element(*by_testid("reminders")))
    wait.until(still)
    driver.save_screenshot(str(SHOTS / "dashboard-reminders.png"))

    item = member_items[0]
    member_id = item.get_attribute("data-member-id")
    name = item.find_element(*by_testid("reminder-who")).text
    scroll_to(driver, item, above=120)
    item.find_element(*by_testid("reminder-who")).click()
    wait.until(lambda d: f"/members/{member_id}" in d.current_url)
    detail = wait.until(lambda d: d.find_element(*by_testid("member-detail")))
    wait.until(lambda d: name in d.find_element(*by_testid("member-detail")).text)
    assert name in detail.text


def member_to_owe_reports(demo_archive) -> tuple[dict, str]:
    """An activist with a student number whose application (step 1) can be moved a year and a
    half earlier without making them too young: after that correction they owe the quarters
    before their first report. The member and the corrected date."""
    activists = cli_json(demo_archive, "member", "list", "--stage", "activist")
    for row in activists[-300:]:
        if not row.get("student_no"):
            continue
        member = cli_json(demo_archive, "member", "show", str(row["id"]))
        step1 = next((e for e in member["events"] if e["kind"] == "step" and e["step"] == 1), None)
        if step1 is None or not member.get("birth_date"):
            continue
        earlier = date.fromisoformat(step1["date"]) - timedelta(days=550)
        born = date.fromisoformat(member["birth_date"])
        if earlier < born.replace(year=born.year + 19):
            continue
        done = subprocess.run(
            [str(CLI), "--archive", str(demo_archive), "step", "correct", str(step1["id"]),
             "--date", earlier.isoformat(), "--note", "e2e: 申请日期笔误", "--json"],
            capture_output=True, text=True, env=CLI_ENV,
        )
        if done.returncode == 0:
            return member, earlier.isoformat()
    raise AssertionError("no activist whose application could be moved earlier")


def test_reports_page_lists_members_owing_reports(driver, demo_archive):
    """A member of a branch whose application is corrected to an earlier date owes the quarters
    since; the branch's page lists them with those quarters, and the name opens their file."""
    member, _ = member_to_owe_reports(demo_archive)
    owed = cli_json(demo_archive, "report", "missing", "--member", str(member["id"]))
    assert owed and owed[0]["missing"], owed
    branch_id = str(member["branch_id"])

    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    click_when_ready(wait, by_testid("nav-reports"))
    wait.until(lambda d: d.find_element(*by_testid("reports-page")))
    click_when_ready(wait, by_testid("reports-branch"))
    click_when_ready(
        wait, (By.CSS_SELECTOR, f'[data-testid="reports-branch-option"][data-branch-id="{branch_id}"]')
    )
    wait.until(lambda d: d.find_element(*by_testid("reports-branch")).get_attribute("data-value") == branch_id)

    def owing_row(d):
        card = d.find_element(*by_testid("reports-owing"))
        if card.get_attribute("data-loading") != "false":
            return None
        links = card.find_elements(
            By.CSS_SELECTOR, f'[data-testid="reports-owing-member"][data-member-id="{member["id"]}"]'
        )
        return links[0] if links else None

    link = wait.until(owing_row)
    assert link.text == member["name"], link.text
    row = link.find_element(By.XPATH, "./ancestor::tr")
    quarters = [q.text for q in row.find_elements(*by_testid("reports-owing-quarter"))]
    assert quarters == owed[0]["missing"][:6], (quarters, owed)
    total = driver.find_element(*by_testid("reports-owing-total")).text
    assert "人欠交" in total, total

    def unreviewed_loaded(d):
        card = d.find_element(*by_testid("reports-unreviewed"))
        return card.get_attribute("data-loading") == "false"

    wait.until(unreviewed_loaded)
    unreviewed = driver.find_element(*by_testid("reports-unreviewed-total")).text
    assert "份未审阅" in unreviewed, unreviewed
    wait.until(still)
    driver.save_screenshot(str(SHOTS / "reports-page.png"))

    link.click()
    wait.until(lambda d: f"/members/{member['id']}" in d.current_url)
    wait.until(lambda d: member["name"] in d.find_element(*by_testid("member-detail")).text)
