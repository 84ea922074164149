//! Reading a roster file into sheets of raw cells, and finding each sheet's header row(s).
//!
//! Excel files (.xlsx, .xlsm, .xls) and OpenDocument spreadsheets (.ods, as LibreOffice and WPS
//! save them) are read with calamine, CSV with the `csv` crate after the text encoding is
//! detected (UTF-8 with or without BOM, otherwise GB18030, a superset of GBK).
//! The file's kind is decided by its first bytes, not its name, so a text file renamed .xlsx or a
//! picture gets a clear error instead of a parser's complaint.

use std::io::{Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use super::cells::{Cell, clean_text};
use super::columns::{Field, field_for_header, header_key};
use super::error::RosterError;

/// A sheet as read: each row with the number Excel shows for it (1-based), or the CSV line.
#[derive(Debug, Clone)]
pub struct RawSheet {
    pub name: String,
    /// Hidden sheets (a template's lists) are read only when asked for by name.
    pub hidden: bool,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone)]
pub struct RawRow {
    pub number: u32,
    pub cells: Vec<Cell>,
}

/// A file as read.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// xlsx, xls, ods or csv.
    pub format: &'static str,
    /// The text encoding of a CSV file: utf-8, utf-8-bom or gb18030.
    pub encoding: Option<&'static str>,
    pub sheets: Vec<RawSheet>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a whole roster file into memory (tests, the error workbook); an import streams it
/// through `RosterSource` instead.
pub fn read_file(path: &Path) -> Result<RawFile, RosterError> {
    RosterSource::open_file(path)?.into_raw()
}

/// Reads a roster held in memory; `path` names it in messages and gives the extension.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<RawFile, RosterError> {
    RosterSource::open_bytes(path, bytes)?.into_raw()
}

/// A byte source calamine can read a workbook from: a file or bytes in memory. Send, so that
/// an import can read rows on one thread while it checks and writes them on another.
pub(crate) trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

type Workbook<'a> = calamine::Xlsx<Box<dyn ReadSeek + 'a>>;

/// A sheet's name and whether it is hidden, known before any of its rows is read.
#[derive(Debug, Clone)]
pub(crate) struct SheetInfo {
    pub name: String,
    pub hidden: bool,
}

/// A roster file opened for reading sheet by sheet and row by row, so that an import holds one
/// row at a time rather than the file. An .xlsx/.xlsm sheet is read cell by cell from the zip
/// entry (calamine's cell reader; calamine keeps the shared-string table in memory); .xls and
/// .ods have no streaming reader in calamine and are read whole; a CSV file is decoded once into
/// text whose records are parsed one by one.
pub(crate) struct RosterSource<'a> {
    path: PathBuf,
    /// xlsx, xls, ods or csv.
    pub format: &'static str,
    /// The text encoding of a CSV file: utf-8, utf-8-bom or gb18030.
    pub encoding: Option<&'static str>,
    pub sheets: Vec<SheetInfo>,
    body: Body<'a>,
}

enum Body<'a> {
    Xlsx(Box<Workbook<'a>>),
    Whole(Vec<Vec<RawRow>>),
    Csv(String),
}

/// The rows of one sheet, in order, each read when asked for.
pub(crate) struct SheetRows<'s, 'a> {
    path: &'s Path,
    sheet: &'s str,
    inner: RowsInner<'s, 'a>,
}

enum RowsInner<'s, 'a> {
    Xlsx {
        reader: Box<calamine::XlsxCellReader<'s, Box<dyn ReadSeek + 'a>>>,
        /// The first cell of the next row, read while finishing the previous one.
        next: Option<RawRow>,
        ended: bool,
    },
    Whole(std::slice::Iter<'s, RawRow>),
    Csv {
        reader: csv::Reader<&'s [u8]>,
        text: &'s [u8],
        record: csv::StringRecord,
        line: u64,
        counted_to: usize,
    },
}

/// Runs a calamine call, turning a panic into a damaged-workbook error: calamine 0.38 can panic
/// on some corrupted files (a damaged .xls sector table, for one, as the corrupted-bytes property
/// test found).
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T, RosterError>) -> Result<T, RosterError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the reader failed".to_string());
        Err(RosterError::BadWorkbook {
            path: path.to_path_buf(),
            reason,
        })
    })
}

