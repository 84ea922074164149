//! OpenDocument spreadsheets (.ods, as LibreOffice and WPS save them): recognising one, and
//! refusing one whose repeated rows and columns would expand beyond what a roster needs.
//!
//! calamine reads an .ods sheet whole and spells out every repeated row and column of its used
//! area as cells in memory (about 32 bytes each, up to 100 million). A few hundred bytes of
//! `table:number-rows-repeated` can ask for that, so the used area is measured first with one
//! streaming pass over `content.xml`.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};

/// The `mimetype` entry an OpenDocument spreadsheet starts with (ODF 1.2, part 3, 3.3).
const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// How many cells a sheet's used area may hold: a 100,000-row roster with 80 columns.
pub(crate) const MAX_CELLS: u64 = 8_000_000;

/// Whether a zip container's `mimetype` entry says OpenDocument spreadsheet.
pub(crate) fn is_ods<R: Read + Seek>(reader: R) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(reader) else {
        return false;
    };
    let Ok(entry) = zip.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::with_capacity(MIMETYPE.len() + 16);
    entry
        .take(MIMETYPE.len() as u64 + 16)
        .read_to_end(&mut head)
        .is_ok()
        && head.trim_ascii() == MIMETYPE
}

/// The used area of one sheet: the rows and columns from its first to its last cell that holds
/// something, repeats spelled out.
#[derive(Debug, Default)]
struct Area {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Area {
    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
    }
}

fn widen(span: &mut Option<(u64, u64)>, first: u64, last: u64) {
    *span = Some(match *span {
        Some((a, b)) => (a.min(first), b.max(last)),
        None => (first, last),
    });
}

/// A repeat attribute (`table:number-rows-repeated`, `table:number-columns-repeated`), 1 when
/// absent or unreadable (calamine then refuses the file itself).
fn repeats(element: &BytesStart<'_>, name: &str) -> u64 {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Refuses (with the reason, in words) an .ods file a sheet of which spells out more than
/// `MAX_CELLS` cells. A file whose `content.xml` cannot be read passes: calamine says why.
pub(crate) fn check_size<R: Read + Seek>(reader: R) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(reader) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let mut area = Area::default();
    // The row being read: its first index, how often it repeats, and the next column.
    let (mut row, mut row_repeats, mut col) = (0u64, 1u64, 0u64);
    let mut row_used = false;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(_) => return Ok(()),
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    area = Area::default();
                    row = 0;
                }
                "table:table-row" => {
                    row_repeats = repeats(&e, "table:number-rows-repeated");
                    col = 0;
                    row_used = false;
                    if empty {
                        row = row.saturating_add(row_repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(&e, "table:number-columns-repeated");
                    // A cell with a value type or content holds something; LibreOffice writes
                    // empty (merely styled) cells as empty elements without one.
                    let used = !empty
                        || e.try_get_attribute("office:value-type")
                            .ok()
                            .flatten()
                            .is_some();
                    if used {
                        widen(&mut area.cols, col, col.saturating_add(n - 1));
                        row_used = true;
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if row_used {
                        widen(&mut area.rows, row, row.saturating_add(row_repeats - 1));
                    }
                    row = row.saturating_add(row_repeats);
                }
                "table:table" => {
                    let cells = area.cells();
                    if cells > MAX_CELLS {
                        return Err(format!(
                            "工作表 {sheet:?} 的重复行列展开后有 {cells} 个单元格（上限 {MAX_CELLS}），\
                             拒绝读取"
                        ));
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn ods(content: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(MIMETYPE).unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn sheet(rows: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="名册">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    const CELL: &str =
        r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;

    #[test]
    fn an_ods_file_is_told_by_its_mimetype() {
        assert!(is_ods(Cursor::new(ods(&sheet("")))));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("mimetype", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
        assert!(!is_ods(Cursor::new(zip.finish().unwrap().into_inner())));
        assert!(!is_ods(Cursor::new(b"PK\x03\x04 not a zip".to_vec())));
    }

    #[test]
    fn trailing_empty_repeats_cost_nothing() {
        // What LibreOffice writes after the last row: styled empty rows and columns to the end.
        let rows = format!(
            r#"<table:table-row>{CELL}{CELL}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:style-name="ce1" table:number-columns-repeated="16384"/></table:table-row>"#
        );
        assert_eq!(check_size(Cursor::new(ods(&sheet(&rows)))), Ok(()));
    }

    #[test]
    fn repeated_values_are_counted_where_they_spread() {
        // 3,000 rows of 3,000 columns: 9 million cells.
        let rows = r#"<table:table-row table:number-rows-repeated="3000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="3000"/></table:table-row>"#;
        let err = check_size(Cursor::new(ods(&sheet(rows)))).unwrap_err();
        assert!(err.contains("名册") && err.contains("9000000"), "{err}");

        // A value in the first cell and one a million rows down spread the area between them.
        let rows = format!(
            r#"<table:table-row>{CELL}<table:table-cell table:number-columns-repeated="9"/>{CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row>{CELL}</table:table-row>"#
        );
        let err = check_size(Cursor::new(ods(&sheet(&rows)))).unwrap_err();
        assert!(err.contains("11000022"), "{err}");

        // A roster's worth passes: 100,000 rows of 40 columns.
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="100000">{}</table:table-row>"#,
            CELL.repeat(40)
        );
        assert_eq!(check_size(Cursor::new(ods(&sheet(&rows)))), Ok(()));
    }
}
