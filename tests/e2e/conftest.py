"""Fixtures for the end-to-end tests: a demo archive, tauri-driver, and a WebDriver session on the
real dangan-app window (run under Xvfb by scripts/test.sh)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("DANGAN_APP", ROOT / "target/debug/dangan-app"))
CLI = Path(os.environ.get("DANGAN_CLI", ROOT / "target/debug/dangan"))
# The demo admin, shown by `dangan demo` and in the README: every CLI call logs in as it.
DEMO_ADMIN = ("admin", "demo-admin")
CLI_ENV = dict(os.environ, DANGAN_USER=DEMO_ADMIN[0], DANGAN_PASSWORD=DEMO_ADMIN[1])
SHOTS = ROOT / "target/e2e"
DEMO_MEMBERS = int(os.environ.get("DANGAN_E2E_MEMBERS", "20000"))
# The demo is consistent as of this day. The app checks against the real today, so the demo is
# dated two months back: then applicants exist whose talk (step 2) is more than a month overdue,
# which test_add_step_with_a_warning needs (a demo as of today has none).
DEMO_AS_OF = os.environ.get("DANGAN_E2E_AS_OF") or (date.today() - timedelta(days=60)).isoformat()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {timeout:.0f} s")


def wait_for_drivers(port: int, native_port: int) -> None:
    """Waits for tauri-driver and for the WebKitWebDriver it starts: tauri-driver listens at
    once, but refuses the first session (connection refused, and every test of the session
    errors) when WebKitWebDriver is still starting, as happens on a loaded machine."""
    wait_for_port(port)
    wait_for_port(native_port)


@pytest.fixture(scope="session")
def demo_archive():
    """A demo archive of realistic size, generated once for the session."""
    folder = Path(tempfile.mkdtemp(prefix="dangan-e2e-"))
    archive = folder / "archive"
    subprocess.run(
        [str(CLI), "--archive", str(archive), "demo", "--members", str(DEMO_MEMBERS),
         "--seed", "1", "--as-of", DEMO_AS_OF],
        check=True, env=CLI_ENV,
    )
    yield archive
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def driver(demo_archive):
    assert APP.is_file(), f"build the app first: {APP} is missing"
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    port, native_port = free_port(), free_port()
    env = dict(os.environ, DANGAN_ARCHIVE=str(demo_archive))
    proc = subprocess.Popen(
        [driver_bin, "--port", str(port), "--native-port", str(native_port)], env=env
    )
    try:
        wait_for_drivers(port, native_port)
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability(
            "tauri:options", {"application": str(APP), "args": ["--archive", str(demo_archive)]}
        )
        started = time.monotonic()
        session = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
        session.dangan_started = started
        session.dangan_archive = demo_archive
        SHOTS.mkdir(parents=True, exist_ok=True)
        ui_login(session, *DEMO_ADMIN)
        yield session
        session.quit()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def ui_login(session, username: str, password: str) -> None:
    """Logs in through the login page the way a person does, and waits for the member list."""
    from helpers import replace_text  # helpers imports this module: import on use

    wait = WebDriverWait(session, 60, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="login-page"]'))
    for testid, text in (("login-username", username), ("login-password", password)):
        field = session.find_element(By.CSS_SELECTOR, f'input[data-testid="{testid}"]')
        replace_text(field, text)
    session.find_element(By.CSS_SELECTOR, '[data-testid="login-submit"]').click()
    wait.until(
        lambda d: any(
            el.is_displayed()
            for el in d.find_elements(By.CSS_SELECTOR, '[data-testid="member-total"]')
        )
    )


@pytest.fixture(autouse=True)
def fresh_window(request):
    """Every test starts where the app opens — the member list with no filters — whatever the
    tests before it left behind (the list keeps its filters while the window lives): after each
    test that used the window, the page is reloaded at the member list."""
    yield
    if "driver" not in request.fixturenames:
        return
    session = request.getfixturevalue("driver")
    # The marker lives on the old page only: once it is gone, the new page has loaded.
    session.execute_script(
        "window.__danganOldPage = true;"
        "window.location.hash = '#/members'; window.location.reload();"
    )
    WebDriverWait(session, 60, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.execute_script("return window.__danganOldPage === undefined")
        and any(
            el.is_displayed()
            for el in d.find_elements(By.CSS_SELECTOR, '[data-testid="member-total"]')
        )
    )
