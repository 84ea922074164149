//! Where the PDF fonts come from, and how each document carries only the glyphs it uses.
//!
//! Two roles: `Body` (a serif, 宋体 style: Noto Serif CJK SC) and `Heading` (a sans, 黑体 style:
//! Noto Sans CJK SC Bold). A face is chosen by the family and style names in its `name` table,
//! never by its index in a collection: the `.ttc` files hold the JP, KR, SC, TC and HK faces in
//! some order, and the JP face draws some characters differently.
//!
//! Lookup order (first directory that has a face of the role wins, in the role's preference
//! order):
//! 1. `DANGAN_FONT_DIR` (every font file in it);
//! 2. a bundled copy: `assets/fonts/` or `fonts/` next to the executable;
//! 3. the system: on Linux `/usr/share/fonts`, `/usr/local/share/fonts`, `~/.local/share/fonts`,
//!    `~/.fonts`; on Windows `%WINDIR%\Fonts` and the user's
//!    `%LOCALAPPDATA%\Microsoft\Windows\Fonts`; on macOS `/Library/Fonts`, `~/Library/Fonts`.
//!    In system directories only files whose names look like CJK fonts are opened (Noto CJK,
//!    Source Han, SimSun, SimHei, Microsoft YaHei), and of each only the headers and `name`
//!    tables are read; the two chosen files are then read whole.
//!
//! Preferences per role: Noto CJK SC, then Source Han SC (the same design under Adobe's name),
//! then on Windows SimSun (body) and Microsoft YaHei (headings). There is no per-character
//! fallback between faces: SimSun lacks characters beyond the BMP such as 𠈌 (they are in
//! SimSun-ExtB), so on a Windows PC without Noto such a name is refused with the characters
//! named, and the fix is to install Noto CJK or point `DANGAN_FONT_DIR` at it.
//!
//! Subsetting: printpdf 0.12 subsets only with its heavy `text_layout` feature, so we subset
//! ourselves with allsorts (which printpdf already depends on) before handing the face to
//! printpdf: the font program embedded is the subset, named with the `ABCDEF+` tag that marks a
//! subset (ISO 32000-1 §9.6.4).

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use allsorts::tables::cmap::Cmap;
use allsorts::tables::{FontTableProvider, HeadTable, HheaTable, HmtxTable, MaxpTable, NameTable};
use allsorts::tag;

use crate::error::ErrorCode;

/// The environment variable naming a directory of fonts to use before any other.
pub const FONT_DIR_ENV: &str = "DANGAN_FONT_DIR";

/// What a face is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Body,
    Heading,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Body, Role::Heading];

    /// (family, style) in order of preference.
    fn wanted(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Role::Body => &[
                ("Noto Serif CJK SC", "Regular"),
                ("Source Han Serif SC", "Regular"),
                ("SimSun", "Regular"),
                ("Noto Sans CJK SC", "Regular"),
            ],
            Role::Heading => &[
                ("Noto Sans CJK SC", "Bold"),
                ("Source Han Sans SC", "Bold"),
                ("Noto Sans CJK SC", "Regular"),
                ("Microsoft YaHei", "Bold"),
                ("Microsoft YaHei", "Regular"),
                ("SimHei", "Regular"),
            ],
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Body => "正文字体（宋体类，如 Noto Serif CJK SC）",
            Role::Heading => "标题字体（黑体类，如 Noto Sans CJK SC）",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error(
        "找不到{role}：请安装 fonts-noto-cjk（Debian/Ubuntu）或把字体文件放到 {FONT_DIR_ENV} 指向的目录；已查找 {}",
        searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("、")
    )]
    NotFound {
        role: &'static str,
        searched: Vec<PathBuf>,
    },
    #[error("字体 {family}（{file}）缺少这些字的字形：{}", chars.iter().collect::<String>())]
    MissingGlyphs {
        family: String,
        file: PathBuf,
        chars: Vec<char>,
    },
    #[error("字体文件 {file} 无法读取：{message}")]
    Unreadable { file: PathBuf, message: String },
    #[error("字体 {family} 无法子集化：{message}")]
    Subset { family: String, message: String },
}

