//! Chinese numerals as the documents write them: 小写 (一、十二) for counting sections and
//! dates (二〇二六年十二月三日), and 大写 (壹、叁拾) for the amounts on the introduction letter
//! that must not be altered by hand (dues month, validity in days).

use chrono::{Datelike, NaiveDate};

const LOWER_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const UPPER_DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// 小写 numeral: 一, 十, 十二, 二十, 一百零五, 一千零一十. Numbers of 10 000 and more are written
/// digit by digit.
pub fn lower(n: u64) -> String {
    let text = spelled(n, &LOWER_DIGITS, ['十', '百', '千'], '零');
    // 一十二 is written 十二.
    match text.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => text,
    }
}

/// 大写 numeral, as cheques and letters write amounts: 壹, 壹拾, 壹拾伍, 叁拾, 壹佰贰拾.
pub fn upper(n: u64) -> String {
    spelled(n, &UPPER_DIGITS, ['拾', '佰', '仟'], '零')
}

fn spelled(n: u64, digits: &[char; 10], units: [char; 3], zero: char) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n
            .to_string()
            .chars()
            .filter_map(|c| c.to_digit(10))
            .map(|d| digits[d as usize])
            .collect();
    }
    let places = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, d) in places.iter().enumerate() {
        if *d == 0 {
            if !out.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push(zero);
            pending_zero = false;
        }
        out.push(digits[*d as usize]);
        if i < 3 {
            out.push(units[2 - i]);
        }
    }
    out
}

/// A year written digit by digit: 二〇二六.
pub fn year_lower(year: i32) -> String {
    year.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| LOWER_DIGITS[d as usize])
        .collect()
}

/// A year in 大写 digits: 贰零贰陆.
pub fn year_upper(year: i32) -> String {
    year.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| UPPER_DIGITS[d as usize])
        .collect()
}

/// 二〇二六年十二月三日.
pub fn date_lower(date: NaiveDate) -> String {
    format!(
        "{}年{}月{}日",
        year_lower(date.year()),
        lower(u64::from(date.month())),
        lower(u64::from(date.day()))
    )
}

/// 2026年12月3日.
pub fn date_arabic(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(1, "一")]
    #[case(10, "十")]
    #[case(12, "十二")]
    #[case(20, "二十")]
    #[case(31, "三十一")]
    #[case(105, "一百零五")]
    #[case(110, "一百一十")]
    #[case(1010, "一千零一十")]
    #[case(2000, "二千")]
    fn lower_numerals(#[case] n: u64, #[case] expected: &str) {
        assert_eq!(lower(n), expected);
    }

    #[rstest]
    #[case(3, "叁")]
    #[case(10, "壹拾")]
    #[case(12, "壹拾贰")]
    #[case(30, "叁拾")]
    #[case(90, "玖拾")]
    #[case(120, "壹佰贰拾")]
    #[case(101, "壹佰零壹")]
    fn upper_numerals(#[case] n: u64, #[case] expected: &str) {
        assert_eq!(upper(n), expected);
    }

    #[test]
    fn dates_in_chinese() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(date_lower(date), "二〇二六年十二月三日");
        assert_eq!(date_arabic(date), "2026年12月3日");
        assert_eq!(year_upper(2026), "贰零贰陆");
    }
}
