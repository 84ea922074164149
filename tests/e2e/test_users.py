"""用户管理 in the real window: the admin creates a counselor with a scope picked in the
organisation tree, sees it in the table, disables it (after the confirmation) — then the CLI's
login as that user fails with exit 8 saying the account is disabled — and enables it again, after
which the login works. The account is one this test makes, with a name no other test uses."""

import os
import subprocess
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, SHOTS
from helpers import by_testid, cli_json, click_when_ready, replace_text

COLLEGE = "计算机科学与技术学院党委"
PASSWORD = "e2e-users-password"


def login_as(archive, username: str) -> subprocess.CompletedProcess:
    """`dangan info` logged in as `username`: the CLI's login, nothing else."""
    env = dict(os.environ, DANGAN_USER=username, DANGAN_PASSWORD=PASSWORD)
    return subprocess.run(
        [str(CLI), "--archive", str(archive), "info", "--json"],
        capture_output=True, text=True, env=env,
    )


def users_loaded(d) -> bool:
    return d.find_element(*by_testid("settings-users")).get_attribute("data-loading") == "false"


def state_of(driver, username: str) -> str | None:
    names = [el.text for el in driver.find_elements(*by_testid("user-name"))]
    if username not in names:
        return None
    return driver.find_elements(*by_testid("user-state"))[names.index(username)].text


def confirm_toggle(driver, wait, username: str, expected_state: str) -> None:
    """停用/启用 in the user's row, then the confirmation's button, then the state in the table."""
    click_when_ready(
        wait, (By.CSS_SELECTOR, f'[data-testid="user-actions-{username}"] [data-testid="user-toggle"]')
    )
    what = wait.until(lambda d: (els := d.find_elements(*by_testid("disable-what"))) and els[0].is_displayed() and els[0])
    assert username in what.text, what.text
    click_when_ready(wait, by_testid("users-dialog-save"))
    wait.until(lambda d: state_of(d, username) == expected_state)
    # The dialog has faded out (for the screenshots).
    wait.until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('.el-overlay')]"
            ".every((o) => getComputedStyle(o).display === 'none')"
        )
    )


def test_admin_creates_disables_and_enables_a_counselor(driver, demo_archive):
    wait = WebDriverWait(driver, 120, ignored_exceptions=(StaleElementReferenceException,))
    username = f"e2e_users_{int(time.time())}"

    click_when_ready(wait, by_testid("nav-settings"))
    click_when_ready(wait, (By.ID, "tab-users"))
    wait.until(users_loaded)
    assert state_of(driver, "admin") == "正常"

    # 新建用户: a counselor of the college, its scope checked in the organisation tree.
    click_when_ready(wait, by_testid("users-create"))
    field = wait.until(lambda d: (els := d.find_elements(By.CSS_SELECTOR, 'input[data-testid="new-username"]')) and els[0].is_displayed() and els[0])
    replace_text(field, username)
    replace_text(driver.find_element(By.CSS_SELECTOR, 'input[data-testid="new-display-name"]'), "端到端测试辅导员")
    replace_text(driver.find_element(By.CSS_SELECTOR, 'input[data-testid="new-password"]'), PASSWORD)
    replace_text(driver.find_element(By.CSS_SELECTOR, 'input[data-testid="new-password-repeat"]'), PASSWORD)
    replace_text(driver.find_element(By.CSS_SELECTOR, 'input[data-testid="scope-filter"]'), COLLEGE)
    # WebKit's driver answers "not interactable" for the tree's checkboxes (its filtered-out
    # rows are display:none), so the unit's checkbox is clicked from the page, as a click would.
    wait.until(
        lambda d: d.execute_script(
            """
            const node = [...document.querySelectorAll('[data-testid="scope-tree"] .el-tree-node__content')]
                .find((n) => n.offsetParent !== null
                    && n.querySelector('.el-tree-node__label')?.textContent.trim() === arguments[0]);
            if (!node) return false;
            node.querySelector('input.el-checkbox__original').click();
            return true;
            """,
            COLLEGE,
        )
    )
    wait.until(lambda d: d.find_element(*by_testid("users-dialog-save")).is_enabled())
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="scope-tree"] .el-checkbox.is-checked'))
    # WebKit's screenshot shows the last frame painted, which lags the DOM a little.
    time.sleep(1)
    driver.save_screenshot(str(SHOTS / "users-create.png"))
    click_when_ready(wait, by_testid("users-dialog-save"))
    done = wait.until(lambda d: (els := d.find_elements(*by_testid("users-done"))) and els[0])
    assert username in done.text, done.text
    wait.until(lambda d: state_of(d, username) == "正常")
    row = driver.find_element(
        By.XPATH, f'//tr[.//*[@data-testid="user-name" and text()="{username}"]]'
    ).get_attribute("textContent")
    assert "辅导员" in row and COLLEGE in row and "端到端测试辅导员" in row, row
    created = next(u for u in cli_json(demo_archive, "user", "list") if u["username"] == username)
    assert created["role"] == "counselor" and created["scope"] == [COLLEGE], created
    assert created["disabled"] is False, created
    assert login_as(demo_archive, username).returncode == 0

    # 停用: the table says 已停用, and the CLI's login is refused with exit 8.
    confirm_toggle(driver, wait, username, "已停用")
    driver.save_screenshot(str(SHOTS / "users-disabled.png"))
    refused = login_as(demo_archive, username)
    assert refused.returncode == 8, (refused.returncode, refused.stderr)
    assert "已停用" in refused.stderr, refused.stderr
    listed = next(u for u in cli_json(demo_archive, "user", "list") if u["username"] == username)
    assert listed["disabled"] is True, listed

    # 启用 again: the login works.
    confirm_toggle(driver, wait, username, "正常")
    assert login_as(demo_archive, username).returncode == 0