impl ErrorCode for FontError {
    fn code(&self) -> &'static str {
        match self {
            FontError::NotFound { .. } => "font_not_found",
            FontError::MissingGlyphs { .. } => "font_missing_glyphs",
            FontError::Unreadable { .. } => "font_unreadable",
            FontError::Subset { .. } => "font_subset",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            FontError::NotFound { role, searched } => serde_json::json!({
                "role": role,
                "searched": searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            }),
            FontError::MissingGlyphs {
                family,
                file,
                chars,
            } => serde_json::json!({
                "family": family,
                "file": file.display().to_string(),
                "chars": chars.iter().collect::<String>(),
            }),
            FontError::Unreadable { file, .. } => {
                serde_json::json!({ "file": file.display().to_string() })
            }
            FontError::Subset { family, .. } => serde_json::json!({ "family": family }),
        }
    }
}

/// One face loaded for measuring and subsetting.
#[derive(Debug)]
pub struct Face {
    pub family: String,
    pub style: String,
    pub file: PathBuf,
    /// The face's index within its collection (0 for a single font).
    pub index: usize,
    postscript_name: String,
    /// The whole file (a collection, or a single face).
    bytes: Arc<Vec<u8>>,
    units_per_em: f32,
    /// Glyph id of each BMP code point (0: none).
    bmp: Vec<u16>,
    /// Glyph ids of code points beyond the BMP (rare name characters such as 𠈌).
    astral: HashMap<u32, u16>,
    /// Advance width in font units, by glyph id.
    advances: Vec<u16>,
    ascent: f32,
    descent: f32,
}