impl RosterSource<'static> {
    /// Opens a roster file: an .xlsx/.xlsm is read from the file as it is parsed; other kinds
    /// are read into memory first.
    pub(crate) fn open_file(path: &Path) -> Result<RosterSource<'static>, RosterError> {
        let io = |source| RosterError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let mut head = Vec::with_capacity(ZIP_MAGIC.len());
        (&mut file)
            .take(ZIP_MAGIC.len() as u64)
            .read_to_end(&mut head)
            .map_err(io)?;
        if head.starts_with(ZIP_MAGIC) {
            file.rewind().map_err(io)?;
            return open_zip(path, Box::new(std::io::BufReader::new(file)));
        }
        drop(file);
        let bytes = std::fs::read(path).map_err(io)?;
        open_in_memory(path, &bytes)
    }
}

impl<'a> RosterSource<'a> {
    /// Opens a roster held in memory; `path` names it in messages and gives the extension.
    pub(crate) fn open_bytes(
        path: &Path,
        bytes: &'a [u8],
    ) -> Result<RosterSource<'a>, RosterError> {
        if bytes.starts_with(ZIP_MAGIC) {
            return open_zip(path, Box::new(Cursor::new(bytes)));
        }
        open_in_memory(path, bytes)
    }

    /// The rows of sheet `index`, from its first.
    pub(crate) fn rows(&mut self, index: usize) -> Result<SheetRows<'_, 'a>, RosterError> {
        let path = self.path.as_path();
        let sheet = self.sheets[index].name.as_str();
        let inner = match &mut self.body {
            Body::Xlsx(workbook) => {
                let reader = guarded(path, move || {
                    workbook
                        .worksheet_cells_reader(sheet)
                        .map_err(|e| bad_workbook(path, format!("工作表 {sheet:?}：{e}")))
                })?;
                RowsInner::Xlsx {
                    reader: Box::new(reader),
                    next: None,
                    ended: false,
                }
            }
            Body::Whole(sheets) => RowsInner::Whole(sheets[index].iter()),
            Body::Csv(text) => RowsInner::Csv {
                reader: csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text.as_bytes()),
                text: text.as_bytes(),
                record: csv::StringRecord::new(),
                line: 1,
                counted_to: 0,
            },
        };
        Ok(SheetRows { path, sheet, inner })
    }

    /// Every sheet read whole.
    pub(crate) fn into_raw(mut self) -> Result<RawFile, RosterError> {
        let mut sheets = Vec::new();
        for index in 0..self.sheets.len() {
            let info = self.sheets[index].clone();
            let mut rows = Vec::new();
            let mut reader = self.rows(index)?;
            while let Some(row) = reader.next_row()? {
                rows.push(row);
            }
            drop(reader);
            // Cells come in row order in every writer we know; make sure of it.
            rows.sort_by_key(|r| r.number);
            sheets.push(RawSheet {
                name: info.name,
                hidden: info.hidden,
                rows,
            });
        }
        Ok(RawFile {
            format: self.format,
            encoding: self.encoding,
            sheets,
        })
    }
}

fn bad_workbook(path: &Path, reason: String) -> RosterError {
    RosterError::BadWorkbook {
        path: path.to_path_buf(),
        reason,
    }
}

/// A zip container: an .xlsx/.xlsm workbook, or an OpenDocument spreadsheet.
fn open_zip<'a>(
    path: &Path,
    mut reader: Box<dyn ReadSeek + 'a>,
) -> Result<RosterSource<'a>, RosterError> {
    guarded(path, || {
        // calamine holds shared strings (and an .ods file's whole content) in memory: refuse a
        // zip bomb first.
        crate::zip_limits::check(&mut reader, crate::zip_limits::WORKBOOK)
            .map_err(|reason| bad_workbook(path, reason))?;
        let rewind = |reader: &mut Box<dyn ReadSeek + 'a>| {
            reader.rewind().map_err(|source| RosterError::Io {
                path: path.to_path_buf(),
                source,
            })
        };
        rewind(&mut reader)?;
        if super::ods::is_ods(&mut reader) {
            rewind(&mut reader)?;
            super::ods::check_size(&mut reader).map_err(|reason| bad_workbook(path, reason))?;
            rewind(&mut reader)?;
            let workbook =
                calamine::Ods::new(reader).map_err(|e| bad_workbook(path, e.to_string()))?;
            return read_whole(path, "ods", workbook);
        }
        rewind(&mut reader)?;
        let workbook: Workbook<'a> =
            calamine::Xlsx::new(reader).map_err(|e| bad_workbook(path, e.to_string()))?;
        let hidden = hidden_sheets(workbook.sheets_metadata());
        let sheets = workbook
            .sheet_names()
            .into_iter()
            .map(|name| SheetInfo {
                hidden: hidden.contains(&name),
                name,
            })
            .collect();
        Ok(RosterSource {
            path: path.to_path_buf(),
            format: "xlsx",
            encoding: None,
            sheets,
            body: Body::Xlsx(Box::new(workbook)),
        })
    })
}

