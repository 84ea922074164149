//! The roster fixtures in `tests/fixtures/roster/`, generated here so that every cell is
//! explained. `UPDATE_FIXTURES=1 cargo test --test integration roster_fixtures` rewrites them;
//! the test `the_fixtures_match_their_generator` checks that the committed files hold what this
//! generator writes (cell by cell, since .xlsx files carry a timestamp). `legacy.xls` is written by
//! `scripts/roster-fixtures-xls.py` (xlwt), as no Rust crate writes .xls; `office.ods` is written
//! here with the zip crate.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use dangan::people::IdNumber;
use dangan::roster::cells::date_serial;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A valid ID number for a birth date; `sequence` odd for a man, even for a woman.
pub fn id(birth: &str, sequence: u16) -> String {
    IdNumber::compose("110108", day(birth), sequence)
        .unwrap()
        .as_str()
        .to_string()
}

/// The same number with a wrong check character.
fn bad_checksum(number: &str) -> String {
    let last = number.chars().last().unwrap();
    let wrong = if last == '0' { '1' } else { '0' };
    format!("{}{wrong}", &number[..17])
}

/// A cell to write.
enum C {
    T(String),
    /// A number cell.
    N(f64),
    /// A cell formatted as a date.
    D(&'static str),
    E,
}

fn t(text: impl Into<String>) -> C {
    C::T(text.into())
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[C], date: &Format) {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match cell {
            C::T(text) => {
                sheet.write_string(row, col, text).unwrap();
            }
            C::N(n) => {
                sheet.write_number(row, col, *n).unwrap();
            }
            C::D(text) => {
                sheet
                    .write_number_with_format(row, col, date_serial(day(text)), date)
                    .unwrap();
            }
            C::E => {}
        }
    }
}

