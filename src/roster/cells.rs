//! One cell at a time: what a roster cell holds, and turning it into a clean value or a reason.

use chrono::{Days, NaiveDate};

/// A cell as read from the file, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell (Excel stores every number as a double).
    Number(f64),
    /// A cell Excel formats as a date: its serial number.
    Date(f64),
    Bool(bool),
    /// A formula error such as `#N/A`.
    Error(String),
}

impl Cell {
    /// The cell as a person would read it: integers without `.0`, dates as YYYY-MM-DD.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(serial) => {
                serial_date(*serial).map_or_else(|| number_text(*serial), |d| d.to_string())
            }
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }

    /// True for an empty cell or one holding only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text
                .chars()
                .all(|c| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}'),
            _ => false,
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Full-width ASCII forms (digits, letters, punctuation, the ideographic space) as ASCII.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// Trims spaces (full-width and non-breaking ones included) and turns full-width digits into
/// ASCII; other characters are kept as written.
pub fn clean_text(text: &str) -> String {
    let trimmed =
        text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}');
    trimmed
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The day an Excel serial number stands for (1900 date system). Serials below 61 fall in
/// Excel's fictitious 29 February 1900 range and are refused.
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(Days::new(serial.floor() as u64))
}

/// The Excel serial number of a day.
pub fn date_serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (date - epoch).num_days() as f64
}

/// Reads a date from a cell: an Excel date, a serial number, an 8-digit number (20190601), or
/// text such as 2019-06-01, 2019.06.01, 2019/6/1, 2019年6月1日, 20190601, or with a time after it.
pub fn parse_date(cell: &Cell) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(serial) => serial_date(*serial).ok_or_else(|| "不是有效的日期".to_string()),
        Cell::Number(n) if n.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(n) => {
            parse_date_text(&format!("{}", *n as i64))
        }
        Cell::Number(n) => {
            serial_date(*n).ok_or_else(|| format!("数字 {} 不是日期", number_text(*n)))
        }
        Cell::Text(text) => parse_date_text(text),
        other => Err(format!("{} 不是日期", other.display())),
    }
}

pub fn parse_date_text(text: &str) -> Result<NaiveDate, String> {
    let folded = fold_width(&clean_text(text));
    let text = folded.trim();
    // A time after the date (2019-06-01 00:00:00) is ignored.
    let text = text.split([' ', 'T']).next().unwrap_or(text);
    let unrecognised = || {
        format!(
            "无法识别日期 {text:?}：请写成 2019-06-01、2019.06.01、2019/6/1、2019年6月1日 或 20190601"
        )
    };
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(text, "%Y%m%d")
            .map_err(|_| format!("{text} 不是存在的日期"));
    }
    let text = text.strip_suffix('日').unwrap_or(text);
    let parts: Vec<&str> = text
        .split(['-', '.', '/', '年', '月'])
        .map(str::trim)
        .collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(unrecognised());
    }
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            let (y, m, d) = (y.parse().ok(), m.parse().ok(), d.parse().ok());
            match (y, m, d) {
                (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d)
                    .ok_or_else(|| format!("{y}年{m}月{d}日 不是存在的日期")),
                _ => Err(unrecognised()),
            }
        }
        [y, m] if y.len() == 4 && m.len() <= 2 => {
            Err(format!("{text:?} 只有年和月，缺少日；请补全日期（不猜测）"))
        }
        _ => Err(unrecognised()),
    }
}

/// A phone number: an 11-digit mobile number (1[3-9]…) or a landline with its area code (0…),
/// optionally with an extension. Spaces and dashes are removed from mobile numbers.
pub fn normalise_phone(text: &str) -> Result<String, String> {
    let folded = fold_width(&clean_text(text));
    let digits: String = folded.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits).to_string();
    let bytes = digits.as_bytes();
    if bytes.len() == 11
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
        && bytes.iter().all(u8::is_ascii_digit)
    {
        return Ok(digits);
    }
    // Landline: 0 + area code, 10 to 12 digits in all, kept as written (with its dash).
    let (main, _ext) = digits.split_once(['#', '转']).unwrap_or((&digits, ""));
    if main.starts_with('0')
        && (10..=12).contains(&main.len())
        && main.bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(folded.trim().to_string());
    }
    Err(format!(
        "{:?} 不是有效的电话号码：手机号码为以1开头的11位数字，固定电话须带区号",
        clean_text(text)
    ))
}

