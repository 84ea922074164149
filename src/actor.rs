//! The acting user. Every operation on member data takes an `Actor`: who is acting, in which
//! role, and which organisation units they may see. An `Actor` is obtained only by logging in
//! (`auth::login`, `auth::bootstrap_admin`), or as `Actor::system()` for the program's own
//! scheduled maintenance; the core checks it (`crate::auth::guard`) before every read and write.
//!
//! The role → permission table is a const table here, not a data file: it decides who may do
//! what, so it is compiled in and reviewed with the code (a TOML next to the program could be
//! edited to widen a role), and `tests` walk it.

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

/// What a user may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: users, backups, restore, the audit trail.
    Admin,
    /// 辅导员: reads and writes the members of their scope.
    Counselor,
    /// 支部书记: their branch: members read, meetings, thought reports, appraisals.
    Secretary,
    /// 档案员: reads everything, imports, exports, dossiers and letters.
    Clerk,
    /// 查阅: reads their scope, nothing else.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Counselor,
        Role::Secretary,
        Role::Clerk,
        Role::Viewer,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Counselor => "counselor",
            Role::Secretary => "secretary",
            Role::Clerk => "clerk",
            Role::Viewer => "viewer",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Counselor => "辅导员",
            Role::Secretary => "支部书记",
            Role::Clerk => "档案员",
            Role::Viewer => "查阅人",
        }
    }

    /// Whether the role reads every unit whatever its scope rows say.
    pub fn sees_everything(self) -> bool {
        matches!(self, Role::Admin | Role::Clerk)
    }

    pub fn permissions(self) -> &'static [Permission] {
        ROLE_PERMISSIONS
            .iter()
            .find(|(role, _)| *role == self)
            .map(|(_, perms)| *perms)
            .unwrap_or(&[])
    }

    pub fn allows(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

/// What an operation needs, beyond the member or unit being in the actor's scope. The session
/// info carries the role's list, so the app shows only what the user may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read members, their timelines, reports, meetings, appraisals, reminders and statistics.
    MemberRead,
    /// Record steps, corrections, status changes, probation extensions, evidence.
    MemberWrite,
    /// Add, review and import thought reports.
    ReportWrite,
    /// Record meetings.
    MeetingWrite,
    /// Record democratic appraisals.
    AppraisalWrite,
    /// Import rosters and undo imports.
    Import,
    /// Export rosters.
    Export,
    /// Dossiers, letters (and their register), publicity notices.
    Documents,
    /// Make backups.
    Backup,
    /// Restore a backup over the archive.
    Restore,
    /// Read and verify the audit trail.
    AuditRead,
    /// Accounts, roles and scopes; local rule sets; the search index.
    Admin,
}

impl Permission {
    pub fn as_code(self) -> &'static str {
        match self {
            Permission::MemberRead => "member_read",
            Permission::MemberWrite => "member_write",
            Permission::ReportWrite => "report_write",
            Permission::MeetingWrite => "meeting_write",
            Permission::AppraisalWrite => "appraisal_write",
            Permission::Import => "import",
            Permission::Export => "export",
            Permission::Documents => "documents",
            Permission::Backup => "backup",
            Permission::Restore => "restore",
            Permission::AuditRead => "audit_read",
            Permission::Admin => "admin",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Permission::MemberRead => "查阅党员档案",
            Permission::MemberWrite => "修改党员档案",
            Permission::ReportWrite => "登记思想汇报",
            Permission::MeetingWrite => "登记会议",
            Permission::AppraisalWrite => "登记民主评议",
            Permission::Import => "导入花名册",
            Permission::Export => "导出花名册",
            Permission::Documents => "生成档案、介绍信和公示",
            Permission::Backup => "备份",
            Permission::Restore => "恢复备份",
            Permission::AuditRead => "查看审计记录",
            Permission::Admin => "管理账号和系统设置",
        }
    }
}

use Permission as P;

/// The role → permission table (see the module comment for why it is code).
pub const ROLE_PERMISSIONS: [(Role, &[Permission]); 5] = [
    (
        Role::Admin,
        &[
            P::MemberRead,
            P::MemberWrite,
            P::ReportWrite,
            P::MeetingWrite,
            P::AppraisalWrite,
            P::Import,
            P::Export,
            P::Documents,
            P::Backup,
            P::Restore,
            P::AuditRead,
            P::Admin,
        ],
    ),
    (
        Role::Counselor,
        &[
            P::MemberRead,
            P::MemberWrite,
            P::ReportWrite,
            P::MeetingWrite,
            P::AppraisalWrite,
            P::Documents,
        ],
    ),
    (
        Role::Secretary,
        &[
            P::MemberRead,
            P::ReportWrite,
            P::MeetingWrite,
            P::AppraisalWrite,
        ],
    ),
    (
        Role::Clerk,
        &[P::MemberRead, P::Import, P::Export, P::Documents],
    ),
    (Role::Viewer, &[P::MemberRead]),
];

/// Which organisation units an actor sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    /// These unit ids (the scope units and everything below them).
    Units(BTreeSet<i64>),
}

/// Who is doing something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    user_id: Option<i64>,
    name: String,
    display_name: String,
    role: Role,
    visible: Visibility,
}