/// An .xls workbook or a CSV file, read whole.
fn open_in_memory<'a>(path: &Path, bytes: &[u8]) -> Result<RosterSource<'a>, RosterError> {
    if bytes.is_empty() {
        return Err(RosterError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let excel_name = matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods");
    if bytes.starts_with(OLE_MAGIC) {
        return guarded(path, || read_xls(path, bytes));
    }
    if excel_name || !looks_like_text(bytes) {
        return Err(RosterError::UnsupportedFile {
            path: path.to_path_buf(),
            found: describe_bytes(bytes),
        });
    }
    let (text, encoding) = decode_text(bytes);
    let name = path
        .file_stem()
        .map_or_else(|| "CSV".to_string(), |s| s.to_string_lossy().into_owned());
    Ok(RosterSource {
        path: path.to_path_buf(),
        format: "csv",
        encoding: Some(encoding),
        sheets: vec![SheetInfo {
            name,
            hidden: false,
        }],
        body: Body::Csv(text),
    })
}

/// What a file that is neither Excel nor text seems to be, for the message.
fn describe_bytes(bytes: &[u8]) -> String {
    if bytes.starts_with(b"\x89PNG") {
        "这是一张 PNG 图片".to_string()
    } else if bytes.starts_with(b"%PDF") {
        "这是 PDF 文件".to_string()
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "这是一张 JPEG 图片".to_string()
    } else if looks_like_text(bytes) {
        "内容是纯文本，扩展名却是表格文件的".to_string()
    } else {
        "内容无法识别".to_string()
    }
}

/// No NUL bytes and mostly printable in the first kilobytes.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    !head.contains(&0)
        && head
            .iter()
            .filter(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\r' | b'\t'))
            .count()
            * 100
            <= head.len()
}

/// An .xls workbook, whole: calamine has no streaming reader for the BIFF format.
fn read_xls<'a>(path: &Path, bytes: &[u8]) -> Result<RosterSource<'a>, RosterError> {
    let workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| bad_workbook(path, e.to_string()))?;
    read_whole(path, "xls", workbook)
}

/// Every sheet of a workbook that calamine reads whole (.xls, .ods).
fn read_whole<'a, RS: Read + Seek, R: Reader<RS>>(
    path: &Path,
    format: &'static str,
    mut workbook: R,
) -> Result<RosterSource<'a>, RosterError>
where
    R::Error: std::fmt::Display,
{
    let bad = |reason: String| bad_workbook(path, reason);
    let hidden = hidden_sheets(workbook.sheets_metadata());
    let mut infos = Vec::new();
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| bad(format!("工作表 {name:?}：{e}")))?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let mut cells: Vec<Cell> = std::iter::repeat_n(Cell::Empty, first_col as usize)
                    .chain(row.iter().map(cell_from))
                    .collect();
                while cells.last() == Some(&Cell::Empty) {
                    cells.pop();
                }
                RawRow {
                    number: first_row + i as u32 + 1,
                    cells,
                }
            })
            .collect();
        sheets.push(rows);
        infos.push(SheetInfo {
            hidden: hidden.contains(&name),
            name,
        });
    }
    Ok(RosterSource {
        path: path.to_path_buf(),
        format,
        encoding: None,
        sheets: infos,
        body: Body::Whole(sheets),
    })
}