impl Face {
    /// Loads face `index` of `file` (read into `bytes`): its names, cmap and advances.
    fn load(file: &Path, bytes: Arc<Vec<u8>>, index: usize) -> Result<Face, FontError> {
        let unreadable = |message: &str| FontError::Unreadable {
            file: file.to_path_buf(),
            message: format!("face {index}: {message}"),
        };
        let font = ReadScope::new(&bytes)
            .read::<FontData<'_>>()
            .map_err(|e| unreadable(&e.to_string()))?;
        let provider = font
            .table_provider(index)
            .map_err(|e| unreadable(&e.to_string()))?;
        let table = |tag: u32, name: &str| {
            provider
                .read_table_data(tag)
                .map_err(|e| unreadable(&format!("{name}: {e}")))
        };
        let head_data = table(tag::HEAD, "head")?;
        let head = ReadScope::new(&head_data)
            .read::<HeadTable>()
            .map_err(|e| unreadable(&format!("head: {e}")))?;
        let maxp_data = table(tag::MAXP, "maxp")?;
        let maxp = ReadScope::new(&maxp_data)
            .read::<MaxpTable>()
            .map_err(|e| unreadable(&format!("maxp: {e}")))?;
        let hhea_data = table(tag::HHEA, "hhea")?;
        let hhea = ReadScope::new(&hhea_data)
            .read::<HheaTable>()
            .map_err(|e| unreadable(&format!("hhea: {e}")))?;
        let hmtx_data = table(tag::HMTX, "hmtx")?;
        let hmtx = ReadScope::new(&hmtx_data)
            .read_dep::<HmtxTable<'_>>((
                usize::from(maxp.num_glyphs),
                usize::from(hhea.num_h_metrics),
            ))
            .map_err(|e| unreadable(&format!("hmtx: {e}")))?;
        let advances: Vec<u16> = (0..maxp.num_glyphs)
            .map(|gid| hmtx.horizontal_advance(gid).unwrap_or(0))
            .collect();
        let cmap_data = table(tag::CMAP, "cmap")?;
        let cmap = ReadScope::new(&cmap_data)
            .read::<Cmap<'_>>()
            .map_err(|e| unreadable(&format!("cmap: {e}")))?;
        let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap)
            .ok()
            .flatten()
            .ok_or_else(|| unreadable("no Unicode cmap"))?;
        let mut bmp = vec![0u16; 0x1_0000];
        let mut astral = HashMap::new();
        subtable
            .mappings_fn(|cp, gid| match usize::try_from(cp) {
                Ok(at) if at < bmp.len() => bmp[at] = gid,
                _ => {
                    astral.insert(cp, gid);
                }
            })
            .map_err(|e| unreadable(&format!("cmap: {e}")))?;
        let names = face_names(&bytes, index).ok_or_else(|| unreadable("no name table"))?;
        Ok(Face {
            family: names.family,
            style: names.style,
            postscript_name: names.postscript,
            file: file.to_path_buf(),
            index,
            bytes: bytes.clone(),
            units_per_em: f32::from(head.units_per_em.max(1)),
            ascent: f32::from(hhea.ascender),
            descent: f32::from(hhea.descender),
            bmp,
            astral,
            advances,
        })
    }

    /// The glyph id of `c` (0: none).
    fn glyph(&self, c: char) -> u16 {
        let cp = u32::from(c);
        match self.bmp.get(cp as usize) {
            Some(gid) => *gid,
            None => self.astral.get(&cp).copied().unwrap_or(0),
        }
    }

    /// Whether the face draws `c`.
    pub fn has(&self, c: char) -> bool {
        self.glyph(c) != 0
    }

    /// The advance of `c` at 1 pt, in pt; `None` when the face lacks it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let gid = self.glyph(c);
        if gid == 0 {
            return None;
        }
        let units = self.advances.get(usize::from(gid)).copied().unwrap_or(0);
        Some(f32::from(units) / self.units_per_em)
    }

    /// Ascender above the baseline at 1 pt, in pt.
    pub fn ascent(&self) -> f32 {
        self.ascent / self.units_per_em
    }

    /// Descender below the baseline at 1 pt, in pt (positive).
    pub fn descent(&self) -> f32 {
        -self.descent / self.units_per_em
    }

    /// The characters of `text` the face cannot draw (whitespace and controls excepted).
    pub fn missing(&self, chars: impl IntoIterator<Item = char>) -> Vec<char> {
        let mut missing: Vec<char> = chars
            .into_iter()
            .filter(|c| !c.is_whitespace() && !c.is_control() && !self.has(*c))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// A font that holds only the glyphs of `chars`, ready for printpdf, named with a subset tag.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<printpdf::ParsedFont, FontError> {
        let missing = self.missing(chars.iter().copied());
        if !missing.is_empty() {
            return Err(FontError::MissingGlyphs {
                family: self.family.clone(),
                file: self.file.clone(),
                chars: missing,
            });
        }
        let fail = |message: String| FontError::Subset {
            family: self.family.clone(),
            message,
        };
        let mut glyphs: BTreeSet<u16> = chars.iter().map(|c| self.glyph(*c)).collect();
        glyphs.remove(&0);
        // .notdef must come first (allsorts requires it).
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs.iter().copied()).collect();
        let font = ReadScope::new(&self.bytes)
            .read::<FontData<'_>>()
            .map_err(|e| fail(e.to_string()))?;
        let provider = font
            .table_provider(self.index)
            .map_err(|e| fail(e.to_string()))?;
        let bytes =
            allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
                .map_err(|e| fail(e.to_string()))?;
        let mut warnings = Vec::new();
        let mut parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| fail(format!("the subset does not parse: {warnings:?}")))?;
        parsed.font_name = Some(format!(
            "{}+{}",
            subset_tag(&ids, &self.postscript_name),
            self.postscript_name
        ));
        Ok(parsed)
    }
}

/// Six capital letters derived from the glyph set, as subset tags are written.
fn subset_tag(ids: &[u16], name: &str) -> String {
    // FNV-1a: deterministic across runs, so the same document gives the same bytes.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name
        .bytes()
        .chain(ids.iter().flat_map(|id| id.to_be_bytes()))
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (0..6)
        .map(|i| {
            let letter = ((hash >> (i * 5)) % 26) as u8;
            char::from(b'A' + letter)
        })
        .collect()
}

struct FaceNames {
    family: String,
    style: String,
    postscript: String,
}

