"""An encrypted archive in the app: the unlock dialog comes first, a wrong passphrase is said so
(and changes nothing), the right one opens the archive, then the login page, then the member
list. Runs its OWN app session on a small encrypted demo archive (the shared session's archive is
plain and stays untouched)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import APP, CLI, CLI_ENV, DEMO_ADMIN, SHOTS, free_port, ui_login, wait_for_drivers
from helpers import by_testid, replace_text

PASSPHRASE = "端到端-口令-2026"


@pytest.fixture(scope="module")
def encrypted_session():
    """A 60-member encrypted demo archive and an app session of its own on it."""
    assert APP.is_file(), f"build the app first: {APP} is missing"
    folder = Path(tempfile.mkdtemp(prefix="dangan-e2e-unlock-"))
    archive = folder / "archive"
    subprocess.run(
        [str(CLI), "--archive", str(archive), "demo", "--members", "60", "--seed", "3"],
        check=True,
        env=dict(CLI_ENV, DANGAN_PASSPHRASE=PASSPHRASE),
        stdout=subprocess.DEVNULL,
    )
    assert not (archive / "archive.db").read_bytes().startswith(b"SQLite format 3")
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    port, native_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "DANGAN_PASSPHRASE"}
    proc = subprocess.Popen(
        [driver_bin, "--port", str(port), "--native-port", str(native_port)], env=env
    )
    try:
        wait_for_drivers(port, native_port)
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability(
            "tauri:options", {"application": str(APP), "args": ["--archive", str(archive)]}
        )
        session = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
        session.dangan_archive = archive
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield session
        session.quit()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def passphrase_field(driver):
    marked = driver.find_element(*by_testid("unlock-passphrase"))
    return marked if marked.tag_name == "input" else marked.find_element(By.CSS_SELECTOR, "input")


def test_wrong_then_right_passphrase_then_login(encrypted_session):
    driver = encrypted_session
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: d.find_elements(*by_testid("unlock-dialog")))
    # Nothing else is there yet: no login page, no member list.
    assert not driver.find_elements(*by_testid("login-page"))
    assert not driver.find_elements(*by_testid("member-total"))
    db = driver.dangan_archive / "archive.db"
    before = (db.read_bytes(), db.stat().st_mtime_ns)

    replace_text(passphrase_field(driver), "不对的口令")
    driver.find_element(*by_testid("unlock-submit")).click()
    error = wait.until(
        lambda d: next(iter(d.find_elements(*by_testid("unlock-error"))), None)
    )
    assert error.get_attribute("data-error-code") == "passphrase_wrong"
    assert "口令不正确" in error.text
    driver.save_screenshot(str(SHOTS / "unlock_wrong_passphrase.png"))
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before

    replace_text(passphrase_field(driver), PASSPHRASE)
    driver.find_element(*by_testid("unlock-submit")).click()
    wait.until(lambda d: d.find_elements(*by_testid("login-page")))
    assert not driver.find_elements(*by_testid("unlock-dialog"))
    driver.save_screenshot(str(SHOTS / "unlock_then_login.png"))

    # Logging in reloads the window (useSession): the marker lives on the old page only.
    driver.execute_script("window.__danganOldPage = true;")
    ui_login(driver, *DEMO_ADMIN)
    wait.until(
        lambda d: d.execute_script("return window.__danganOldPage === undefined")
        and any(el.is_displayed() for el in d.find_elements(*by_testid("member-total")))
    )
    # The reloaded window opens the unlocked archive straight away: no dialog again.
    assert not driver.find_elements(*by_testid("unlock-dialog"))
    text = wait.until(lambda d: d.find_element(*by_testid("member-total")).text)
    driver.save_screenshot(str(SHOTS / "unlock_logged_in.png"))
    assert "60" in text, text