impl Actor {
    pub(crate) fn new(
        user_id: Option<i64>,
        name: String,
        display_name: String,
        role: Role,
        visible: Visibility,
    ) -> Actor {
        let visible = if role.sees_everything() {
            Visibility::All
        } else {
            visible
        };
        Actor {
            user_id,
            name,
            display_name,
            role,
            visible,
        }
    }

    /// The program itself, for in-process scheduled maintenance (automatic backups): an admin
    /// without an account, recorded in the audit trail as `system`. Never for a person.
    pub fn system() -> Actor {
        Actor::new(
            None,
            "system".to_string(),
            "系统".to_string(),
            Role::Admin,
            Visibility::All,
        )
    }

    /// The local administrator without logging in, for the core's unit tests only.
    #[cfg(test)]
    pub(crate) fn local_admin() -> Actor {
        Actor::new(
            None,
            "admin".to_string(),
            "admin".to_string(),
            Role::Admin,
            Visibility::All,
        )
    }

    /// The name recorded as `recorded_by` on what this actor writes (the username).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn user_id(&self) -> Option<i64> {
        self.user_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn visibility(&self) -> &Visibility {
        &self.visible
    }

    pub fn sees_all(&self) -> bool {
        self.visible == Visibility::All
    }

    /// Whether a member of unit `unit` (None: no branch) is in this actor's scope.
    pub fn sees_unit(&self, unit: Option<i64>) -> bool {
        match (&self.visible, unit) {
            (Visibility::All, _) => true,
            (Visibility::Units(units), Some(unit)) => units.contains(&unit),
            (Visibility::Units(_), None) => false,
        }
    }

    /// The visible unit ids, or None for all: what db queries filter on.
    pub fn scope_filter(&self) -> Option<&BTreeSet<i64>> {
        match &self.visible {
            Visibility::All => None,
            Visibility::Units(units) => Some(units),
        }
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }
}

/// An operation refused to an actor: the role lacks the permission, or what it concerns is
/// outside their scope. Every refusal is written to the audit trail (`access_denied`).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{user}（{role_zh}）无权{what}")]
pub struct Forbidden {
    pub user: String,
    pub role: Role,
    role_zh: &'static str,
    pub permission: Permission,
    /// What was refused, for a person: `查阅党员档案（党员 12，不在您的范围内）`.
    pub what: String,
    pub member_id: Option<i64>,
    pub unit_id: Option<i64>,
}

impl Forbidden {
    pub(crate) fn new(
        actor: &Actor,
        permission: Permission,
        what: String,
        member_id: Option<i64>,
        unit_id: Option<i64>,
    ) -> Forbidden {
        Forbidden {
            user: actor.name().to_string(),
            role: actor.role(),
            role_zh: actor.role().zh(),
            permission,
            what,
            member_id,
            unit_id,
        }
    }

    pub fn details(&self) -> serde_json::Value {
        serde_json::json!({
            "user": self.user,
            "role": self.role.as_code(),
            "permission": self.permission.as_code(),
            "member_id": self.member_id,
            "unit_id": self.unit_id,
        })
    }
}

impl crate::error::ErrorCode for Forbidden {
    fn code(&self) -> &'static str {
        "forbidden"
    }

    fn details(&self) -> serde_json::Value {
        Forbidden::details(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_row_and_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.as_code()), Some(role));
            assert!(role.allows(Permission::MemberRead), "{role:?}");
        }
        let roles: BTreeSet<_> = ROLE_PERMISSIONS.iter().map(|(r, _)| r.as_code()).collect();
        assert_eq!(roles.len(), Role::ALL.len());
    }

    #[test]
    fn only_admin_manages_users_backups_restore_and_audit() {
        for role in Role::ALL {
            for p in [
                Permission::Admin,
                Permission::Backup,
                Permission::Restore,
                Permission::AuditRead,
            ] {
                assert_eq!(role.allows(p), role == Role::Admin, "{role:?} {p:?}");
            }
        }
    }

    #[test]
    fn the_roles_read_as_the_brief_says() {
        assert!(!Role::Secretary.allows(Permission::Import));
        assert!(!Role::Secretary.allows(Permission::Export));
        assert!(!Role::Secretary.allows(Permission::MemberWrite));
        assert!(Role::Secretary.allows(Permission::MeetingWrite));
        assert!(Role::Clerk.allows(Permission::Import));
        assert!(!Role::Clerk.allows(Permission::MemberWrite));
        assert_eq!(Role::Viewer.permissions(), &[Permission::MemberRead]);
        assert!(Role::Counselor.allows(Permission::MemberWrite));
        assert!(!Role::Counselor.allows(Permission::Import));
    }

    #[test]
    fn scope_is_ignored_for_roles_that_read_everything() {
        let units = Visibility::Units(BTreeSet::from([3]));
        let clerk = Actor::new(None, "c".into(), "c".into(), Role::Clerk, units.clone());
        assert!(clerk.sees_all());
        let viewer = Actor::new(None, "v".into(), "v".into(), Role::Viewer, units);
        assert!(viewer.sees_unit(Some(3)));
        assert!(!viewer.sees_unit(Some(4)));
        assert!(!viewer.sees_unit(None));
        assert_eq!(viewer.scope_filter(), Some(&BTreeSet::from([3])));
    }
}
