//! What the upload commands share: a file sent as the raw request body, with its facts (ids, the
//! file name) in headers, percent-encoded since header values are ASCII.

use dangan::ApiError;
use tauri::ipc::{InvokeBody, Request};

/// The request's raw body: the file's bytes (not a JSON array of numbers, four times the size).
pub fn raw_body(request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        _ => Err(invalid("the file must be sent as the raw request body")),
    }
}

/// The header `name`, percent-decoded (lossy UTF-8), if present.
pub fn header(request: &Request<'_>, name: &str) -> Option<String> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// The header `name` as an id, or an error naming the header and what it must hold.
pub fn id_header(request: &Request<'_>, name: &str, what: &str) -> Result<i64, ApiError> {
    header(request, name)
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or_else(|| invalid(&format!("the header {name} must name {what}")))
}

/// An `invalid_argument` error for a malformed request.
pub fn invalid(message: &str) -> ApiError {
    ApiError {
        code: "invalid_argument".to_string(),
        message: message.to_string(),
        details: serde_json::Value::Null,
    }
}