fn hidden_sheets(metadata: &[calamine::Sheet]) -> Vec<String> {
    metadata
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

impl SheetRows<'_, '_> {
    /// The last row number the sheet says it has, when it says (an .xlsx sheet's declared
    /// dimension, a CSV file's line count): for progress.
    pub(crate) fn last_row_hint(&self) -> Option<u32> {
        match &self.inner {
            RowsInner::Xlsx { reader, .. } => {
                let end = reader.dimensions().end.0;
                (end > 0).then_some(end + 1)
            }
            RowsInner::Whole(rows) => rows.as_slice().last().map(|r| r.number),
            RowsInner::Csv { text, .. } => {
                let lines = text.iter().filter(|b| **b == b'\n').count();
                Some(u32::try_from(lines + 1).unwrap_or(u32::MAX))
            }
        }
    }

    /// The next row with a non-empty cell (an .xlsx) or the next row (.xls, CSV); None at the
    /// end of the sheet.
    pub(crate) fn next_row(&mut self) -> Result<Option<RawRow>, RosterError> {
        let (path, sheet) = (self.path, self.sheet);
        match &mut self.inner {
            RowsInner::Whole(rows) => Ok(rows.next().cloned()),
            RowsInner::Xlsx {
                reader,
                next,
                ended,
            } => {
                let mut current = next.take();
                while !*ended {
                    let cell = guarded(path, || {
                        reader
                            .next_cell()
                            .map_err(|e| bad_workbook(path, format!("工作表 {sheet:?}：{e}")))
                    })?;
                    let Some(cell) = cell else {
                        *ended = true;
                        break;
                    };
                    let (row, col) = cell.get_position();
                    let value = cell_from_ref(cell.get_value());
                    if value == Cell::Empty {
                        continue;
                    }
                    let number = row + 1;
                    let row = match &mut current {
                        Some(r) if r.number == number => r,
                        Some(_) => {
                            // The first cell of the next row: the current one is complete.
                            let mut cells = Vec::with_capacity(col as usize + 1);
                            put(&mut cells, col as usize, value);
                            *next = Some(RawRow { number, cells });
                            return Ok(current);
                        }
                        None => current.insert(RawRow {
                            number,
                            cells: Vec::new(),
                        }),
                    };
                    put(&mut row.cells, col as usize, value);
                }
                Ok(current)
            }
            RowsInner::Csv {
                reader,
                text,
                record,
                line,
                counted_to,
            } => {
                let more = reader
                    .read_record(record)
                    .map_err(|e| RosterError::BadCsv {
                        path: path.to_path_buf(),
                        line: e.position().map_or(0, |p| p.line()),
                        reason: e.to_string(),
                    })?;
                if !more {
                    return Ok(None);
                }
                // The csv crate counts records, not the line breaks inside quoted fields: count
                // them.
                let start = record.position().map_or(*counted_to, |p| p.byte() as usize);
                let mut start = start.min(text.len());
                // A record's position may point at the end of the previous terminator or at
                // blank lines.
                while start < text.len() && matches!(text[start], b'\r' | b'\n') {
                    start += 1;
                }
                if start > *counted_to {
                    *line += text[*counted_to..start]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count() as u64;
                    *counted_to = start;
                }
                // Excel's own limit: a longer line is not a roster row, and 16 bytes of a
                // line's text would otherwise become a cell of ~50 bytes each (a 2 MB line of
                // commas, 200 MB).
                if record.len() > MAX_CSV_FIELDS {
                    return Err(RosterError::BadCsv {
                        path: path.to_path_buf(),
                        line: *line,
                        reason: format!(
                            "一行有 {} 个字段，超过 Excel 的上限 {MAX_CSV_FIELDS} 列",
                            record.len()
                        ),
                    });
                }
                let mut cells: Vec<Cell> = record
                    .iter()
                    .map(|field| {
                        if field.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(field.to_string())
                        }
                    })
                    .collect();
                while cells.last() == Some(&Cell::Empty) {
                    cells.pop();
                }
                Ok(Some(RawRow {
                    number: u32::try_from(*line).unwrap_or(u32::MAX),
                    cells,
                }))
            }
        }
    }
}

fn put(cells: &mut Vec<Cell>, col: usize, value: Cell) {
    if cells.len() <= col {
        cells.resize(col + 1, Cell::Empty);
    }
    cells[col] = value;
}

