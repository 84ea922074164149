"""The trust features in the real window: 设置 → 备份与恢复 makes a backup that is listed as
verified; 审计日志 filtered to 备份 shows it and 校验 finds the chain intact; 显示 on a member's
ID number shows the full number, and the reveal is in the audit log naming the member."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SHOTS
from helpers import by_testid, cli_json, click_when_ready, scroll_to


def audit_rows(d):
    """The audit table's actions once it has loaded, else None."""
    if d.find_element(*by_testid("audit")).get_attribute("data-loading") != "false":
        return None
    return [el.get_attribute("data-action") for el in d.find_elements(*by_testid("audit-row-action"))]


def filter_audit_by_action(driver, wait, code: str) -> list[str]:
    """Opens 审计日志, filters to one action, and returns the rows' actions."""
    click_when_ready(wait, by_testid("nav-audit"))
    wait.until(audit_rows)
    click_when_ready(wait, by_testid("audit-action"))
    click_when_ready(wait, by_testid(f"audit-action-{code}"))
    wait.until(lambda d: d.find_element(*by_testid("audit-action")).get_attribute("data-value") == code)
    click_when_ready(wait, by_testid("audit-search"))
    return wait.until(lambda d: (rows := audit_rows(d)) and all(a == code for a in rows) and rows)


def member_to_reveal(demo_archive) -> dict:
    """A member with an ID number from the middle of the list, away from the members the other
    tests pick (they take theirs from the start or the end), whose ID was never revealed."""
    members = cli_json(demo_archive, "member", "list")
    for row in members[len(members) // 2 + 7:]:
        if row["id_number_masked"] and not cli_json(
            demo_archive, "audit", "list", "--action", "id_reveal", "--member", str(row["id"])
        ):
            return row
    raise AssertionError("no member with an ID number")


def test_backup_audit_browser_and_id_reveal(driver, demo_archive):
    wait = WebDriverWait(driver, 180, ignored_exceptions=(StaleElementReferenceException,))

    # 设置 → 备份与恢复 → 立即备份: listed first, verified.
    click_when_ready(wait, by_testid("nav-settings"))
    click_when_ready(wait, (By.ID, "tab-backup"))
    wait.until(lambda d: d.find_element(*by_testid("settings-backup")).get_attribute("data-loading") == "false")
    before = len(driver.find_elements(*by_testid("backup-state")))
    click_when_ready(wait, by_testid("backup-now"))
    made = wait.until(lambda d: d.find_elements(*by_testid("backup-made")) or None)[0].text
    assert "已校验" in made, made
    wait.until(lambda d: len(d.find_elements(*by_testid("backup-state"))) >= before + 1)
    newest = cli_json(demo_archive, "backup", "list")[0]
    assert newest["verified"] and newest["reason"] == "manual", newest
    assert newest["file"] in made, (newest["file"], made)
    first_state = driver.find_elements(*by_testid("backup-state"))[0].text
    assert first_state == "✓ 已校验", first_state
    last = driver.find_element(*by_testid("backup-last-time")).text
    assert len(last) == len("2026-12-02 09:30") and last[4] == "-" and last[13] == ":", last
    driver.save_screenshot(str(SHOTS / "trust-backup.png"))

    # 审计日志 filtered to 备份: the backup just made is the newest entry.
    rows = filter_audit_by_action(driver, wait, "backup")
    assert rows[0] == "backup", rows
    # textContent: WebKit's driver leaves cells cut by the table's overflow out of `.text`.
    first_row = driver.find_element(By.CSS_SELECTOR, '[data-testid="audit-table"] .el-table__row')
    row_text = first_row.get_attribute("textContent")
    assert newest["file"] in row_text, row_text
    click_when_ready(wait, by_testid("audit-verify"))
    result = wait.until(lambda d: d.find_elements(*by_testid("audit-verify-result")) or None)[0]
    assert result.get_attribute("data-ok") == "true", result.text
    assert "审计日志完整" in result.text, result.text
    driver.save_screenshot(str(SHOTS / "trust-audit-backup.png"))

    # A member's ID number: masked, 显示 shows it whole.
    member = member_to_reveal(demo_archive)
    driver.execute_script(f"window.location.hash = '#/members/{member['id']}'")
    wait.until(lambda d: member["name"] in d.find_element(*by_testid("member-name")).text)
    field = (By.CSS_SELECTOR, '[data-field="idNumber"]')
    assert driver.find_element(*field).text == member["id_number_masked"]
    click_when_ready(wait, by_testid("reveal-id"))
    full = wait.until(lambda d: (t := d.find_element(*field).text) and "*" not in t and t)
    masked = member["id_number_masked"]
    assert len(full) == 18 and full[:6] == masked[:6] and full[-4:] == masked[-4:], (full, masked)
    scroll_to(driver, driver.find_element(*by_testid("member-info")), above=80)
    driver.save_screenshot(str(SHOTS / "trust-reveal.png"))
    reveals = cli_json(demo_archive, "audit", "list", "--action", "id_reveal", "--member", str(member["id"]))
    assert len(reveals) == 1 and full not in str(reveals[0]["detail"]), reveals

    # … and the reveal is in the audit log, naming the member, with a link to their file.
    filter_audit_by_action(driver, wait, "id_reveal")
    link = driver.find_elements(*by_testid("audit-row-member"))[0]
    assert link.text == member["name"], link.text
    assert link.get_attribute("href").endswith(f"#/members/{member['id']}")
    driver.save_screenshot(str(SHOTS / "trust-audit-reveal.png"))
