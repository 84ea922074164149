//! Where the desktop app puts the documents it generates: the archive folder's `exports/`, under
//! names a clerk recognises (`档案-学号-姓名.pdf`, `介绍信-姓名-日期.pdf`, …). The user may copy
//! a file elsewhere afterwards (另存为…); reading a file back for the in-window preview is limited
//! to this folder, so the window cannot be used to read arbitrary files.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use super::batch::{self, BatchOutcome, BatchProgress, BatchScope};
use super::dossier::{self, DossierData};
use super::letter::{self, IssuedLetter, LetterRequest};
use super::notice::{self, NoticeKind, NoticeOutcome, NoticeRequest};
use super::{FontSet, PdfError, PdfFile, write_atomic};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::org;
use crate::people;

/// Generated documents are read back (preview) only up to this size.
pub const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// `exports/` in the archive's `plain_dir` (`<archive>/exports` for a plain archive).
pub fn dir(archive: &Archive) -> PathBuf {
    archive.plain_dir().join(crate::roster::EXPORTS_DIR)
}

/// Makes a name safe as a file name on Windows and Linux.
fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// `dir/stem.pdf`, or `dir/stem-2.pdf`, `-3`, … if that exists (a second letter the same day must
/// not replace the first one's file: both are in the register).
fn unused_path(dir: &Path, stem: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.pdf"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.pdf")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// A member's dossier into `exports/档案-<学号>-<姓名>.pdf` (replacing an older one).
pub fn dossier(
    archive: &Archive,
    actor: &Actor,
    fonts: &FontSet,
    member_id: i64,
    as_of: NaiveDate,
) -> Result<PdfFile, PdfError> {
    let data = DossierData::load(archive, actor, member_id, as_of)?;
    let template = dossier::DossierTemplate::load(archive)?;
    let out = dir(archive).join(format!("档案-{}", batch::file_name(&data)));
    dossier::write(fonts, &template, &data, &out)
}

/// Issues a letter into `exports/介绍信-<姓名>-<日期>.pdf` (numbered if that exists).
pub fn letter(
    archive: &mut Archive,
    actor: &Actor,
    fonts: &FontSet,
    request: &LetterRequest,
) -> Result<IssuedLetter, PdfError> {
    let member = people::show(archive, actor, request.member_id)?;
    let out = unused_path(
        &dir(archive),
        &safe(&format!("介绍信-{}-{}", member.name, request.issued_on)),
    );
    letter::issue(archive, actor, fonts, request, &out)
}

/// A branch's notice into `exports/公示-<支部>-<发展对象|转正>-<起始日>.pdf`.
pub fn notice(
    archive: &Archive,
    actor: &Actor,
    fonts: &FontSet,
    request: &NoticeRequest,
) -> Result<NoticeOutcome, PdfError> {
    let branch = branch_name(archive, actor, request.branch_id)?;
    let kind = match request.kind {
        NoticeKind::Development => "发展对象",
        NoticeKind::Conversion => "转正",
    };
    let out = dir(archive).join(format!(
        "{}.pdf",
        safe(&format!("公示-{branch}-{kind}-{}", request.from))
    ));
    notice::generate(archive, actor, fonts, request, &out)
}

fn branch_name(archive: &Archive, actor: &Actor, branch_id: i64) -> Result<String, PdfError> {
    Ok(org::list_branches(archive, actor)?
        .into_iter()
        .find(|b| b.id == branch_id)
        .ok_or(org::OrgError::NotFound(branch_id))?
        .name)
}

/// The folder a batch goes to by default: `exports/档案-<支部或班级>-<日期>/`.
pub fn batch_dir(
    archive: &Archive,
    actor: &Actor,
    scope: &BatchScope,
    as_of: NaiveDate,
) -> Result<PathBuf, PdfError> {
    let label = match scope {
        BatchScope::Branch(id) => branch_name(archive, actor, *id)?,
        BatchScope::Class(name) => name.clone(),
        BatchScope::Members(_) => "选定成员".to_string(),
    };
    Ok(dir(archive).join(safe(&format!("档案-{label}-{as_of}"))))
}

