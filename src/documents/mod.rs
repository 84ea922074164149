//! Attachments: scanned paper and documents kept under the archive's `files/` folder, each stored
//! once under its SHA-256 (`files/ab/abcdef…`), whatever it was called and however often it is
//! attached.
//!
//! This module owns the file store. Which event a file is evidence of, and which archive material
//! it is, is recorded by the caller (`lifecycle`) in the same transaction as the event.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::archive::Archive;
use crate::error::ErrorCode;

/// A stored file as a member's file refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttachmentRef {
    pub sha256: String,
    pub file_name: String,
    /// The archive material it is, e.g. `application_letter`.
    pub material: Option<String>,
    #[ts(type = "number")]
    pub size: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot store {path} in the archive: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("{0} has no file name")]
    NoFileName(PathBuf),
}

impl ErrorCode for DocumentError {
    fn code(&self) -> &'static str {
        match self {
            DocumentError::Read { .. } => "file_unreadable",
            DocumentError::Write { .. } => "io",
            DocumentError::NoFileName(_) => "invalid_argument",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            DocumentError::Read { path, .. }
            | DocumentError::Write { path, .. }
            | DocumentError::NoFileName(path) => serde_json::json!({ "path": path }),
        }
    }
}

/// Copies `source` into the store (if it is not there already) and returns its reference. The
/// copy is written to a temporary file in the store and renamed into place, so the store never
/// holds a partial file under a real name. The database row is the caller's to write.
pub(crate) fn store(
    archive: &Archive,
    source: &Path,
    material: Option<String>,
) -> Result<AttachmentRef, DocumentError> {
    let file_name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| DocumentError::NoFileName(source.to_path_buf()))?;
    let read_err = |err| DocumentError::Read {
        path: source.to_path_buf(),
        source: err,
    };
    let files = archive.files_dir();
    let write_err = |err| DocumentError::Write {
        path: source.to_path_buf(),
        source: err,
    };

    let mut input = fs::File::open(source).map_err(read_err)?;
    let mut temp = tempfile::NamedTempFile::new_in(&files).map_err(write_err)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0i64;
    loop {
        let n = input.read(&mut buffer).map_err(read_err)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        temp.write_all(&buffer[..n]).map_err(write_err)?;
        size += i64::try_from(n).unwrap_or(i64::MAX);
    }
    let sha256 = hex::encode(hasher.finalize());
    let target = path_of(&files, &sha256);
    if !target.exists() {
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(write_err)?;
        }
        temp.as_file().sync_all().map_err(write_err)?;
        temp.persist(&target).map_err(|err| write_err(err.error))?;
    }
    Ok(AttachmentRef {
        sha256,
        file_name,
        material,
        size,
    })
}

/// Where the file with this hash lives in the store.
pub(crate) fn path_of(files: &Path, sha256: &str) -> PathBuf {
    files.join(&sha256[..2]).join(sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_content_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        let first = dir.path().join("入党申请书.pdf");
        let second = dir.path().join("copy.pdf");
        fs::write(&first, "申请书内容").unwrap();
        fs::write(&second, "申请书内容").unwrap();
        let a = store(&archive, &first, Some("application_letter".to_string())).unwrap();
        let b = store(&archive, &second, None).unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.file_name, "入党申请书.pdf");
        assert_eq!(a.size, "申请书内容".len() as i64);
        let stored = path_of(&archive.files_dir(), &a.sha256);
        assert_eq!(fs::read_to_string(stored).unwrap(), "申请书内容");
        // Only the stored file and its folder: no temporary files are left behind.
        let entries: Vec<_> = walk(&archive.files_dir());
        assert_eq!(entries.len(), 1, "{entries:?}");
    }

    #[test]
    fn a_missing_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        let err = store(&archive, &dir.path().join("没有.pdf"), None).unwrap_err();
        assert_eq!(err.code(), "file_unreadable");
        assert!(err.to_string().contains("没有.pdf"), "{err}");
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }
}
