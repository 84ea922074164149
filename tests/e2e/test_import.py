"""The roster import wizard in the real window: a workbook with errors (tests/fixtures/roster/
messy.xlsx: a title row, two sheets, a cross-sheet duplicate, every kind of bad cell) is chosen,
its column mapping and bad cells are shown, nothing is fixed, the valid rows are imported with
跳过有错误的行, and the batch is undone from the import history. The fixture's members are new to
the demo archive (10-digit student numbers; the demo's have 11) and are gone again at the end."""

import json
import subprocess
import time
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CLI, CLI_ENV, ROOT, SHOTS
from helpers import by_testid, cli_json, click_when_ready, scroll_to

FIXTURE = ROOT / "tests/fixtures/roster/messy.xlsx"


def fixture_members(archive: Path, student_nos: set[str]) -> list[str]:
    """The fixture's members with a student number that the archive holds, by exact number."""
    found = []
    for number in sorted(student_nos):
        rows = cli_json(archive, "member", "list", "--search", number)
        found += [r["student_no"] for r in rows if r.get("student_no") == number]
    return found


def member_count(archive: Path) -> int:
    return cli_json(archive, "info")["members"]


def test_import_with_errors_skip_invalid_then_undo(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    # What the core says of the file, through the CLI (nothing written): the cells to be marked.
    expected = subprocess.run(
        [str(CLI), "--archive", str(demo_archive), "import", str(FIXTURE), "--dry-run", "--json"],
        capture_output=True, text=True, env=CLI_ENV,
    )
    assert expected.returncode != 0, "the fixture must have invalid rows"
    dry_run = json.loads(expected.stdout)
    assert dry_run["created"] > 0 and dry_run["errors"], dry_run
    bad_cells = {(e["row"], e["column"]) for e in dry_run["errors"]}
    student_nos = {"2023030001", "2023030002", "2023030003", "2023030004", "2023030005",
                   "2023030006"}
    assert fixture_members(demo_archive, student_nos) == []
    before = member_count(demo_archive)

    # Step 1: choose the file through the file input (tauri-driver runs on this machine: type
    # the local path as it is).
    click_when_ready(wait, by_testid("nav-exchange"))
    wait.until(lambda d: d.find_element(*by_testid("import-drop")).is_displayed())
    driver.save_screenshot(str(SHOTS / "import-1-choose.png"))
    with driver.file_detector_context(UselessFileDetector):
        driver.find_element(*by_testid("import-file")).send_keys(str(FIXTURE))

    # Step 2: the sheets and how their columns map (the title row above the header is skipped).
    mapping = wait.until(lambda d: d.find_element(*by_testid("import-mapping")))
    columns = {
        c.get_attribute("data-column"): c.find_element(By.CSS_SELECTOR, ".el-select__placeholder")
        .get_attribute("textContent").strip()
        for c in mapping.find_elements(*by_testid("import-column"))
    }
    assert columns.get("身份证号码") == "公民身份号码", columns
    assert columns.get("序号") == "不导入", columns
    assert "表头在第 3 行" in mapping.text
    driver.save_screenshot(str(SHOTS / "import-2-mapping.png"))
    click_when_ready(wait, by_testid("import-next"))

    # Step 3: the counts, every bad cell marked red with its reason, the error list.
    counts = wait.until(lambda d: d.find_element(*by_testid("import-counts")))
    assert str(dry_run["rows"]) in counts.find_element(*by_testid("import-count-rows")).text
    assert str(dry_run["created"]) in counts.find_element(*by_testid("import-count-created")).text
    marked = driver.find_elements(*by_testid("import-bad-cell"))
    assert {(int(m.get_attribute("data-row")), m.get_attribute("data-column")) for m in marked} == (
        bad_cells
    )
    background = driver.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor", marked[0]
    )
    assert background == "rgb(255, 199, 206)", background
    reasons = {m.get_attribute("title") for m in marked}
    assert any("Excel 已把18位数字舍入" in r for r in reasons), reasons
    unknown = driver.find_element(*by_testid("import-unknown-branches")).text
    assert "不存在的党支部" in unknown
    driver.save_screenshot(str(SHOTS / "import-3-preview.png"))
    error_list = driver.find_element(*by_testid("import-error-list"))
    listed = error_list.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(listed) == len(dry_run["errors"])
    scroll_to(driver, error_list, 40)
    driver.save_screenshot(str(SHOTS / "import-3-error-list.png"))

    # The error workbook is written into the archive's exports folder.
    click_when_ready(wait, by_testid("import-download-errors"))
    saved = wait.until(lambda d: d.find_element(*by_testid("import-error-workbook")))
    path = Path(saved.text.split("：", 1)[1])
    assert path.is_file() and path.name == "messy-错误清单.xlsx", saved.text
    assert path.parent == demo_archive / "exports"

    # Step 4: nothing can be imported until 跳过有错误的行 is ticked.
    click_when_ready(wait, by_testid("import-next"))
    commit = wait.until(lambda d: d.find_element(*by_testid("import-commit")))
    assert not commit.is_enabled()
    driver.save_screenshot(str(SHOTS / "import-4-commit-refused.png"))
    click_when_ready(wait, by_testid("import-skip-invalid"))
    click_when_ready(wait, by_testid("import-commit"))
    result = wait.until(lambda d: d.find_element(*by_testid("import-result")))
    created = int(result.get_attribute("data-created"))
    batch = int(result.get_attribute("data-batch"))
    assert created == dry_run["created"]
    assert f"新增 {created} 人" in result.text and f"批次号 {batch}" in result.text, result.text
    # The header counts the new members.
    wait.until(lambda d: f"共 {before + created} 名成员" in d.find_element(*by_testid("archive-summary")).text)
    driver.save_screenshot(str(SHOTS / "import-5-result.png"))
    assert member_count(demo_archive) == before + created
    # The uploaded copy (it holds ID numbers) is removed once imported.
    assert not list((demo_archive / "tmp/import").glob("*/messy.xlsx"))
    assert len(fixture_members(demo_archive, student_nos)) == len(student_nos)

    # The history lists the batch; undo asks first, then removes exactly the created members.
    click_when_ready(wait, (By.ID, "tab-history"))
    click_when_ready(wait, by_testid(f"undo-batch-{batch}"))
    dialog = wait.until(lambda d: (el := d.find_element(*by_testid("undo-dialog"))).is_displayed() and el)
    assert f"新增的 {created} 名党员" in dialog.text, dialog.text
    assert member_count(demo_archive) == before + created
    wait.until(lambda d: d.find_element(*by_testid("undo-save")).is_displayed())
    time.sleep(0.5)  # let the dialog finish fading in before the screenshot
    driver.save_screenshot(str(SHOTS / "import-6-undo-confirm.png"))
    click_when_ready(wait, by_testid("undo-save"))
    done = wait.until(lambda d: d.find_element(*by_testid("undo-done")))
    assert f"删除 {created} 人" in done.text, done.text
    wait.until(lambda d: "已于" in d.find_element(*by_testid("import-history")).text)
    wait.until(lambda d: f"共 {before} 名成员" in d.find_element(*by_testid("archive-summary")).text)
    driver.save_screenshot(str(SHOTS / "import-7-undone.png"))
    assert member_count(demo_archive) == before
    assert fixture_members(demo_archive, student_nos) == []


def test_export_and_template_into_the_exports_folder(driver, demo_archive):
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    click_when_ready(wait, by_testid("nav-exchange"))
    click_when_ready(wait, (By.ID, "tab-export"))
    click_when_ready(wait, by_testid("export-run"))
    written = wait.until(lambda d: d.find_element(*by_testid("export-written")))
    members = member_count(demo_archive)
    assert f"已导出 {members} 人到" in written.text, written.text
    path = Path(written.text.split("：", 1)[1])
    assert path.parent == demo_archive / "exports" and path.suffix == ".xlsx", path
    assert path.stat().st_size > 0
    driver.save_screenshot(str(SHOTS / "export-done.png"))

    click_when_ready(wait, by_testid("export-template"))
    wait.until(lambda d: "导入模板已保存到" in d.find_element(*by_testid("export-written")).text)
    template = Path(driver.find_element(*by_testid("export-written")).text.split("：", 1)[1])
    assert template.is_file() and template.name.startswith("党员名册导入模板"), template
