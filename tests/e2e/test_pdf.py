"""PDF documents from the real window: 生成档案 on a member's page draws the dossier's first page
in the in-window preview (pdf.js on a canvas), shows where the file went (the archive's exports/
folder), and that file opens with poppler and carries the member's name; 开具介绍信 does the same
for an introduction letter."""

import subprocess
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SHOTS
from helpers import by_testid, choose, cli_json, click_when_ready, replace_text


def a_full_member(demo_archive) -> dict:
    """A full member with a student number, from the end of the list: the other tests take
    applicants, probationary members and names near the top of the first page."""
    members = cli_json(demo_archive, "member", "list", "--stage", "full_member")
    with_numbers = [m for m in members if m.get("student_no")]
    assert with_numbers, "the demo has full members with student numbers"
    return with_numbers[-1]


def open_member(driver, wait, member: dict) -> None:
    click_when_ready(wait, by_testid("nav-members"))
    search = wait.until(lambda d: d.find_element(*by_testid("member-search")))
    replace_text(search, member["student_no"])
    wait.until(
        lambda d: d.find_element(*by_testid("member-table")).get_attribute("data-loading") == "false"
        and [c.text.strip() for c in d.find_elements(*by_testid("member-name-cell"))]
        == [member["name"]]
    )
    click_when_ready(wait, by_testid("member-name-cell"))
    wait.until(lambda d: member["name"] in d.find_element(*by_testid("member-name")).text)


def preview_drawn(driver) -> str:
    """Waits for the preview's first page on the canvas; the path shown."""
    wait = WebDriverWait(driver, 120, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(
        lambda d: d.find_element(*by_testid("pdf-preview-canvas")).get_attribute("data-rendered-page")
        == "1"
    )
    # The canvas really holds a drawn page: some pixels are neither white nor transparent.
    inked = driver.execute_script(
        """
        const canvas = document.querySelector('[data-testid="pdf-preview-canvas"] canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] > 0 && data[i] < 128) dark++;
        }
        return { width: canvas.width, height: canvas.height, dark };
        """
    )
    assert inked["width"] > 300 and inked["height"] > inked["width"], inked
    assert inked["dark"] > 500, f"the page has text drawn on it: {inked}"
    return driver.find_element(*by_testid("pdf-preview-path")).text.strip()


def pdf_facts(path: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, "".join(text.split())


def close_preview(driver, wait) -> None:
    click_when_ready(wait, by_testid("pdf-preview-close"))
    wait.until(
        lambda d: not any(el.is_displayed() for el in d.find_elements(*by_testid("pdf-preview")))
    )


def test_generate_a_dossier_and_a_letter_from_the_member_page(driver, demo_archive):
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    member = a_full_member(demo_archive)
    open_member(driver, wait, member)
    driver.save_screenshot(str(SHOTS / "pdf-member-actions.png"))

    # 生成档案: the preview opens with page 1 drawn and the file's path under exports/.
    click_when_ready(wait, by_testid("pdf-dossier-button"))
    shown = preview_drawn(driver)
    driver.save_screenshot(str(SHOTS / "pdf-dossier-preview.png"))
    path = Path(shown)
    assert path.parent == demo_archive / "exports", shown
    assert path.is_file(), shown
    pages, text = pdf_facts(path)
    assert pages >= 1
    assert member["name"] in text
    assert "党员档案" in text
    total = driver.find_element(*by_testid("pdf-preview-page")).text
    assert total == f"第 1 页 / 共 {pages} 页", total
    if pages > 1:
        click_when_ready(wait, by_testid("pdf-preview-next"))
        wait.until(
            lambda d: d.find_element(*by_testid("pdf-preview-canvas")).get_attribute(
                "data-rendered-page"
            )
            == "2"
        )
    close_preview(driver, wait)

    # 开具介绍信: the receiving organisation is required; the letter is registered and shown.
    click_when_ready(wait, by_testid("pdf-letter-button"))
    wait.until(lambda d: d.find_element(*by_testid("letter-dialog")).is_displayed())
    click_when_ready(wait, by_testid("letter-save"))
    wait.until(lambda d: d.find_element(*by_testid("letter-to-org-error")).is_displayed())
    to_org = "中共测试市委员会组织部"
    replace_text(driver.find_element(*by_testid("letter-to-org")), to_org)
    click_when_ready(wait, by_testid("letter-save"))
    shown = preview_drawn(driver)
    driver.save_screenshot(str(SHOTS / "pdf-letter-preview.png"))
    path = Path(shown)
    assert path.parent == demo_archive / "exports" and path.is_file(), shown
    pages, text = pdf_facts(path)
    assert pages == 1
    assert member["name"] in text and to_org in text and "介绍信" in text
    letters = cli_json(demo_archive, "letter", "overdue", "--as-of", "2099-01-01")
    assert any(l["member_id"] == member["id"] and l["to_org"] == to_org for l in letters), letters
    close_preview(driver, wait)


def test_batch_dossiers_show_progress_and_cancel(driver, demo_archive):
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))
    click_when_ready(wait, by_testid("nav-members"))
    click_when_ready(wait, by_testid("pdf-batch-button"))
    wait.until(lambda d: d.find_element(*by_testid("pdf-batch-dialog")).is_displayed())
    driver.save_screenshot(str(SHOTS / "pdf-batch-dialog.png"))

    # A whole branch (dozens to hundreds of members): long enough to cancel midway.
    choose(
        driver,
        wait,
        by_testid("pdf-batch-branch"),
        (By.CSS_SELECTOR, ".el-select-dropdown__item"),
        lambda d: d.find_element(*by_testid("pdf-batch-branch")).get_attribute("data-value") != "",
    )
    branch_label = driver.find_element(*by_testid("pdf-batch-branch")).text
    click_when_ready(wait, by_testid("pdf-batch-start"))

    # Progress n / total, then cancel.
    progress = wait.until(
        lambda d: (el := d.find_element(*by_testid("pdf-batch-progress")))
        and int(el.get_attribute("data-done") or 0) >= 1
        and el
    )
    total = int(progress.get_attribute("data-total"))
    assert total > 2, f"{branch_label}: {total} members"
    assert f"/ {total}" in progress.text, progress.text
    driver.save_screenshot(str(SHOTS / "pdf-batch-progress.png"))
    click_when_ready(wait, by_testid("pdf-batch-cancel"))
    wait.until(lambda d: d.find_element(*by_testid("pdf-batch-cancelled")).is_displayed())
    driver.save_screenshot(str(SHOTS / "pdf-batch-cancelled.png"))
    done = int(driver.find_element(*by_testid("pdf-batch-progress")).get_attribute("data-done"))
    assert done < total

    # What is on disk: only complete dossiers, no index, no temporary file.
    folders = [p for p in (demo_archive / "exports").iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    files = list(folders[0].iterdir())
    assert files and all(f.suffix == ".pdf" for f in files), files
    assert not (folders[0] / "index.pdf").exists()
    assert done <= len(files) < total, (done, len(files), total)
    for f in files:
        pages, _ = pdf_facts(f)
        assert pages >= 1, f
    click_when_ready(wait, by_testid("pdf-batch-close"))