/// 是/否 and their usual spellings; blank is 否.
pub fn parse_yes_no(text: &str) -> Result<bool, String> {
    match fold_width(&clean_text(text)).to_lowercase().as_str() {
        "" | "否" | "n" | "no" | "false" | "0" | "不是" => Ok(false),
        "是" | "y" | "yes" | "true" | "1" => Ok(true),
        other => Err(format!("{other:?} 应为“是”或“否”")),
    }
}

/// The 56 ethnic groups, in the order of GB/T 3304.
pub const ETHNICITIES: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// One of the 56, written with or without 族.
pub fn normalise_ethnicity(text: &str) -> Result<String, String> {
    let text = clean_text(text);
    let with_suffix = if text.ends_with('族') {
        text.clone()
    } else {
        format!("{text}族")
    };
    ETHNICITIES
        .iter()
        .find(|e| **e == with_suffix)
        .map(|e| e.to_string())
        .ok_or_else(|| format!("{text:?} 不是56个民族之一"))
}

/// The stored spelling of the lists the template offers.
pub const EDUCATIONS: [&str; 12] = [
    "博士研究生",
    "博士研究生在读",
    "硕士研究生",
    "硕士研究生在读",
    "大学本科",
    "大学本科在读",
    "大学专科",
    "大学专科在读",
    "中等专科",
    "高中",
    "初中",
    "小学",
];
pub const CATEGORIES: [&str; 6] = [
    "学生",
    "专业技术人员",
    "管理人员",
    "工勤技能人员",
    "离退休人员",
    "其他",
];

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[rstest]
    #[case(Cell::Text("2019.06.01".into()), day(2019, 6, 1))]
    #[case(Cell::Text("2019年6月1日".into()), day(2019, 6, 1))]
    #[case(Cell::Text("2019/6/1".into()), day(2019, 6, 1))]
    #[case(Cell::Text("20190601".into()), day(2019, 6, 1))]
    #[case(Cell::Text("2019-6-1".into()), day(2019, 6, 1))]
    #[case(Cell::Text("２０１９－０６－０１".into()), day(2019, 6, 1))]
    #[case(Cell::Text(" 2019-06-01 00:00:00 ".into()), day(2019, 6, 1))]
    #[case(Cell::Date(43617.0), day(2019, 6, 1))]
    #[case(Cell::Number(43617.0), day(2019, 6, 1))]
    #[case(Cell::Number(20190601.0), day(2019, 6, 1))]
    fn every_date_form_reads(#[case] cell: Cell, #[case] expected: NaiveDate) {
        assert_eq!(parse_date(&cell).unwrap(), expected);
    }

    #[rstest]
    #[case("2019-6")]
    #[case("2019-02-30")]
    #[case("6/1/2019")]
    #[case("去年")]
    #[case("20191301")]
    fn bad_dates_say_why(#[case] text: &str) {
        assert!(parse_date(&Cell::Text(text.into())).is_err(), "{text}");
    }

    #[test]
    fn text_is_trimmed_and_digits_folded() {
        assert_eq!(clean_text("\u{3000} 张三  "), "张三");
        assert_eq!(clean_text("２０２３０１"), "202301");
        assert_eq!(Cell::Number(2023001.0).display(), "2023001");
    }

    #[rstest]
    #[case("13812345678", Ok("13812345678"))]
    #[case("138 1234 5678", Ok("13812345678"))]
    #[case("+8613812345678", Ok("13812345678"))]
    #[case("010-62751234", Ok("010-62751234"))]
    #[case("12345", Err(()))]
    #[case("23812345678", Err(()))]
    fn phones(#[case] text: &str, #[case] expected: Result<&str, ()>) {
        assert_eq!(
            normalise_phone(text).map_err(|_| ()),
            expected.map(str::to_string)
        );
    }

    #[test]
    fn ethnicity_with_or_without_suffix() {
        assert_eq!(normalise_ethnicity("汉").unwrap(), "汉族");
        assert_eq!(normalise_ethnicity("维吾尔族").unwrap(), "维吾尔族");
        assert!(normalise_ethnicity("火星族").is_err());
        assert_eq!(ETHNICITIES.len(), 56);
    }
}
