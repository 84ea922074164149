//! Disabling accounts and changing roles: a disabled account cannot log in (core: `account_disabled`,
//! CLI: exit 8) until it is enabled again; nobody disables their own account or changes their own
//! role; the last enabled admin is never disabled or demoted; every change is audited with its
//! before and after; `user list --json` shows the state.

use dangan::audit::{self, AuditQuery};
use dangan::auth::{self, NewUser};
use dangan::{Actor, Archive, ErrorCode, Role};

use crate::util::{TempArchive, admin, json};

fn entries(archive: &Archive, actor: &Actor, action: &str) -> Vec<serde_json::Value> {
    audit::list(
        archive,
        actor,
        &AuditQuery {
            action: Some(action.into()),
            limit: Some(1000),
            ..AuditQuery::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|e| e.detail)
    .collect()
}

fn second_admin(archive: &mut Archive, actor: &Actor) {
    auth::create_user(
        archive,
        actor,
        &NewUser {
            username: "admin2".into(),
            display_name: None,
            role: Role::Admin,
            password: "second-admin".into(),
            scope_unit_ids: Vec::new(),
        },
    )
    .unwrap();
}

#[test]
fn a_disabled_account_cannot_log_in_until_enabled_again_and_both_are_audited() {
    let temp = TempArchive::demo(5);
    let mut archive = temp.open();
    let admin = admin(&archive);

    let user = auth::set_disabled(&mut archive, &admin, "counselor", true).unwrap();
    assert!(user.disabled);
    let err = auth::login(&archive, "counselor", "demo-counselor").unwrap_err();
    assert_eq!(err.code(), "account_disabled");
    assert!(err.to_string().contains("已停用"), "{err}");
    // Disabling again changes nothing and records nothing more.
    auth::set_disabled(&mut archive, &admin, "counselor", true).unwrap();
    let disabled = entries(&archive, &admin, "user_disable");
    assert_eq!(disabled.len(), 1, "{disabled:?}");
    assert_eq!(disabled[0]["username"], "counselor");
    assert_eq!(disabled[0]["before"]["disabled"], false);
    assert_eq!(disabled[0]["after"]["disabled"], true);

    let user = auth::set_disabled(&mut archive, &admin, "counselor", false).unwrap();
    assert!(!user.disabled);
    // Scope and password survived.
    assert_eq!(user.scope.len(), 1, "{user:?}");
    auth::login(&archive, "counselor", "demo-counselor").unwrap();
    let enabled = entries(&archive, &admin, "user_enable");
    assert_eq!(enabled.len(), 1);
    assert_eq!(enabled[0]["before"]["disabled"], true);
    assert_eq!(enabled[0]["after"]["disabled"], false);
}

#[test]
fn only_an_admin_disables_and_nobody_disables_themselves() {
    let temp = TempArchive::demo(5);
    let mut archive = temp.open();
    let admin = admin(&archive);
    let clerk = auth::login(&archive, "clerk", "demo-clerk").unwrap();
    let err = auth::set_disabled(&mut archive, &clerk, "viewer", true).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = auth::set_role(&mut archive, &clerk, "viewer", Role::Admin).unwrap_err();
    assert_eq!(err.code(), "forbidden");

    second_admin(&mut archive, &admin);
    let err = auth::set_disabled(&mut archive, &admin, "admin", true).unwrap_err();
    assert_eq!(err.code(), "cannot_disable_self");
    assert_eq!(err.details()["username"], "admin");
    let err = auth::set_role(&mut archive, &admin, "admin", Role::Viewer).unwrap_err();
    assert_eq!(err.code(), "cannot_change_own_role");
    let err = auth::set_disabled(&mut archive, &admin, "nobody", true).unwrap_err();
    assert_eq!(err.code(), "user_not_found");
    // Another admin may be disabled while one stays enabled.
    auth::set_disabled(&mut archive, &admin, "admin2", true).unwrap();
    assert_eq!(entries(&archive, &admin, "user_disable").len(), 1);
}

#[test]
fn the_last_enabled_admin_is_never_disabled_or_demoted() {
    let temp = TempArchive::demo(5);
    let mut archive = temp.open();
    let admin = admin(&archive);
    // The program's own admin (no account) is the only actor that could try on the last admin.
    let system = Actor::system();
    let err = auth::set_disabled(&mut archive, &system, "admin", true).unwrap_err();
    assert_eq!(err.code(), "last_admin");
    assert!(err.to_string().contains("最后一个启用的管理员"), "{err}");
    let err = auth::set_role(&mut archive, &system, "admin", Role::Clerk).unwrap_err();
    assert_eq!(err.code(), "last_admin");

    // With a second admin, one of the two may go; then the other is the last.
    second_admin(&mut archive, &admin);
    auth::set_role(&mut archive, &system, "admin2", Role::Clerk).unwrap();
    let err = auth::set_disabled(&mut archive, &system, "admin", true).unwrap_err();
    assert_eq!(err.code(), "last_admin");
    auth::set_role(&mut archive, &system, "admin2", Role::Admin).unwrap();
    auth::set_disabled(&mut archive, &system, "admin2", true).unwrap();
    // A disabled admin does not count: the enabled one is still the last.
    let err = auth::set_disabled(&mut archive, &system, "admin", true).unwrap_err();
    assert_eq!(err.code(), "last_admin");
    let roles = entries(&archive, &admin, "user_role");
    assert_eq!(roles.len(), 2, "{roles:?}");
    // Newest first: the demotion is the older entry.
    assert_eq!(roles[1]["before"]["role"], "admin");
    assert_eq!(roles[1]["after"]["role"], "clerk");
    assert_eq!(roles[0]["after"]["role"], "admin");
}

#[test]
fn a_role_that_reads_its_scope_needs_one() {
    let temp = TempArchive::demo(5);
    let mut archive = temp.open();
    let admin = admin(&archive);
    // The clerk reads everything and has no scope: it cannot become a counselor as it is.
    let err = auth::set_role(&mut archive, &admin, "clerk", Role::Counselor).unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    // The viewer has a scope: it can.
    let user = auth::set_role(&mut archive, &admin, "viewer", Role::Counselor).unwrap();
    assert_eq!(user.role, Role::Counselor);
    let counselor = auth::login(&archive, "viewer", "demo-viewer").unwrap();
    assert_eq!(counselor.role(), Role::Counselor);
}

#[test]
fn the_cli_disables_enables_and_changes_roles() {
    let temp = TempArchive::demo(5);
    let user = json(temp.dangan(&["user", "disable", "viewer", "--json"]));
    assert_eq!(user["username"], "viewer");
    assert_eq!(user["disabled"], true);

    // The disabled user's login: exit 8 and a message that says why.
    let output = temp
        .dangan(&["user", "list"])
        .env("DANGAN_USER", "viewer")
        .env("DANGAN_PASSWORD", "demo-viewer")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(8));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("已停用"), "{stderr}");

    let list = json(temp.dangan(&["user", "list", "--json"]));
    let viewer = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "viewer")
        .unwrap();
    assert_eq!(viewer["disabled"], true);
    assert!(viewer["locked_until"].is_null());
    assert_eq!(viewer["scope"].as_array().unwrap().len(), 1);
    let text = temp.dangan(&["user", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("已停用"));

    // Yourself: refused with exit 2 and the reason.
    let output = temp.dangan(&["user", "disable", "admin"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("不能停用自己"));
    let output = temp
        .dangan(&["user", "role", "admin", "viewer"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = temp
        .dangan(&["user", "disable", "nobody"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let output = temp
        .dangan(&["user", "role", "viewer", "boss"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    let user = json(temp.dangan(&["user", "enable", "viewer", "--json"]));
    assert_eq!(user["disabled"], false);
    let user = json(temp.dangan(&["user", "role", "viewer", "secretary", "--json"]));
    assert_eq!(user["role"], "secretary");
    // Enabled again: the login works, now as a secretary.
    temp.dangan(&["user", "passwd", "--json"])
        .env("DANGAN_USER", "viewer")
        .env("DANGAN_PASSWORD", "demo-viewer")
        .env("DANGAN_NEW_PASSWORD", "new-viewer-password")
        .assert()
        .success();
}

#[test]
fn the_scope_picker_lists_units_parents_first_without_party_groups() {
    let temp = TempArchive::demo(5);
    let archive = temp.open();
    let admin = admin(&archive);
    let units = auth::scope_choices(&archive, &admin).unwrap();
    assert_eq!(units[0].kind, "university_committee");
    assert!(units[0].parent_id.is_none());
    assert!(units.iter().any(|u| u.kind == "college_committee"));
    assert!(units.iter().any(|u| u.kind == "branch"));
    assert!(units.iter().all(|u| u.kind != "group"));
    for (index, unit) in units.iter().enumerate().skip(1) {
        let parent = unit.parent_id.unwrap();
        assert!(
            units[..index].iter().any(|u| u.id == parent),
            "{unit:?} before its parent"
        );
    }
    let viewer = auth::login(&archive, "viewer", "demo-viewer").unwrap();
    let err = auth::scope_choices(&archive, &viewer).unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

/// A desktop session outlives the login: `auth::refresh` (which the app calls before every
/// command) applies a disabled account, a new role and a new scope at once.
#[test]
fn a_running_session_sees_its_account_disabled_or_changed_at_the_next_command() {
    let temp = TempArchive::demo(20);
    let mut archive = temp.open();
    let admin = admin(&archive);
    let session = auth::login(&archive, "counselor", "demo-counselor").unwrap();
    assert_eq!(auth::refresh(&archive, &session).unwrap(), session);

    let college = auth::find_unit(&archive, "机械工程学院党委").unwrap();
    auth::set_scopes(&mut archive, &admin, "counselor", &[college]).unwrap();
    let moved = auth::refresh(&archive, &session).unwrap();
    assert!(moved.sees_unit(Some(college)));
    assert!(!session.sees_unit(Some(college)));

    auth::set_role(&mut archive, &admin, "counselor", Role::Viewer).unwrap();
    assert_eq!(
        auth::refresh(&archive, &session).unwrap().role(),
        Role::Viewer
    );

    auth::set_disabled(&mut archive, &admin, "counselor", true).unwrap();
    let err = auth::refresh(&archive, &session).unwrap_err();
    assert_eq!(err.code(), "account_disabled");
    // The program's own actor has no account to look up.
    assert_eq!(
        auth::refresh(&archive, &Actor::system()).unwrap(),
        Actor::system()
    );
}
