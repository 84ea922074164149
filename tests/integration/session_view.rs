//! What the app's header and side navigation are built from: the archive's member count as the
//! acting user sees it (`info`'s `visible_members`), and the role's permissions in the session
//! info, both decided by the core.

use dangan::actor::{Permission, Role};
use dangan::auth;

use crate::util::{TempArchive, json};

#[test]
fn info_counts_the_members_in_the_users_scope() {
    let temp = TempArchive::demo(120);
    let admin = json(temp.dangan(&["info", "--json"]));
    let members = admin["members"].as_i64().unwrap();
    assert_eq!(members, 120);
    assert_eq!(admin["visible_members"].as_i64(), Some(members));

    for (user, password) in [
        ("secretary", "demo-secretary"),
        ("counselor", "demo-counselor"),
    ] {
        let mut info = temp.dangan(&["info", "--json"]);
        info.env("DANGAN_USER", user)
            .env("DANGAN_PASSWORD", password);
        let info = json(info);
        // The whole archive's count stays; the scoped one is what the member list shows.
        assert_eq!(info["members"].as_i64(), Some(members), "{user}");
        let mut list = temp.dangan(&["member", "list", "--json"]);
        list.env("DANGAN_USER", user)
            .env("DANGAN_PASSWORD", password);
        let listed = json(list).as_array().unwrap().len() as i64;
        let visible = info["visible_members"].as_i64().unwrap();
        assert_eq!(visible, listed, "{user}");
        assert!(
            0 < visible && visible < members,
            "{user}: {visible} of {members}"
        );
    }
}

#[test]
fn the_session_info_lists_the_roles_permissions() {
    let temp = TempArchive::demo(20);
    let archive = temp.open();
    for demo in auth::DEMO_ACCOUNTS {
        let actor = auth::login(&archive, demo.username, demo.password).unwrap();
        let info = auth::session_info(&archive, &actor).unwrap();
        assert_eq!(
            info.permissions,
            demo.role.permissions(),
            "{}",
            demo.username
        );
        assert_eq!(
            info.permissions.contains(&Permission::AuditRead),
            demo.role == Role::Admin,
            "{}",
            demo.username
        );
        assert!(info.permissions.contains(&Permission::MemberRead));
    }
    // As the app receives it: snake_case codes.
    let actor = auth::login(&archive, "secretary", "demo-secretary").unwrap();
    let value = serde_json::to_value(auth::session_info(&archive, &actor).unwrap()).unwrap();
    assert_eq!(
        value["permissions"],
        serde_json::json!([
            "member_read",
            "report_write",
            "meeting_write",
            "appraisal_write"
        ])
    );
}