/// A batch into `out_dir`, or into `batch_dir` when none is given.
#[allow(clippy::too_many_arguments)]
pub fn batch(
    archive: &Archive,
    actor: &Actor,
    fonts: &FontSet,
    scope: &BatchScope,
    as_of: NaiveDate,
    out_dir: Option<&Path>,
    progress: &(dyn Fn(&BatchProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<BatchOutcome, PdfError> {
    let out = match out_dir {
        Some(dir) => dir.to_path_buf(),
        None => batch_dir(archive, actor, scope, as_of)?,
    };
    batch::generate(
        archive, actor, fonts, scope, as_of, &out, None, progress, cancel,
    )
}

/// The PDF `file` names if it lies in `exports/` or in one of `also` (folders the user chose for
/// a batch), refusing anything else: another folder, `..`, a link out, or not a PDF.
fn inside_exports(archive: &Archive, file: &Path, also: &[PathBuf]) -> Result<PathBuf, PdfError> {
    let refuse = |message: &str| PdfError::InvalidArgument {
        field: "file",
        message: format!("{}: {message}", file.display()),
    };
    let io = |source| PdfError::Io {
        path: file.to_path_buf(),
        source,
    };
    let real = file.canonicalize().map_err(io)?;
    let allowed = std::iter::once(dir(archive))
        .chain(also.iter().cloned())
        .filter_map(|d| d.canonicalize().ok())
        .any(|root| real.starts_with(root));
    if !allowed {
        return Err(refuse("只能读取本档案 exports 文件夹中生成的文件"));
    }
    if !real
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        return Err(refuse("不是 PDF 文件"));
    }
    Ok(real)
}

/// The bytes of a generated PDF under `exports/` or one of `also` (for the preview).
pub fn read(
    archive: &Archive,
    actor: &Actor,
    file: &Path,
    also: &[PathBuf],
) -> Result<Vec<u8>, PdfError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Documents)?;
    let real = inside_exports(archive, file, also)?;
    let io = |source| PdfError::Io {
        path: real.clone(),
        source,
    };
    let size = std::fs::metadata(&real).map_err(io)?.len();
    if size > MAX_READ_BYTES {
        return Err(PdfError::InvalidArgument {
            field: "file",
            message: format!("{}: 文件过大（{size} 字节）", real.display()),
        });
    }
    std::fs::read(&real).map_err(io)
}

/// Copies a generated PDF to a place the user chose (另存为…), through a temporary file and a
/// rename like every PDF we write. Returns the bytes written.
pub fn save_copy(
    archive: &Archive,
    actor: &Actor,
    file: &Path,
    also: &[PathBuf],
    to: &Path,
) -> Result<u64, PdfError> {
    let bytes = read(archive, actor, file, also)?;
    write_atomic(to, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unused_path_numbers_after_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = unused_path(dir.path(), "介绍信-张三-2026-01-02");
        assert_eq!(first, dir.path().join("介绍信-张三-2026-01-02.pdf"));
        std::fs::write(&first, b"x").unwrap();
        assert_eq!(
            unused_path(dir.path(), "介绍信-张三-2026-01-02"),
            dir.path().join("介绍信-张三-2026-01-02-2.pdf")
        );
    }

    #[test]
    fn read_only_gives_pdfs_from_exports_or_a_chosen_folder() {
        let temp = tempfile::tempdir().unwrap();
        let archive = Archive::open(temp.path().join("archive")).unwrap();
        let actor = Actor::local_admin();
        let exports = dir(&archive);
        std::fs::create_dir_all(&exports).unwrap();
        std::fs::write(exports.join("a.pdf"), b"%PDF-a").unwrap();
        std::fs::write(exports.join("a.txt"), b"text").unwrap();
        let chosen = temp.path().join("chosen");
        std::fs::create_dir_all(&chosen).unwrap();
        std::fs::write(chosen.join("index.pdf"), b"%PDF-i").unwrap();
        let read = |file: &Path, also: &[PathBuf]| read(&archive, &actor, file, also);
        let code = |r: Result<Vec<u8>, PdfError>| crate::ErrorCode::code(&r.unwrap_err());

        assert_eq!(read(&exports.join("a.pdf"), &[]).unwrap(), b"%PDF-a");
        assert_eq!(
            read(&exports.join("../exports/a.pdf"), &[]).unwrap(),
            b"%PDF-a"
        );
        assert_eq!(code(read(&exports.join("a.txt"), &[])), "invalid_argument");
        assert_eq!(code(read(&archive.db_path(), &[])), "invalid_argument");
        assert_eq!(
            code(read(&chosen.join("index.pdf"), &[])),
            "invalid_argument"
        );
        let chosen_only = std::slice::from_ref(&chosen);
        assert_eq!(
            read(&chosen.join("index.pdf"), chosen_only).unwrap(),
            b"%PDF-i"
        );
    }

    #[test]
    fn safe_replaces_separators() {
        assert_eq!(safe("a/b\\c:d"), "a_b_c_d");
    }
}
