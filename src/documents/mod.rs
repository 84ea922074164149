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

use crate::actor::Actor;
use crate::archive::Archive;
use crate::cipher::{FileKey, SEALED_OVERHEAD};
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
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot store {path} in the archive: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("{0} has no file name")]
    NoFileName(PathBuf),
    #[error("{0:?} is not a SHA-256 of a stored file (64 lowercase hex digits)")]
    NotAHash(String),
    #[error("no stored file with SHA-256 {0}")]
    NotFound(String),
    #[error("the stored file {path} does not decrypt with the archive's key (damaged or replaced)")]
    Undecryptable { path: PathBuf },
    #[error(
        "the stored file {sha256} is {size} bytes, more than the {limit} shown at once",
        limit = MAX_READ_BYTES
    )]
    TooLarge { sha256: String, size: u64 },
}

impl ErrorCode for DocumentError {
    fn code(&self) -> &'static str {
        match self {
            DocumentError::Forbidden(_) => "forbidden",
            DocumentError::Read { .. } => "file_unreadable",
            DocumentError::Write { .. } => "io",
            DocumentError::NoFileName(_) | DocumentError::NotAHash(_) => "invalid_argument",
            DocumentError::NotFound(_) => "file_not_found",
            DocumentError::Undecryptable { .. } => "file_undecryptable",
            DocumentError::TooLarge { .. } => "file_too_large",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            DocumentError::Forbidden(f) => f.details(),
            DocumentError::Read { path, .. }
            | DocumentError::Write { path, .. }
            | DocumentError::NoFileName(path)
            | DocumentError::Undecryptable { path } => serde_json::json!({ "path": path }),
            DocumentError::NotAHash(sha256) | DocumentError::NotFound(sha256) => {
                serde_json::json!({ "sha256": sha256 })
            }
            DocumentError::TooLarge { sha256, size } => {
                serde_json::json!({ "sha256": sha256, "size": size, "limit": MAX_READ_BYTES })
            }
        }
    }
}

/// The largest file `read` hands out at once (the UI shows attachments from memory).
pub const MAX_READ_BYTES: u64 = 16 * 1024 * 1024;

/// Copies `source` into the store (if it is not there already) and returns its reference. The
/// database row is the caller's to write.
pub(crate) fn store(
    archive: &Archive,
    source: &Path,
    material: Option<String>,
) -> Result<AttachmentRef, DocumentError> {
    let file_name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| DocumentError::NoFileName(source.to_path_buf()))?;
    let input = fs::File::open(source).map_err(|err| DocumentError::Read {
        path: source.to_path_buf(),
        source: err,
    })?;
    store_from(archive, source, file_name, input, material)
}

/// Stores `bytes` (a file the UI read, named `file_name` on the user's machine) like `store`.
/// Only the last component of `file_name` is kept; an empty name is refused.
pub(crate) fn store_bytes(
    archive: &Archive,
    file_name: &str,
    bytes: &[u8],
    material: Option<String>,
) -> Result<AttachmentRef, DocumentError> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .ok_or_else(|| DocumentError::NoFileName(PathBuf::from(file_name)))?;
    store_from(archive, Path::new(base), base.to_string(), bytes, material)
}

