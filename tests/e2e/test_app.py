"""The real window: the member list in Chinese, search, and a member's timeline."""

import re
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO_MEMBERS, SHOTS

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
