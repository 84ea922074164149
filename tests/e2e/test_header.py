"""The header and the side navigation at the window sizes of office PCs: the header stays on one
line at 1280 px with the user menu visible; a branch secretary sees the members of their branch
counted in the header, no 审计日志 or 导入导出 entry, and the audit page's address leads back to
the member list. The window is left at its size and logged in as the demo admin."""

import re

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO_ADMIN, SHOTS, ui_login
from helpers import by_testid, cli_json, click_when_ready, log_out

SECRETARY = ("secretary", "demo-secretary")
SECRETARY_BRANCH = "计算机科学与技术学院党委/本科生第一党支部"


def header_layout(driver):
    """The header's parts as the page lays them out: each one's box, and the viewport width."""
    return driver.execute_script(
        """
        const box = (sel) => {
          const el = document.querySelector(sel);
          if (!el) return null;
          const r = el.getBoundingClientRect();
          return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height};
        };
        return {
          width: document.documentElement.clientWidth,
          header: box('.app-header'),
          title: box('.app-header h1'),
          path: box('[data-testid="archive-path"]'),
          members: box('[data-testid="archive-members"]'),
          search: box('[data-testid="global-search"]'),
          user: box('[data-testid="session-user"]'),
          logout: box('[data-testid="session-logout"]'),
        };
        """
    )


def assert_one_line(layout, label):
    one_line = layout["title"]["height"] * 1.5
    for part in ("path", "members", "user", "logout"):
        assert layout[part] is not None, (label, part, layout)
        assert layout[part]["height"] < one_line, (label, part, layout)
        assert layout[part]["bottom"] <= layout["header"]["bottom"], (label, part, layout)
    assert layout["logout"]["right"] <= layout["width"], (label, layout)
    # Side by side, left to right: nothing overlaps.
    order = [layout[p] for p in ("title", "members", "search", "user")]
    for before, after in zip(order, order[1:]):
        assert before["right"] <= after["left"] + 1, (label, layout)


def test_the_header_fits_on_one_line_at_1280_and_1440(driver):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    original = driver.get_window_size()
    try:
        for width, height in ((1280, 800), (1440, 900)):
            driver.set_window_size(width, height)
            wait.until(lambda d: abs(d.execute_script("return window.innerWidth") - width) < 40)
            wait.until(lambda d: d.find_element(*by_testid("archive-members")).text)
            layout = header_layout(driver)
            driver.save_screenshot(str(SHOTS / f"header-{width}x{height}.png"))
            print(f"{width}x{height}: {layout}")
            assert_one_line(layout, f"{width}x{height}")
            members = driver.find_element(*by_testid("archive-members")).text
            assert re.fullmatch(r"共 \d+ 名成员", members), members
            path = driver.find_element(*by_testid("archive-path"))
            assert str(driver.dangan_archive) in path.get_attribute("title")
    finally:
        driver.set_window_size(original["width"], original["height"])


def test_a_secretary_sees_their_count_and_no_audit_entry(driver):
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    original = driver.get_window_size()
    try:
        assert driver.find_elements(*by_testid("nav-audit"))
        log_out(driver, wait)
        # The login reloads the window: wait for the new page (the marker lives on the old one).
        driver.execute_script("window.__danganOldPage = true;")
        ui_login(driver, *SECRETARY)
        wait.until(
            lambda d: d.execute_script("return window.__danganOldPage === undefined")
            and any(el.is_displayed() for el in d.find_elements(*by_testid("member-total")))
        )
        driver.set_window_size(1280, 800)
        expected = len(cli_json(driver.dangan_archive, "member", "list", "--branch", SECRETARY_BRANCH))
        wait.until(
            lambda d: d.find_element(*by_testid("archive-members")).text == f"范围内 {expected} 名成员"
        )
        driver.save_screenshot(str(SHOTS / "header-secretary-1280x800.png"))
        nav = wait.until(
            lambda d: [el.get_attribute("data-testid") for el in d.find_elements(By.CSS_SELECTOR, ".app-side-nav li")]
        )
        assert nav == ["nav-members", "nav-reports", "nav-meetings", "nav-dashboard", "nav-settings"], nav
        layout = header_layout(driver)
        print(f"secretary 1280x800: {layout}")
        assert_one_line(layout, "secretary 1280x800")

        # The audit page's address leads to the member list, without a refusal.
        driver.execute_script("window.location.hash = '#/audit';")
        wait.until(lambda d: d.execute_script("return window.location.hash") == "#/members")
        assert not driver.find_elements(*by_testid("audit"))
    finally:
        driver.set_window_size(original["width"], original["height"])
        # Other tests share the window: leave it logged in as the admin.
        if driver.find_elements(*by_testid("session-logout")):
            log_out(driver, wait)
        ui_login(driver, *DEMO_ADMIN)
