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

impl ApiError {
    pub fn from_error<E: ErrorCode>(err: &E) -> ApiError {
        ApiError {
            code: err.code().to_string(),
            message: err.to_string(),
            details: err.details(),
        }
    }
}
