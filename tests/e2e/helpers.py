"""What the end-to-end tests share: finding elements by test id, clicking and typing the way a
person does through Element Plus' fading popups, scrolling for screenshots, and asking the CLI
about the same archive."""

import json
import subprocess
from pathlib import Path

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, CLI_ENV


def by_testid(testid: str) -> tuple[str, str]:
    return By.CSS_SELECTOR, f'[data-testid="{testid}"]'


def cli_json(archive: Path, *args: str):
    """What `dangan --archive ARCHIVE ARGS --json` prints, parsed."""
    out = subprocess.run(
        [str(CLI), "--archive", str(archive), *args, "--json"],
        check=True, capture_output=True, text=True, env=CLI_ENV,
    ).stdout
    return json.loads(out)


def click_when_ready(wait: WebDriverWait, locator: tuple[str, str]) -> None:
    """Clicks once the element is there, enabled and takes the click (popups and dialogs fade
    in)."""

    def attempt(d):
        try:
            element = d.find_element(*locator)
            if not element.is_displayed() or not element.is_enabled():
                return False
            element.click()
            return True
        except (ElementNotInteractableException, ElementClickInterceptedException,
                StaleElementReferenceException):
            return False

    wait.until(attempt)


def choose(driver, wait: WebDriverWait, select: tuple[str, str], option: tuple[str, str], chosen) -> None:
    """Opens an el-select and clicks the first showing match of `option` until `chosen(driver)`
    holds.

    A click on an option can do nothing: the dropdown of an earlier choice may still be fading
    out, or this one still fading in, on a loaded machine. So the choice is retried a few times;
    the select is opened again only when none of its options shows."""

    def holds(d) -> bool:
        try:
            return bool(chosen(d))
        except (NoSuchElementException, StaleElementReferenceException):
            return False

    def option_showing(d) -> bool:
        try:
            return any(e.is_displayed() for e in d.find_elements(*option))
        except StaleElementReferenceException:
            return False

    def click_option(d) -> bool:
        # The first match that shows: closed dropdowns stay in the page, hidden.
        try:
            shown = [e for e in d.find_elements(*option) if e.is_displayed()]
            if not shown or not shown[0].is_enabled():
                return False
            shown[0].click()
            return True
        except (ElementNotInteractableException, ElementClickInterceptedException,
                StaleElementReferenceException):
            return False

    short = WebDriverWait(driver, 5)
    for _ in range(3):
        if not option_showing(driver):
            click_when_ready(wait, select)
        wait.until(click_option)
        try:
            short.until(holds)
            return
        except TimeoutException:
            continue
    wait.until(holds)


def choose_label(driver, wait: WebDriverWait, select_testid: str, label: str) -> None:
    """`choose` for an el-select (by test id) whose chosen option shows its label."""
    shown = (By.CSS_SELECTOR, f'[data-testid="{select_testid}"] .el-select__placeholder')
    choose(
        driver,
        wait,
        by_testid(select_testid),
        (By.XPATH, f"//li[contains(@class,'el-select-dropdown__item')][normalize-space()='{label}']"),
        lambda d: d.find_element(*shown).text.strip() == label
        and "is-transparent" not in (d.find_element(*shown).get_attribute("class") or ""),
    )


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


def scroll_to(driver, element, above: int = 16) -> None:
    """WebKit's screenshots ignore scrolled containers: scroll the element's nearest scroller so
    that the element is `above` pixels below its top."""
    driver.execute_script(
        """
        let el = arguments[0];
        for (let box = el.parentElement; box; box = box.parentElement) {
            if (box.scrollHeight > box.clientHeight + 1) {
                box.scrollTop = el.getBoundingClientRect().top - box.getBoundingClientRect().top
                    + box.scrollTop - arguments[1];
                break;
            }
        }
        """,
        element,
        above,
    )


def log_out(driver, wait):
    """Logs out and waits for the reloaded window's login page (the marker lives on the old page)."""
    driver.execute_script("window.__danganOldPage = true;")
    click_when_ready(wait, by_testid("session-logout"))
    wait.until(
        lambda d: d.execute_script("return window.__danganOldPage === undefined")
        and d.find_elements(*by_testid("login-username"))
    )