/// The typographic (or legacy) family and style names of face `index`.
fn face_names(bytes: &[u8], index: usize) -> Option<FaceNames> {
    let font = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = font.table_provider(index).ok()?;
    let data = provider.read_table_data(tag::NAME).ok()?;
    names_from_table(&data)
}

/// Family, style and PostScript names from a `name` table.
fn names_from_table(data: &[u8]) -> Option<FaceNames> {
    let names = ReadScope::new(data).read::<NameTable<'_>>().ok()?;
    let family = names
        .string_for_id(NameTable::TYPOGRAPHIC_FAMILY_NAME)
        .or_else(|| names.string_for_id(NameTable::FONT_FAMILY_NAME))?;
    let style = names
        .string_for_id(NameTable::TYPOGRAPHIC_SUBFAMILY_NAME)
        .or_else(|| names.string_for_id(NameTable::FONT_SUBFAMILY_NAME))
        .unwrap_or_else(|| "Regular".to_string());
    let postscript = names
        .string_for_id(NameTable::POSTSCRIPT_NAME)
        .unwrap_or_else(|| family.replace(' ', ""));
    Some(FaceNames {
        family,
        style,
        postscript,
    })
}

/// The names of every face in a font file, reading only the headers and the `name` tables (a
/// Noto CJK collection is 20–27 MB; only the chosen file is read whole).
fn faces_in_file(path: &Path) -> Vec<(usize, FaceNames)> {
    fn read_at(file: &mut std::fs::File, offset: u64, len: usize) -> Option<Vec<u8>> {
        if len > 16 << 20 {
            return None;
        }
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut buf = vec![0u8; len];
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    }
    fn u16_at(b: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
    }
    fn u32_at(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    }
    /// The names of the face whose offset table starts at `offset`.
    fn names_at(file: &mut std::fs::File, offset: u64) -> Option<FaceNames> {
        let header = read_at(file, offset, 12)?;
        let tables = usize::from(u16_at(&header, 4)?);
        let records = read_at(file, offset + 12, tables * 16)?;
        let name = (0..tables).find(|i| records.get(i * 16..i * 16 + 4) == Some(b"name"))?;
        let table_offset = u32_at(&records, name * 16 + 8)?;
        let table_len = u32_at(&records, name * 16 + 12)?;
        let data = read_at(file, u64::from(table_offset), table_len as usize)?;
        names_from_table(&data)
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let Some(header) = read_at(&mut file, 0, 12) else {
        return Vec::new();
    };
    let offsets: Vec<u64> = if header.get(..4) == Some(b"ttcf") {
        let count = u32_at(&header, 8).unwrap_or(0).min(64) as usize;
        read_at(&mut file, 12, count * 4)
            .map(|table| {
                (0..count)
                    .filter_map(|i| u32_at(&table, i * 4).map(u64::from))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![0]
    };
    offsets
        .into_iter()
        .enumerate()
        .filter_map(|(index, offset)| names_at(&mut file, offset).map(|names| (index, names)))
        .collect()
}

/// The faces a document is set in.
#[derive(Debug, Clone)]
pub struct FontSet {
    pub body: Arc<Face>,
    pub heading: Arc<Face>,
}

impl FontSet {
    /// Finds and loads the fonts in the documented lookup order.
    pub fn discover() -> Result<FontSet, FontError> {
        let explicit = std::env::var_os(FONT_DIR_ENV).map(PathBuf::from);
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf));
        let mut dirs: Vec<(PathBuf, bool)> = Vec::new();
        if let Some(dir) = explicit {
            dirs.push((dir, true));
        }
        if let Some(exe_dir) = exe_dir {
            dirs.push((exe_dir.join("assets").join("fonts"), true));
            dirs.push((exe_dir.join("fonts"), true));
        }
        for dir in system_dirs() {
            dirs.push((dir, false));
        }
        FontSet::from_dirs(&dirs)
    }

    /// Loads the fonts from `dirs` in order; `true` beside a directory means every font file in
    /// it is opened, `false` only files whose names look like CJK fonts.
    pub fn from_dirs(dirs: &[(PathBuf, bool)]) -> Result<FontSet, FontError> {
        // Directory by directory: a role is filled by the first directory that has any face
        // it accepts (its most preferred one there), so a font the user points to wins over
        // the system's.
        let mut chosen: [Option<(PathBuf, usize)>; 2] = [None, None];
        for (dir, all) in dirs {
            if chosen.iter().all(Option::is_some) {
                break;
            }
            let mut files = Vec::new();
            collect_font_files(dir, *all, 0, &mut files);
            let catalogue: Vec<(PathBuf, usize, FaceNames)> = files
                .iter()
                .flat_map(|file| {
                    faces_in_file(file)
                        .into_iter()
                        .map(move |(index, names)| (file.clone(), index, names))
                })
                .collect();
            for (slot, role) in chosen.iter_mut().zip(Role::ALL) {
                if slot.is_some() {
                    continue;
                }
                *slot = role.wanted().iter().find_map(|(family, style)| {
                    catalogue
                        .iter()
                        .find(|(_, _, n)| {
                            n.family.eq_ignore_ascii_case(family)
                                && n.style.eq_ignore_ascii_case(style)
                        })
                        .map(|(file, index, _)| (file.clone(), *index))
                });
            }
        }
        let searched: Vec<PathBuf> = dirs.iter().map(|(d, _)| d.clone()).collect();
        let mut read: Vec<(PathBuf, Arc<Vec<u8>>)> = Vec::new();
        let mut faces: Vec<Arc<Face>> = Vec::new();
        for (slot, role) in chosen.into_iter().zip(Role::ALL) {
            let (file, index) = slot.ok_or_else(|| FontError::NotFound {
                role: role.zh(),
                searched: searched.clone(),
            })?;
            // Both roles may come from one file (a sans-only system): read it once.
            let bytes = match read.iter().find(|(f, _)| *f == file) {
                Some((_, bytes)) => bytes.clone(),
                None => {
                    let bytes =
                        Arc::new(std::fs::read(&file).map_err(|err| FontError::Unreadable {
                            file: file.clone(),
                            message: err.to_string(),
                        })?);
                    read.push((file.clone(), bytes.clone()));
                    bytes
                }
            };
            faces.push(Arc::new(Face::load(&file, bytes, index)?));
        }
        let heading = faces.pop();
        let body = faces.pop();
        match (body, heading) {
            (Some(body), Some(heading)) => Ok(FontSet { body, heading }),
            _ => Err(FontError::NotFound {
                role: Role::Body.zh(),
                searched,
            }),
        }
    }

    pub fn face(&self, role: Role) -> &Face {
        match role {
            Role::Body => &self.body,
            Role::Heading => &self.heading,
        }
    }
}

/// The system font directories of this OS.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(windows) {
        let windir =
            std::env::var_os("WINDIR").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
        dirs.push(windir.join("Fonts"));
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(local).join(r"Microsoft\Windows\Fonts"));
        }
    } else if cfg!(target_os = "macos") {
        dirs.push(PathBuf::from("/Library/Fonts"));
        if let Some(home) = &home {
            dirs.push(home.join("Library/Fonts"));
        }
    } else {
        dirs.push(PathBuf::from("/usr/share/fonts"));
        dirs.push(PathBuf::from("/usr/local/share/fonts"));
        if let Some(home) = &home {
            dirs.push(home.join(".local/share/fonts"));
            dirs.push(home.join(".fonts"));
        }
    }
    dirs
}