fn cell_from_ref(data: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => Cell::Date(dt.as_f64()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn cell_from(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// An OpenDocument date cell (`office:date-value`, 2019-06-01 or 2019-06-01T08:30:00) as the date
/// cell an Excel file would hold; anything else stays text.
fn iso_date(text: &str) -> Cell {
    text.get(..10)
        .and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .filter(|_| text.len() == 10 || text.as_bytes()[10] == b'T')
        .map_or_else(
            || Cell::Text(text.to_string()),
            |day| Cell::Date(super::cells::date_serial(day)),
        )
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// The text of a CSV file and the encoding it was in.
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return (String::from_utf8_lossy(rest).into_owned(), "utf-8-bom");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), "gb18030")
        }
    }
}

/// The most columns a worksheet has in Excel (A to XFD).
const MAX_CSV_FIELDS: usize = 16_384;

/// Where a sheet's header is and what each column is.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index in `RawSheet::rows` of the (lower) header row; data starts after it.
    pub row_index: usize,
    /// For each column: the header text as written (the lower row's, or the upper's where the
    /// lower cell is empty because of a vertical merge) and the field it maps to.
    pub columns: Vec<(String, Option<Field>)>,
}

impl Header {
    pub fn mapped(&self) -> usize {
        self.columns.iter().filter(|(_, f)| f.is_some()).count()
    }

    /// The first two columns that map to the same field, if any: (field, first, second).
    pub fn duplicate(&self) -> Option<(Field, usize, usize)> {
        self.columns.iter().enumerate().find_map(|(j, (_, f))| {
            let f = (*f)?;
            let i = self.index_of(f)?;
            (i < j).then_some((f, i, j))
        })
    }

    /// The column index of each field (the first column that maps to it).
    pub fn index_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|(_, f)| *f == Some(field))
    }
}

/// How many of the first rows are searched for the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// Finds the header: the row, or pair of rows (a group header over the column names), whose
/// texts name the most distinct known columns. Title rows above it name none and are skipped.
pub fn find_header(sheet: &RawSheet) -> Option<Header> {
    find_header_mapped(sheet, &[])
}

/// `find_header` with the clerk's column mapping: each `(header key, field)` pair (the key as
/// `header_key` makes it) replaces what the header names by itself, so a header Dangan does not
/// know can be mapped and a wrong guess ignored; the header row is chosen with them applied.
pub fn find_header_mapped(
    sheet: &RawSheet,
    overrides: &[(String, Option<Field>)],
) -> Option<Header> {
    let mut best: Option<Header> = None;
    let limit = sheet.rows.len().min(HEADER_SEARCH_ROWS);
    for lower in 0..limit {
        let mut candidates = vec![header_from(None, &sheet.rows[lower], lower, overrides)];
        // A group header row has several cells; a title row has one.
        let upper_is_group = lower > 0
            && sheet.rows[lower - 1]
                .cells
                .iter()
                .filter(|c| !c.is_blank())
                .count()
                >= 2;
        if upper_is_group {
            candidates.push(header_from(
                Some(&sheet.rows[lower - 1]),
                &sheet.rows[lower],
                lower,
                overrides,
            ));
        }
        for candidate in candidates {
            let better = best.as_ref().is_none_or(|b| score(&candidate) > score(b));
            if better && distinct(&candidate) > 0 {
                best = Some(candidate);
            }
        }
    }
    best
}

/// Distinct known columns first; then, between a header row alone and the same row under its
/// group header, the one that names more columns.
fn score(header: &Header) -> (usize, usize) {
    let named = header.columns.iter().filter(|(t, _)| !t.is_empty()).count();
    (distinct(header), named)
}

fn distinct(header: &Header) -> usize {
    let mut fields: Vec<Field> = header.columns.iter().filter_map(|(_, f)| *f).collect();
    fields.sort();
    fields.dedup();
    fields.len()
}

