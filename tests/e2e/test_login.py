"""Logging in: a wrong password is refused with the core's message; the branch secretary sees
only their branch's members; the window is left logged in as the demo admin, as it was found."""

import re

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO_ADMIN, SHOTS, ui_login
from helpers import by_testid, cli_json, click_when_ready, log_out

SECRETARY = ("secretary", "demo-secretary")
SECRETARY_BRANCH = "计算机科学与技术学院党委/本科生第一党支部"


def shown_total(driver) -> int:
    text = driver.find_element(*by_testid("member-total")).text
    return int(re.search(r"\d+", text.replace(",", "")).group())


def test_wrong_password_then_the_secretary_sees_only_their_branch(driver):
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    try:
        log_out(driver, wait)
        driver.save_screenshot(str(SHOTS / "login-page.png"))
        driver.find_element(*by_testid("login-username")).send_keys("admin")
        driver.find_element(*by_testid("login-password")).send_keys("not-the-password")
        driver.find_element(*by_testid("login-submit")).click()
        wait.until(
            lambda d: any(
                "用户名或密码不正确" in el.text for el in d.find_elements(*by_testid("login-error"))
            )
        )
        driver.save_screenshot(str(SHOTS / "login-refused.png"))

        ui_login(driver, *SECRETARY)
        expected = len(cli_json(driver.dangan_archive, "member", "list", "--branch", SECRETARY_BRANCH))
        wait.until(lambda d: shown_total(d) == expected)
        assert 0 < expected < len(cli_json(driver.dangan_archive, "member", "list"))
        assert "支部书记" in driver.find_element(*by_testid("session-user")).text
        driver.save_screenshot(str(SHOTS / "login-secretary.png"))
    finally:
        # Other tests share the window: leave it logged in as the admin.
        if driver.find_elements(*by_testid("session-logout")):
            log_out(driver, wait)
        ui_login(driver, *DEMO_ADMIN)
