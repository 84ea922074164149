//! The organisation tree: university party committee (党委) → college committees (院党委) →
//! branches (党支部) → party groups (党小组).
//!
//! This module owns the shape of the tree and the branch list the UI filters by. Who may see which
//! subtree is the access module's concern (once accounts land), applied through the `Actor`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::error::ErrorCode;

/// The level of a unit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    UniversityCommittee,
    CollegeCommittee,
    Branch,
    Group,
}

impl OrgKind {
    pub fn as_code(self) -> &'static str {
        match self {
            OrgKind::UniversityCommittee => "university_committee",
            OrgKind::CollegeCommittee => "college_committee",
            OrgKind::Branch => "branch",
            OrgKind::Group => "group",
        }
    }

    /// The kind a unit's parent must have; `None` for the root.
    pub fn parent_kind(self) -> Option<OrgKind> {
        match self {
            OrgKind::UniversityCommittee => None,
            OrgKind::CollegeCommittee => Some(OrgKind::UniversityCommittee),
            OrgKind::Branch => Some(OrgKind::CollegeCommittee),
            OrgKind::Group => Some(OrgKind::Branch),
        }
    }
}

/// A branch as the filters offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BranchOption {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// The name of the college committee the branch belongs to.
    pub college: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("a {child} must be placed under a {expected}, not under a {found}")]
    WrongParent {
        child: &'static str,
        expected: &'static str,
        found: String,
    },
    #[error("no organisation unit with id {0}")]
    NotFound(i64),
    #[error("no branch is called {0:?}; `dangan branch list` shows them")]
    NoSuchBranch(String),
    #[error("{text:?} names several branches; write it as college/branch: {}", candidates.join(", "))]
    AmbiguousBranch {
        text: String,
        candidates: Vec<String>,
    },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for OrgError {
    fn code(&self) -> &'static str {
        match self {
            OrgError::Forbidden(_) => "forbidden",
            OrgError::WrongParent { .. } => "org_wrong_parent",
            OrgError::NotFound(_) => "org_not_found",
            OrgError::NoSuchBranch(_) => "branch_not_found",
            OrgError::AmbiguousBranch { .. } => "branch_ambiguous",
            OrgError::Db(_) => "database",
        }
    }
}

/// Every branch, colleges and branches in the order they were set up.
pub fn list_branches(archive: &Archive, actor: &Actor) -> Result<Vec<BranchOption>, OrgError> {
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let mut branches = db::org::branches(archive.conn())?;
    branches.retain(|b| actor.sees_unit(Some(b.id)));
    Ok(branches)
}

/// Finds the branch a person names: by id, by a unique branch name, or as `college/branch`
/// (the college's name with or without its trailing 党委).
pub fn find_branch(archive: &Archive, actor: &Actor, text: &str) -> Result<BranchOption, OrgError> {
    let text = text.trim();
    // Every branch, whether the actor sees it or not: naming one outside the scope is refused
    // by the operation it is named for (as `forbidden`), not reported as missing.
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let branches = db::org::branches(archive.conn())?;
    let matches = |branch: &BranchOption| match text.split_once('/') {
        Some((college, name)) => {
            let college = college.trim();
            branch.name == name.trim()
                && (branch.college == college
                    || branch.college.strip_suffix("党委") == Some(college))
        }
        None => branch.name == text || text.parse::<i64>() == Ok(branch.id),
    };
    let mut found: Vec<BranchOption> = branches.into_iter().filter(matches).collect();
    match found.len() {
        0 => Err(OrgError::NoSuchBranch(text.to_string())),
        1 => Ok(found.remove(0)),
        _ => Err(OrgError::AmbiguousBranch {
            text: text.to_string(),
            candidates: found
                .iter()
                .map(|b| format!("{}/{}", b.college, b.name))
                .collect(),
        }),
    }
}

/// Adds a unit under `parent_id` (the root has none), checking that the levels nest properly.
pub(crate) fn add_unit(
    conn: &rusqlite::Connection,
    kind: OrgKind,
    name: &str,
    parent_id: Option<i64>,
) -> Result<i64, OrgError> {
    let parent_kind = match parent_id {
        Some(id) => Some(db::org::kind_of(conn, id)?.ok_or(OrgError::NotFound(id))?),
        None => None,
    };
    if parent_kind.as_deref() != kind.parent_kind().map(OrgKind::as_code) {
        return Err(OrgError::WrongParent {
            child: kind.as_code(),
            expected: kind
                .parent_kind()
                .map_or("nothing (it is the root)", OrgKind::as_code),
            found: parent_kind.unwrap_or_else(|| "nothing".to_string()),
        });
    }
    Ok(db::org::insert(conn, kind.as_code(), name, parent_id)?)
}