/// `messy.xlsx`: a title row, two-row merged headers, every date form, and one row per error
/// code that a single file can show; a second sheet with a cross-sheet duplicate and an ambiguous
/// branch; a notes sheet that is not a roster.
pub fn messy_xlsx(path: &Path) {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    let plain = Format::new();
    let cs = "计算机科学与技术学院";
    let sheet = workbook.add_worksheet();
    sheet.set_name("计算机学院").unwrap();
    // Row 1: the title; rows 2-3: the group headers over the column names.
    sheet
        .merge_range(
            0,
            0,
            0,
            11,
            "计算机科学与技术学院 党员名册（2026年）",
            &plain,
        )
        .unwrap();
    sheet.merge_range(1, 0, 2, 0, "序号", &plain).unwrap();
    sheet.merge_range(1, 1, 1, 5, "基本信息", &plain).unwrap();
    sheet.merge_range(1, 6, 1, 8, "组织信息", &plain).unwrap();
    sheet.write_string(1, 9, "联系方式").unwrap();
    sheet.merge_range(1, 10, 2, 10, "学号", &plain).unwrap();
    sheet.merge_range(1, 11, 2, 11, "学院", &plain).unwrap();
    for (col, text) in [
        "姓名",
        "性别",
        "民族",
        "身份证号码",
        "出生日期",
        "所在支部",
        "入党时间",
        "转正时间",
        "手机号码",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, col as u16 + 1, *text).unwrap();
    }
    let branch = || t("本科生第一党支部");
    let rows: Vec<Vec<C>> = vec![
        // 4: Excel date cells, a student number stored as a number.
        vec![
            C::N(1.0),
            t("张伟"),
            t("男"),
            t("汉族"),
            t(id("2001-03-05", 11)),
            C::D("2001-03-05"),
            branch(),
            C::D("2021-06-01"),
            C::D("2022-06-01"),
            t("13812345678"),
            C::N(2023030001.0),
            t(cs),
        ],
        // 5: serial numbers without a date format, full-width spaces, a lowercase x.
        vec![
            C::N(2.0),
            t("\u{3000}李堃 "),
            t("男"),
            t("汉"),
            t(id("2002-01-15", 13).to_lowercase()),
            C::N(37271.0),
            branch(),
            C::N(44348.0),
            C::E,
            t("13812345679"),
            t("2023030002"),
            t(cs),
        ],
        // 6: 2019.06.01 and full-width digits in the ID number.
        vec![
            C::N(3.0),
            t("王喆"),
            t("女"),
            t("回族"),
            t(full_width(&id("2000-02-29", 22))),
            t("2000.02.29"),
            branch(),
            t("2019.06.01"),
            t("2020.06.01"),
            t("13912345678"),
            t("2023030003"),
            t(cs),
        ],
        // 7: 2019年6月1日, a full-width phone number.
        vec![
            C::N(4.0),
            t("赵𠈌"),
            t("女"),
            t("满族"),
            t(id("1999-12-31", 24)),
            t("1999年12月31日"),
            branch(),
            t("2019年6月1日"),
            C::E,
            t("１３７１２３４５６７８"),
            t("2023030004"),
            t(cs),
        ],
        // 8: 2019/6/1 and 20190601.
        vec![
            C::N(5.0),
            t("钱多多"),
            t("男"),
            t("苗"),
            t(id("2000-07-07", 35)),
            t("2000/7/7"),
            branch(),
            t("2019/6/1"),
            t("20200601"),
            t("010-62751234"),
            t("2023030005"),
            t(cs),
        ],
        // 9: 2019-6-1; birth date and sex left to the ID number.
        vec![
            C::N(6.0),
            t("孙悦"),
            C::E,
            C::E,
            t(id("2001-08-08", 46)),
            C::E,
            branch(),
            t("2019-6-1"),
            C::E,
            C::E,
            t("2023030006"),
            t(cs),
        ],
        // 10: an 18-digit ID number stored as a number: Excel has rounded it.
        vec![
            C::N(7.0),
            t("周数字"),
            t("男"),
            t("汉族"),
            C::N(110108200110010124.0),
            C::E,
            branch(),
            C::E,
            C::E,
            C::E,
            t("2023030007"),
            t(cs),
        ],
        // 11: a wrong check character.
        vec![
            C::N(8.0),
            t("吴校验"),
            t("男"),
            t("汉族"),
            t(bad_checksum(&id("2001-10-01", 17))),
            C::E,
            branch(),
            C::E,
            C::E,
            C::E,
            t("2023030008"),
            t(cs),
        ],
        // 12: the birth date disagrees with the ID number.
        vec![
            C::N(9.0),
            t("郑生日"),
            t("男"),
            t("汉族"),
            t(id("2001-05-05", 19)),
            t("2001-05-06"),
            branch(),
            C::E,
            C::E,
            C::E,
            t("2023030009"),
            t(cs),
        ],
        // 13: the sex disagrees with the ID number.
        vec![
            C::N(10.0),
            t("冯性别"),
            t("女"),
            t("汉族"),
            t(id("2001-05-07", 21)),
            C::E,
            branch(),
            C::E,
            C::E,
            C::E,
            t("2023030010"),
            t(cs),
        ],
        // 14: a month that does not exist; a date without its day.
        vec![
            C::N(11.0),
            t("陈日期"),
            t("男"),
            t("汉族"),
            t(id("2001-05-09", 23)),
            C::E,
            branch(),
            t("2019-13-01"),
            t("2019-6"),
            C::E,
            t("2023030011"),
            t(cs),
        ],
        // 15: the name is missing.
        vec![
            C::N(12.0),
            C::E,
            t("男"),
            t("汉族"),
            t(id("2001-05-11", 25)),
            C::E,
            branch(),
            C::E,
            C::E,
            C::E,
            t("2023030012"),
            t(cs),
        ],
        // 16: a phone number that is none.
        vec![
            C::N(13.0),
            t("褚电话"),
            t("男"),
            t("汉族"),
            t(id("2001-05-13", 27)),
            C::E,
            branch(),
            C::E,
            C::E,
            t("12345"),
            t("2023030013"),
            t(cs),
        ],
        // 17: a branch the archive does not have.
        vec![
            C::N(14.0),
            t("卫支部"),
            t("男"),
            t("汉族"),
            t(id("2001-05-15", 29)),
            C::E,
            t("不存在的党支部"),
            C::E,
            C::E,
            C::E,
            t("2023030014"),
            t(cs),
        ],
        // 18: converted before the probation year ended.
        vec![
            C::N(15.0),
            t("蒋顺序"),
            t("男"),
            t("汉族"),
            t(id("2001-05-17", 31)),
            C::E,
            branch(),
            t("2022-06-01"),
            t("2022-12-01"),
            C::E,
            t("2023030015"),
            t(cs),
        ],
        // 19: joined after today (the tests run as of 2026-11-24).
        vec![
            C::N(16.0),
            t("沈未来"),
            t("男"),
            t("汉族"),
            t(id("2001-05-19", 33)),
            C::E,
            branch(),
            t("2027-01-01"),
            C::E,
            C::E,
            t("2023030016"),
            t(cs),
        ],
        // 20: not one of the 56 ethnic groups.
        vec![
            C::N(17.0),
            t("韩民族"),
            t("男"),
            t("火星族"),
            t(id("2001-05-21", 35)),
            C::E,
            branch(),
            C::E,
            C::E,
            C::E,
            t("2023030017"),
            t(cs),
        ],
        // 21: blank, skipped.
        vec![],
        // 22: the full member date without the joined date.
        vec![
            C::N(18.0),
            t("杨转正"),
            t("女"),
            t("汉族"),
            t(id("2001-05-23", 38)),
            C::E,
            branch(),
            C::E,
            t("2022-06-01"),
            C::E,
            t("2023030018"),
            t(cs),
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        write_row(sheet, i as u32 + 3, row, &date);
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("机械学院").unwrap();
    let header = [
        "姓名",
        "性别",
        "公民身份号码",
        "所在党支部",
        "加入党组织日期",
        "联系电话",
    ];
    write_row(sheet, 0, &header.map(t), &date);
    let rows: Vec<Vec<C>> = vec![
        // 2: college/branch.
        vec![
            t("欧阳明"),
            t("男"),
            t(id("2002-02-02", 41)),
            t("机械工程学院党委/本科生第一党支部"),
            C::D("2022-05-20"),
            t("15012345678"),
        ],
        // 3: the same ID number as 计算机学院 row 4.
        vec![
            t("张伟"),
            t("男"),
            t(id("2001-03-05", 11)),
            t("机械工程学院党委/本科生第一党支部"),
            C::E,
            C::E,
        ],
        // 4: a branch name every college has, and no college column to tell which.
        vec![
            t("上官婉"),
            t("女"),
            t(id("2002-03-03", 42)),
            t("研究生第一党支部"),
            C::E,
            C::E,
        ],
        // 5: college and branch written together.
        vec![
            t("司马光"),
            t("男"),
            t(id("2002-04-04", 43)),
            t("机械工程学院研究生第二党支部"),
            C::E,
            t(" 15012345679 "),
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        write_row(sheet, i as u32 + 1, row, &date);
    }

    let notes = workbook.add_worksheet();
    notes.set_name("说明").unwrap();
    notes
        .write_string(0, 0, "本名册由各学院党委填报，请勿修改表头。")
        .unwrap();
    notes
        .write_string(1, 0, "身份证号码请用文本格式。")
        .unwrap();
    workbook.save(path).unwrap();
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            c => c,
        })
        .collect()
}

