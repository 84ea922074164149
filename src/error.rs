//! How errors cross the doors: every module's error names a stable snake_case `code` that the UI
//! and scripts can switch on, and converts into the `{code, message, details}` shape sent over IPC
//! and printed by the CLI with `--json`.

use serde::Serialize;
use ts_rs::TS;

/// Implemented by each module's error type.
pub trait ErrorCode: std::error::Error {
    /// A stable snake_case identifier; part of the IPC and CLI contract.
    fn code(&self) -> &'static str;

    /// Structured facts about the error (the path, the row, the field...), or null.
    fn details(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
}

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[ts(type = "unknown")]
    pub details: serde_json::Value,
}

/// The code every door gives an error that failed because another program (the CLI while the
/// app is open, or the other way round) held the archive's write lock for longer than the busy
/// timeout (`db::open`): nothing was written, and trying again later works.
pub const BUSY_CODE: &str = "archive_busy";

/// The message shown for `BUSY_CODE`.
pub const BUSY_MESSAGE: &str =
    "档案正被另一个程序写入（例如命令行正在导入名册），本次操作未写入任何内容；请稍后重试";

/// Whether `err` (or an error it was caused by) is SQLite's "database is busy/locked": another
/// connection held the write lock for the whole busy timeout.
pub fn is_busy(err: &dyn std::error::Error) -> bool {
    let mut cause = err.source();
    while let Some(current) = cause {
        if let Some(rusqlite::Error::SqliteFailure(failure, _)) =
            current.downcast_ref::<rusqlite::Error>()
            && matches!(
                failure.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            )
        {
            return true;
        }
        cause = current.source();
    }
    false
}

impl ApiError {
    /// The error as the UI gets it; a busy archive becomes `archive_busy` whatever module
    /// it came from, so the UI can say "try again" instead of "database error".
    pub fn from_error<E: ErrorCode>(err: &E) -> ApiError {
        if is_busy(err) {
            return ApiError {
                code: BUSY_CODE.to_string(),
                message: BUSY_MESSAGE.to_string(),
                details: serde_json::json!({ "cause": err.to_string() }),
            };
        }
        ApiError {
            code: err.code().to_string(),
            message: err.to_string(),
            details: err.details(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module's database error that SQLite reported as busy reaches the UI as `archive_busy`,
    /// with the cause kept in the details; any other database error keeps its module's code.
    #[test]
    fn a_busy_database_is_archive_busy_for_every_module() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".to_string()),
        );
        let err = crate::reports::ReportError::Db(busy);
        assert!(is_busy(&err));
        let shown = ApiError::from_error(&err);
        assert_eq!(shown.code, BUSY_CODE);
        assert_eq!(shown.message, BUSY_MESSAGE);
        assert!(shown.details["cause"].as_str().unwrap().contains("locked"));

        let other = crate::reports::ReportError::Db(rusqlite::Error::QueryReturnedNoRows);
        assert!(!is_busy(&other));
        assert_eq!(ApiError::from_error(&other).code, "database");
    }
}
