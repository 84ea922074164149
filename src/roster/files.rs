//! Where the desktop app keeps the files of an import or export: an uploaded roster is saved
//! under the archive's `tmp/import/` with the clerk's own file name (so every message and the
//! import history name the file the clerk chose), and exports, templates and error lists are
//! written into the archive's `exports/` folder under a name that never overwrites another file.

use std::path::{Path, PathBuf};

use crate::actor::{Actor, Permission};
use crate::archive::Archive;

use super::RosterError;

/// The folder under the archive root holding uploaded rosters until they are imported.
const UPLOAD_DIR: &str = "tmp/import";
/// Uploads older than this are removed when the next one arrives: a roster holds ID numbers, and
/// one left behind by a wizard that was closed should not stay in the archive for good.
const UPLOAD_KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
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
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<PathBuf, RosterError> {
    crate::auth::require(archive, actor, Permission::Import)?;
    let name = plain_name(file_name)?;
    let base = archive.plain_dir().join(UPLOAD_DIR);
    create_dir(&base)?;
    prune_uploads(&base, std::time::SystemTime::now());
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

/// Removes the upload folders last changed more than `UPLOAD_KEPT_FOR` before `now`. Best effort:
/// a folder that cannot be read or removed is left for the next time.
fn prune_uploads(base: &Path, now: std::time::SystemTime) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > UPLOAD_KEPT_FOR);
        if old && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Removes an upload once it is imported (its folder, which holds only it).
pub fn discard_upload(archive: &Archive, actor: &Actor, path: &Path) -> Result<(), RosterError> {
    crate::auth::require(archive, actor, Permission::Import)?;
    if !is_upload(archive, path) {
        return Err(RosterError::InvalidArgument(format!(
            "{} 不是上传到档案中的名册文件",
            path.display()
        )));
    }
    let folder = path.parent().unwrap_or(path);
    std::fs::remove_dir_all(folder).map_err(|source| RosterError::Io {
        path: folder.to_path_buf(),
        source,
    })
}

/// Whether `path` is a roster saved by `save_upload` in this archive: the desktop commands read
/// and import only those.
pub fn is_upload(archive: &Archive, path: &Path) -> bool {
    let base = archive.plain_dir().join(UPLOAD_DIR);
    path.starts_with(&base)
        && path
            .components()
            .all(|c| !matches!(c, std::path::Component::ParentDir))
}

/// A new path in the archive's `exports/` folder for `file_name`: `名册.xlsx`, else
/// `名册 (2).xlsx`, and so on, so nothing written before is replaced.
pub fn export_path(
    archive: &Archive,
    actor: &Actor,
    file_name: &str,
) -> Result<PathBuf, RosterError> {
    crate::auth::require(archive, actor, Permission::Export)?;
    let name = plain_name(file_name)?;
    let dir = archive.plain_dir().join(EXPORTS_DIR);
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
    fn an_imported_upload_is_discarded_and_old_ones_are_pruned() {
        let (_dir, archive) = archive();
        let actor = Actor::local_admin();
        let imported = save_upload(&archive, &actor, "a.xlsx", b"a").unwrap();
        discard_upload(&archive, &actor, &imported).unwrap();
        assert!(!imported.parent().unwrap().exists());
        assert!(discard_upload(&archive, &actor, &archive.db_path()).is_err());

        let kept = save_upload(&archive, &actor, "b.xlsx", b"b").unwrap();
        let stale = save_upload(&archive, &actor, "c.xlsx", b"c").unwrap();
        let two_days_ago = std::time::SystemTime::now() - 2 * UPLOAD_KEPT_FOR;
        std::fs::File::open(stale.parent().unwrap())
            .unwrap()
            .set_modified(two_days_ago)
            .unwrap();
        let fresh = save_upload(&archive, &actor, "d.xlsx", b"d").unwrap();
        assert!(kept.exists() && fresh.exists());
        assert!(!stale.parent().unwrap().exists());
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
