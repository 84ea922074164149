"""The import wizard's column mapping and branch creation in the real window. A CSV written by the
test has a header Dangan does not know (证件号) and two phone columns; the clerk maps 证件号 to
公民身份号码, sees the two phone columns refused, sets one to 不导入, ticks 创建这些支部 for the
学院/支部 name the archive lacks (a bare branch name is listed as impossible to create), imports
the valid rows with 跳过有错误的行 and undoes the batch, which removes the new branch too. Every
name, number and branch here is this test's own (student numbers 2099…, 测绘e2e学院)."""

import time
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SHOTS
from helpers import by_testid, choose, cli_json, click_when_ready

NEW_BRANCH = "测绘e2e学院党委/测绘e2e第一党支部"
BARE_BRANCH = "测绘e2e无学院支部"
STUDENT_NOS = ["2099000001", "2099000002", "2099000003"]


def id_number(birth: str, sequence: int) -> str:
    """A valid GB 11643 number (region 659001) for a birth date YYYYMMDD; odd sequence = male."""
    body = f"659001{birth}{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


def write_roster(folder: Path) -> Path:
    path = folder / "e2e映射名册.csv"
    lines = [
        "姓名,性别,证件号,学号,所在党支部,联系电话,手机号码",
        f"映射甲,男,{id_number('20030303', 901)},{STUDENT_NOS[0]},{NEW_BRANCH},13800000001,无",
        f"映射乙,女,{id_number('20030404', 902)},{STUDENT_NOS[1]},{NEW_BRANCH},13800000002,无",
        f"映射丙,男,{id_number('20030505', 903)},{STUDENT_NOS[2]},{BARE_BRANCH},13800000003,无",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def choose_field(driver, wait: WebDriverWait, column: str, label: str) -> None:
    """Opens the select of the column headed `column` and picks `label`."""
    select = (By.CSS_SELECTOR, f'[data-testid="import-column"][data-column="{column}"] .el-select__wrapper')
    option = (
        By.XPATH,
        f"//div[@data-testid='import-column'][@data-column='{column}']"
        f"//li[contains(@class,'el-select-dropdown__item')][normalize-space()='{label}']",
    )
    choose(driver, wait, select, option, lambda d: selected(d, column) == label)


def selected(driver, column: str) -> str:
    return driver.find_element(
        By.CSS_SELECTOR, f'[data-testid="import-column"][data-column="{column}"] .el-select__placeholder'
    ).get_attribute("textContent").strip()


def ours(archive: Path) -> list[str]:
    found = []
    for number in STUDENT_NOS:
        rows = cli_json(archive, "member", "list", "--search", number)
        found += [r["student_no"] for r in rows if r.get("student_no") == number]
    return found


def branch_names(archive: Path) -> str:
    return str(cli_json(archive, "branch", "list"))


def test_map_columns_create_a_branch_import_and_undo(driver, demo_archive, tmp_path):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    roster = write_roster(tmp_path)
    assert ours(demo_archive) == []
    assert "测绘e2e" not in branch_names(demo_archive)

    click_when_ready(wait, by_testid("nav-exchange"))
    click_when_ready(wait, (By.ID, "tab-import"))
    wait.until(lambda d: d.find_element(*by_testid("import-drop")).is_displayed())
    with driver.file_detector_context(UselessFileDetector):
        driver.find_element(*by_testid("import-file")).send_keys(str(roster))

    # The ID column is not recognised: the refusal is shown and the columns can be mapped.
    wait.until(lambda d: d.find_element(*by_testid("import-mapping")))
    assert "缺少必需的列" in driver.find_element(*by_testid("error-alert")).text
    missing = driver.find_element(*by_testid("import-missing-required"))
    assert "公民身份号码" in missing.text, missing.text
    assert selected(driver, "证件号") == "不导入"
    assert not driver.find_element(*by_testid("import-next")).is_enabled()
    driver.save_screenshot(str(SHOTS / "import-mapping-1-missing.png"))

    # 证件号 → 公民身份号码: now the two phone columns both say 联系电话, named in the refusal.
    choose_field(driver, wait, "证件号", "公民身份号码")
    refusal = wait.until(
        lambda d: (el := d.find_element(*by_testid("error-alert"))) and "都对应" in el.text and el
    )
    assert '"联系电话" 和 "手机号码"' in refusal.text, refusal.text
    assert not driver.find_elements(*by_testid("import-missing-required"))
    driver.save_screenshot(str(SHOTS / "import-mapping-2-duplicate.png"))

    # 手机号码 → 不导入: the check passes and the mapping shows what was chosen.
    choose_field(driver, wait, "手机号码", "不导入")
    wait.until(lambda d: not d.find_elements(*by_testid("error-alert")))
    wait.until(lambda d: d.find_element(*by_testid("import-next")).is_enabled())
    assert selected(driver, "证件号") == "公民身份号码"
    assert selected(driver, "联系电话") == "联系电话"
    assert selected(driver, "手机号码") == "不导入"
    time.sleep(0.3)  # the dropdown fades out
    driver.save_screenshot(str(SHOTS / "import-mapping-3-mapped.png"))
    click_when_ready(wait, by_testid("import-next"))

    # The check: both branch names are unknown; only the 学院/支部 one can be created.
    creatable = wait.until(lambda d: d.find_element(*by_testid("import-creatable-branches")))
    assert NEW_BRANCH in creatable.text, creatable.text
    cannot = driver.find_element(*by_testid("import-uncreatable-branches"))
    assert BARE_BRANCH in cannot.text and NEW_BRANCH not in cannot.text, cannot.text
    assert driver.find_element(*by_testid("import-count-invalid")).text.endswith("3")
    click_when_ready(wait, by_testid("import-create-branches"))
    created_line = wait.until(lambda d: d.find_element(*by_testid("import-new-branches")))
    assert NEW_BRANCH in created_line.text, created_line.text
    wait.until(lambda d: d.find_element(*by_testid("import-count-invalid")).text.endswith("1"))
    assert driver.find_element(*by_testid("import-count-created")).text.endswith("2")
    driver.save_screenshot(str(SHOTS / "import-mapping-4-branches.png"))

    # Import the two valid rows; the branch is created in the same batch.
    click_when_ready(wait, by_testid("import-next"))
    click_when_ready(wait, by_testid("import-skip-invalid"))
    click_when_ready(wait, by_testid("import-commit"))
    result = wait.until(lambda d: d.find_element(*by_testid("import-result")))
    assert result.get_attribute("data-created") == "2", result.text
    assert sorted(ours(demo_archive)) == STUDENT_NOS[:2]
    assert "测绘e2e第一党支部" in branch_names(demo_archive)
    driver.save_screenshot(str(SHOTS / "import-mapping-5-result.png"))

    # Undo from the result: the members and the branch are gone again.
    click_when_ready(wait, by_testid("import-undo"))
    wait.until(lambda d: d.find_element(*by_testid("undo-save")).is_displayed())
    click_when_ready(wait, by_testid("undo-save"))
    wait.until(lambda d: d.find_element(*by_testid("wizard-undo-done")))
    assert ours(demo_archive) == []
    assert "测绘e2e" not in branch_names(demo_archive)
    click_when_ready(wait, by_testid("import-again"))