/// Whether a file name looks like one of the CJK fonts we know by name.
fn looks_cjk(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "notoserifcjk",
        "notosanscjk",
        "sourcehan",
        "simsun",
        "simhei",
        "msyh",
    ]
    .iter()
    .any(|known| name.contains(known))
}

fn collect_font_files(dir: &Path, all: bool, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 4 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_font_files(&path, all, depth + 1, out);
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let is_font = [".ttc", ".otf", ".ttf", ".otc"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        if is_font && (all || looks_cjk(&name)) {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_tag_is_six_capitals_and_stable() {
        let tag = subset_tag(&[0, 5, 9], "NotoSerifCJKsc-Regular");
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(tag, subset_tag(&[0, 5, 9], "NotoSerifCJKsc-Regular"));
        assert_ne!(tag, subset_tag(&[0, 5, 10], "NotoSerifCJKsc-Regular"));
    }

    #[test]
    fn cjk_font_files_are_recognised_by_name() {
        assert!(looks_cjk("NotoSerifCJK-Regular.ttc"));
        assert!(looks_cjk("msyh.ttc"));
        assert!(looks_cjk("simsun.ttc"));
        assert!(!looks_cjk("DejaVuSans.ttf"));
    }

    /// Debian's fonts-noto-cjk (installed by scripts/lib.sh).
    fn noto() -> FontSet {
        FontSet::from_dirs(&[(PathBuf::from("/usr/share/fonts/opentype/noto"), false)]).unwrap()
    }

    #[test]
    fn the_sc_faces_are_picked_from_the_collections_by_name() {
        let fonts = noto();
        assert_eq!(fonts.body.family, "Noto Serif CJK SC");
        assert_eq!(fonts.body.style, "Regular");
        assert_eq!(fonts.heading.family, "Noto Sans CJK SC");
        assert_eq!(fonts.heading.style, "Bold");
        let bytes = std::fs::read(&fonts.body.file).unwrap();
        let names = face_names(&bytes, fonts.body.index).unwrap();
        assert_eq!(names.family, "Noto Serif CJK SC");
        for c in ['喆', '堃', '𠈌', '党', '，', '〇'] {
            assert!(fonts.body.has(c) && fonts.heading.has(c), "{c}");
        }
        // CJK ideographs are one em wide.
        assert_eq!(fonts.body.advance('党'), Some(1.0));
    }

    #[test]
    fn a_directory_earlier_in_the_order_wins_over_the_system() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            dir.path().join("mine.ttc"),
        )
        .unwrap();
        let fonts = FontSet::from_dirs(&[
            (dir.path().to_path_buf(), true),
            (PathBuf::from("/usr/share/fonts/opentype/noto"), false),
        ])
        .unwrap();
        // The serif and the bold sans are in the system folder, but the user's folder has a
        // face both roles accept.
        assert_eq!(fonts.body.file, dir.path().join("mine.ttc"));
        assert_eq!(fonts.body.family, "Noto Sans CJK SC");
        assert_eq!(fonts.heading.file, dir.path().join("mine.ttc"));
        assert_eq!(fonts.heading.style, "Regular");
    }

    #[test]
    fn a_character_the_face_lacks_is_named_in_the_error() {
        let fonts = noto();
        let chars: BTreeSet<char> = ['党', '\u{F0000}'].into_iter().collect();
        let err = fonts.body.subset(&chars).unwrap_err();
        assert_eq!(err.code(), "font_missing_glyphs");
        assert!(err.to_string().contains('\u{F0000}'));
    }

    #[test]
    fn a_subset_holds_only_the_glyphs_used_under_a_subset_tag() {
        let fonts = noto();
        let chars: BTreeSet<char> = "李𠈌喆堃".chars().collect();
        let subset = fonts.body.subset(&chars).unwrap();
        // The face is ~15 MB; what stays is the glyphs plus the CFF's shared subroutines and
        // font dictionaries (allsorts keeps those whole), ~60 KB.
        assert!(
            subset.original_bytes.len() < 100_000,
            "{}",
            subset.original_bytes.len()
        );
        for c in &chars {
            assert!(
                subset
                    .lookup_glyph_index(u32::from(*c))
                    .is_some_and(|g| g != 0),
                "{c}"
            );
        }
        let name = subset.font_name.unwrap();
        assert_eq!(name.find('+'), Some(6), "{name}");
    }

    #[test]
    fn an_empty_directory_gives_an_error_naming_where_it_looked() {
        let dir = tempfile::tempdir().unwrap();
        let err = FontSet::from_dirs(&[(dir.path().to_path_buf(), true)]).unwrap_err();
        assert_eq!(err.code(), "font_not_found");
        assert!(err.to_string().contains(&dir.path().display().to_string()));
    }
}
