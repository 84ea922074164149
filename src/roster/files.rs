//! Where the desktop app keeps the files of an import or export: an uploaded roster is saved
//! under the archive's `tmp/import/` with the clerk's own file name (so every message and the
//! import history name the file the clerk chose), and exports, templates and error lists are
//! written into the archive's `exports/` folder under a name that never overwrites another file.

use std::path::{Path, PathBuf};

use crate::actor::Actor;
use crate::archive::Archive;

use super::RosterError;

/// The folder under the archive root holding uploaded rosters until they are imported.
const UPLOAD_DIR: &str = "tmp/import";
/// The folder under the archive root that exports, templates and error lists are written to.
pub const EXPORTS_DIR: &str = "exports";

/// The last component of a file name as a browser or the OS gives it, refused when it is empty
/// or could leave the folder.
fn plain_name(file_name: &str) -> Result<String, RosterError> {
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    if name.is_empty() || name == "." || name == ".." || name.contains('\0') {
        return Err(RosterError::InvalidArgument(format!(
            "文件名 {file_name:?} 无效"
        )));
    }
    Ok(name.to_string())
}

fn create_dir(dir: &Path) -> Result<(), RosterError> {
    std::fs::create_dir_all(dir).map_err(|source| RosterError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Saves an uploaded roster under `tmp/import/<n>/<file_name>` (a new folder per upload, so two
/// uploads of the same name never meet) and returns its path, for `preview` and `commit`.
pub fn save_upload(
    archive: &Archive,
    _actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<PathBuf, RosterError> {
    let name = plain_name(file_name)?;
    let base = archive.root().join(UPLOAD_DIR);
    create_dir(&base)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%.f").to_string();
    let dir = (0u32..)
        .map(|n| {
            base.join(if n == 0 {
                stamp.clone()
            } else {
                format!("{stamp}-{n}")
            })
        })
        .find(|dir| !dir.exists())
        .unwrap_or_else(|| base.join(&stamp));
    create_dir(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| RosterError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Whether `path` is a roster saved by `save_upload` in this archive: the desktop commands read
/// and import only those.
pub fn is_upload(archive: &Archive, path: &Path) -> bool {
    let base = archive.root().join(UPLOAD_DIR);
    path.starts_with(&base)
        && path
            .components()
            .all(|c| !matches!(c, std::path::Component::ParentDir))
}

/// A new path in the archive's `exports/` folder for `file_name`: `名册.xlsx`, else
/// `名册 (2).xlsx`, and so on, so nothing written before is replaced.
pub fn export_path(
    archive: &Archive,
    _actor: &Actor,
    file_name: &str,
) -> Result<PathBuf, RosterError> {
    let name = plain_name(file_name)?;
    let dir = archive.root().join(EXPORTS_DIR);
    create_dir(&dir)?;
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
        _ => (name.clone(), String::new()),
    };
    Ok((1u32..)
        .map(|n| {
            if n == 1 {
                dir.join(&name)
            } else {
                dir.join(format!("{stem} ({n}){extension}"))
            }
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| dir.join(&name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        (dir, archive)
    }

    #[test]
    fn an_upload_keeps_the_clerks_file_name_and_never_meets_another() {
        let (_dir, archive) = archive();
        let actor = Actor::local_admin();
        let first =
            save_upload(&archive, &actor, "C:\\Users\\clerk\\名册 2026.xlsx", b"one").unwrap();
        let second = save_upload(&archive, &actor, "名册 2026.xlsx", b"two").unwrap();
        assert_eq!(first.file_name().unwrap(), "名册 2026.xlsx");
        assert_ne!(first, second);
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        assert!(is_upload(&archive, &first));
        assert!(!is_upload(&archive, &archive.db_path()));
        assert!(!is_upload(&archive, &first.join("../../../../archive.db")));
    }

    #[test]
    fn a_name_that_could_leave_the_folder_is_refused() {
        let (_dir, archive) = archive();
        let actor = Actor::local_admin();
        for bad in ["", "..", "a/..", "  "] {
            assert!(save_upload(&archive, &actor, bad, b"x").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_export_never_replaces_an_earlier_one() {
        let (_dir, archive) = archive();
        let actor = Actor::local_admin();
        let first = export_path(&archive, &actor, "名册.xlsx").unwrap();
        std::fs::write(&first, b"x").unwrap();
        let second = export_path(&archive, &actor, "名册.xlsx").unwrap();
        assert_eq!(first.file_name().unwrap(), "名册.xlsx");
        assert_eq!(second.file_name().unwrap(), "名册 (2).xlsx");
        assert_eq!(second.parent(), first.parent());
    }
}