/// The one copy into the store: the content is written to a temporary file in the store while
/// it is hashed, then renamed into place, so the store never holds a partial file under a real
/// name. `origin` names the file in errors.
fn store_from(
    archive: &Archive,
    origin: &Path,
    file_name: String,
    mut input: impl Read,
    material: Option<String>,
) -> Result<AttachmentRef, DocumentError> {
    let read_err = |err| DocumentError::Read {
        path: origin.to_path_buf(),
        source: err,
    };
    let write_err = |err| DocumentError::Write {
        path: origin.to_path_buf(),
        source: err,
    };
    let files = archive.files_dir();
    if let Some(key) = archive.file_key() {
        // Encrypted archive: the content is hashed and sealed in memory (attachments are scans
        // and documents, read whole by `read` anyway) and written under its keyed name.
        let mut content = Vec::new();
        input.read_to_end(&mut content).map_err(read_err)?;
        let sha256 = hex::encode(Sha256::digest(&content));
        let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
        let (target, _) = stored_at(&files, Some(key), &sha256, size).map_err(write_err)?;
        if !target.exists() {
            let sealed = key.seal(&sha256, &content).map_err(|_| {
                write_err(io::Error::other("the attachment could not be encrypted"))
            })?;
            crate::cipher::write_atomically(&target, &sealed).map_err(write_err)?;
        }
        return Ok(AttachmentRef {
            sha256,
            file_name,
            material,
            size,
        });
    }
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

/// The content of the stored file with this SHA-256, if it is at most `MAX_READ_BYTES` long.
///
/// The actor needs `MemberRead` on something the file belongs to (a member in scope whose
/// evidence or report it is, or a meeting of a branch in scope): knowing a file's hash is not
/// enough to read it.
pub fn read(archive: &Archive, actor: &Actor, sha256: &str) -> Result<Vec<u8>, DocumentError> {
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let is_hash = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !is_hash {
        return Err(DocumentError::NotAHash(sha256.to_string()));
    }
    crate::auth::require_blob(archive, actor, crate::actor::Permission::MemberRead, sha256)?;
    let key = archive.file_key();
    let (path, _) =
        stored_at(&archive.files_dir(), key, sha256, 0).map_err(|err| DocumentError::Read {
            path: archive.files_dir(),
            source: err,
        })?;
    let read_err = |err: io::Error| match err.kind() {
        io::ErrorKind::NotFound => DocumentError::NotFound(sha256.to_string()),
        _ => DocumentError::Read {
            path: path.clone(),
            source: err,
        },
    };
    let overhead = if key.is_some() { SEALED_OVERHEAD } else { 0 };
    let size = fs::metadata(&path)
        .map_err(read_err)?
        .len()
        .saturating_sub(overhead);
    if size > MAX_READ_BYTES {
        return Err(DocumentError::TooLarge {
            sha256: sha256.to_string(),
            size,
        });
    }
    let stored = fs::read(&path).map_err(read_err)?;
    match key {
        None => Ok(stored),
        Some(key) => key
            .open(sha256, &stored)
            .map_err(|_| DocumentError::Undecryptable { path }),
    }
}

/// Where the file with this hash lives in a plain archive's store.
pub(crate) fn path_of(files: &Path, sha256: &str) -> PathBuf {
    files.join(&sha256[..2]).join(sha256)
}

/// Where the file with this hash and content size lives, and its size on disk: under its hash
/// in a plain archive; under HMAC(name key, hash), sealed, in an encrypted one.
pub(crate) fn stored_at(
    files: &Path,
    key: Option<&FileKey>,
    sha256: &str,
    size: i64,
) -> io::Result<(PathBuf, u64)> {
    let size = u64::try_from(size).unwrap_or(0);
    match key {
        None if sha256.len() >= 2 && sha256.is_ascii() => Ok((path_of(files, sha256), size)),
        None => Err(io::Error::other(format!("{sha256:?} is not a SHA-256"))),
        Some(key) => {
            let name = key
                .stored_name(sha256)
                .map_err(|_| io::Error::other("cannot compute the stored name"))?;
            Ok((path_of(files, &name), size + SEALED_OVERHEAD))
        }
    }
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

    #[test]
    fn bytes_from_the_ui_are_stored_like_a_file_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        let path = dir.path().join("scan.png");
        fs::write(&path, b"\x89PNG scan").unwrap();
        let from_path = store(&archive, &path, None).unwrap();
        // A browser may hand over a full path on some systems: only the name is kept.
        let from_bytes = store_bytes(
            &archive,
            "C:\\fakepath\\谈话记录.png",
            b"\x89PNG scan",
            Some("talk_record".to_string()),
        )
        .unwrap();
        assert_eq!(from_bytes.sha256, from_path.sha256);
        assert_eq!(from_bytes.file_name, "谈话记录.png");
        assert_eq!(from_bytes.size, 9);
        assert_eq!(walk(&archive.files_dir()).len(), 1);
        let actor = Actor::local_admin();
        assert_eq!(
            read(&archive, &actor, &from_bytes.sha256).unwrap(),
            b"\x89PNG scan"
        );

        let err = store_bytes(&archive, "dir/ ", b"x", None).unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
    }

    #[rstest::rstest]
    #[case("../../archive.db", "invalid_argument")]
    #[case(&"A".repeat(64), "invalid_argument")]
    #[case(&"ab".repeat(32), "file_not_found")]
    fn read_refuses_what_is_not_a_stored_hash(#[case] sha256: &str, #[case] code: &str) {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        let err = read(&archive, &Actor::local_admin(), sha256).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
    }

    #[test]
    fn read_refuses_a_file_too_large_to_show() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        let stored = store_bytes(&archive, "big.pdf", b"small for now", None).unwrap();
        // Grow the stored file past the limit (sparse, so the test writes almost nothing).
        let path = path_of(&archive.files_dir(), &stored.sha256);
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(MAX_READ_BYTES + 1)
            .unwrap();
        let err = read(&archive, &Actor::local_admin(), &stored.sha256).unwrap_err();
        assert_eq!(err.code(), "file_too_large");
        assert_eq!(err.details()["size"], MAX_READ_BYTES + 1);
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