fn header_from(
    upper: Option<&RawRow>,
    lower: &RawRow,
    row_index: usize,
    overrides: &[(String, Option<Field>)],
) -> Header {
    let width = lower.cells.len().max(upper.map_or(0, |u| u.cells.len()));
    let text_at = |row: &RawRow, i: usize| {
        row.cells
            .get(i)
            .map(|c| clean_text(&c.display()))
            .unwrap_or_default()
    };
    let columns = (0..width)
        .map(|i| {
            let mut text = text_at(lower, i);
            if text.is_empty()
                && let Some(upper) = upper
            {
                text = text_at(upper, i);
            }
            let key = header_key(&text);
            let field = match overrides.iter().find(|(k, _)| !key.is_empty() && *k == key) {
                Some((_, field)) => *field,
                None => field_for_header(&text),
            };
            (text, field)
        })
        .collect();
    Header { row_index, columns }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u32, texts: &[&str]) -> RawRow {
        RawRow {
            number,
            cells: texts
                .iter()
                .map(|t| {
                    if t.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(t.to_string())
                    }
                })
                .collect(),
        }
    }

    /// A line of more fields than Excel has columns is refused with its line number, before
    /// a cell is made of each field (a 2 MB line of commas took 200 MB).
    #[test]
    fn a_csv_line_wider_than_excel_is_refused() {
        let text = format!("姓名,性别\n张三,男\n{}\n", ",".repeat(MAX_CSV_FIELDS));
        let err = read_bytes(Path::new("wide.csv"), text.as_bytes()).unwrap_err();
        assert!(matches!(err, RosterError::BadCsv { line: 3, .. }), "{err}");
        assert!(err.to_string().contains("wide.csv"), "{err}");
        let ok = format!("姓名,性别\n{}\n", ",".repeat(MAX_CSV_FIELDS - 1));
        assert!(read_bytes(Path::new("ok.csv"), ok.as_bytes()).is_ok());
    }

    #[test]
    fn a_title_row_and_a_group_header_are_skipped() {
        let sheet = RawSheet {
            name: "Sheet1".into(),
            hidden: false,
            rows: vec![
                row(1, &["计算机学院党员名册"]),
                row(2, &["序号", "基本信息", "", "", "组织信息"]),
                row(3, &["", "姓名", "性别", "身份证号码", "所在支部"]),
                row(
                    4,
                    &["1", "张三", "男", "110108200110010129", "本科生第一党支部"],
                ),
            ],
        };
        let header = find_header(&sheet).unwrap();
        assert_eq!(header.row_index, 2);
        assert_eq!(header.columns[1], ("姓名".to_string(), Some(Field::Name)));
        assert_eq!(header.columns[0].0, "序号");
        assert_eq!(header.index_of(Field::Branch), Some(4));
    }

    #[test]
    fn a_mapping_finds_an_unknown_header_and_a_field_named_twice_is_seen() {
        let sheet = RawSheet {
            name: "Sheet1".into(),
            hidden: false,
            rows: vec![
                row(1, &["称呼", "证件", "联系电话", "手机号码"]),
                row(2, &["张三", "110108200110010129", "1", "2"]),
            ],
        };
        let header = find_header(&sheet).unwrap();
        assert_eq!(header.index_of(Field::Name), None);
        assert_eq!(header.duplicate(), Some((Field::Phone, 2, 3)));
        let mapped = find_header_mapped(
            &sheet,
            &[
                ("称呼".to_string(), Some(Field::Name)),
                ("证件".to_string(), Some(Field::IdNumber)),
                ("手机号码".to_string(), None),
            ],
        )
        .unwrap();
        assert_eq!(mapped.index_of(Field::Name), Some(0));
        assert_eq!(mapped.index_of(Field::IdNumber), Some(1));
        assert_eq!(mapped.duplicate(), None);
        assert_eq!(mapped.columns[3], ("手机号码".to_string(), None));
    }

    #[test]
    fn csv_rows_are_numbered_by_their_first_line() {
        let text = "a,b\r\nc,\"d\ne\"\r\n\r\nf,g\r\n";
        let raw = read_bytes(Path::new("x.csv"), text.as_bytes()).unwrap();
        let numbers: Vec<u32> = raw.sheets[0].rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 2, 5]);
    }

    #[test]
    fn csv_encodings_are_detected() {
        let (text, enc) = decode_text("姓名,学号".as_bytes());
        assert_eq!((text.as_str(), enc), ("姓名,学号", "utf-8"));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,学号");
        let (text, enc) = decode_text(&gbk);
        assert_eq!((text.as_str(), enc), ("姓名,学号", "gb18030"));
        let (text, enc) = decode_text(b"\xEF\xBB\xBFa,b");
        assert_eq!((text.as_str(), enc), ("a,b", "utf-8-bom"));
    }
}