/// The text of `gbk.csv` (written in GBK): quoted commas, a quoted line break, an error row.
pub fn gbk_csv_text() -> String {
    [
        "姓名,性别,身份证号,所在党支部,入党时间,家庭住址,联系电话".to_string(),
        format!("刘喆,男,{},外国语学院党委/本科生第一党支部,2021-06-01,\"北京市海淀区中关村大街1号,3单元\",13612345678", id("2001-06-01", 51)),
        format!("黄堃,女,{},外国语学院党委/本科生第二党支部,2021.6.1,\"上海市徐汇区\n漕溪北路2号\",13612345679", id("2001-06-02", 52)),
        format!("林错,男,{},外国语学院党委/本科生第二党支部,2021/02/30,\"广州市, 天河区\",13612345670", id("2001-06-03", 53)),
        format!("何对,女,{},外国语学院党委/研究生第一党支部,,,", id("2001-06-04", 54)),
    ]
    .join("\r\n")
        + "\r\n"
}

/// Malformed files: each must give a clear error and change nothing.
pub fn malformed(dir: &Path) {
    std::fs::write(dir.join("empty.xlsx"), b"").unwrap();
    std::fs::write(dir.join("text-renamed.xlsx"), "姓名,学号\n张三,2023001\n").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8; 64]);
    std::fs::write(dir.join("picture.png"), &png).unwrap();
    std::fs::write(dir.join("picture.xlsx"), &png).unwrap();

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, text) in ["商品", "单价", "数量", "金额"].iter().enumerate() {
        sheet.write_string(0, col as u16, *text).unwrap();
    }
    sheet.write_string(1, 0, "签字笔").unwrap();
    sheet.write_number(1, 1, 2.5).unwrap();
    workbook.save(dir.join("unrelated.xlsx")).unwrap();

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, text) in ["姓名", "性别", "公民身份号码", "所在党支部"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *text).unwrap();
    }
    workbook.save(dir.join("headers-only.xlsx")).unwrap();

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, text) in ["姓名", "性别", "所在党支部"].iter().enumerate() {
        sheet.write_string(0, col as u16, *text).unwrap();
    }
    sheet.write_string(1, 0, "张三").unwrap();
    workbook.save(dir.join("missing-id-column.xlsx")).unwrap();

    // The first half of a valid workbook.
    let bytes = std::fs::read(dir.join("messy.xlsx")).unwrap();
    std::fs::write(dir.join("truncated.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
}

/// `office.ods`, an OpenDocument spreadsheet as LibreOffice and WPS save one: a title row, then
/// the rows of `legacy.xls` (rows 3 and 5 valid, with date cells and text dates; row 4 an ID
/// number stored as a number; row 6 a bad phone number), then the repeated empty rows and columns
/// LibreOffice writes to the end of the sheet. Written with the zip crate, `mimetype` first and
/// stored as ODF asks, with fixed times so that the bytes are the same on every run.
pub fn office_ods(path: &Path) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    let branch = "医学院党委/本科生第一党支部";
    let rows: Vec<Vec<C>> = vec![
        vec![t("医学院党员名册（2026年）")],
        [
            "姓名",
            "性别",
            "公民身份号码",
            "出生日期",
            "所在党支部",
            "加入党组织日期",
            "联系电话",
        ]
        .map(t)
        .into(),
        vec![
            t("宋喆"),
            t("男"),
            t(id("2000-09-09", 61)),
            C::D("2000-09-09"),
            t(branch),
            C::D("2020-12-01"),
            C::N(13512345678.0),
        ],
        vec![
            t("唐数字"),
            t("女"),
            C::N(110108200009090000.0),
            C::E,
            t(branch),
        ],
        vec![
            t("许堃"),
            t("女"),
            t(id("2001-01-01", 62)),
            t("2001-01-01"),
            t(branch),
            t("2021年7月1日"),
            t("13512345670"),
        ],
        vec![
            t("韩电话"),
            t("男"),
            t(id("2001-02-02", 63)),
            C::E,
            t(branch),
            C::E,
            t("555"),
        ],
    ];
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="党员名册">"#,
    );
    for row in &rows {
        content.push_str("<table:table-row>");
        for cell in row {
            content.push_str(&match cell {
                C::T(text) => format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    escape(text)
                ),
                C::N(number) => format!(
                    r#"<table:table-cell office:value-type="float" office:value="{number}"><text:p>{number}</text:p></table:table-cell>"#
                ),
                C::D(day) => format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{day}"><text:p>{day}</text:p></table:table-cell>"#
                ),
                C::E => "<table:table-cell/>".to_string(),
            });
        }
        content.push_str(
            r#"<table:table-cell table:number-columns-repeated="1017"/></table:table-row>"#,
        );
    }
    content.push_str(
        r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// Writes every generated fixture into `dir`.
pub fn generate(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    messy_xlsx(&dir.join("messy.xlsx"));
    office_ods(&dir.join("office.ods"));
    let text = gbk_csv_text();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(dir.join("gbk.csv"), &gbk).unwrap();
    malformed(dir);
}

#[test]
fn the_fixtures_match_their_generator() {
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        generate(&dir());
    }
    let fresh = tempfile::tempdir().unwrap();
    generate(fresh.path());
    for entry in std::fs::read_dir(fresh.path()).unwrap() {
        let name = entry.unwrap().file_name();
        let committed = dir().join(&name);
        let generated = fresh.path().join(&name);
        let same = match (
            dangan::roster::read_file(&committed),
            dangan::roster::read_file(&generated),
        ) {
            (Ok(a), Ok(b)) => format!("{a:?}") == format!("{b:?}"),
            (Err(a), Err(b)) => {
                a.to_string().replace(&*committed.to_string_lossy(), "")
                    == b.to_string().replace(&*generated.to_string_lossy(), "")
            }
            _ => false,
        };
        assert!(
            same,
            "tests/fixtures/roster/{} differs from its generator; run UPDATE_FIXTURES=1 cargo test --test integration roster_fixtures",
            name.to_string_lossy()
        );
    }
}
