//! Citizen ID numbers (公民身份号码, GB 11643-1999): validation, the birth date and sex they
//! encode, and the masked form shown in lists.

use chrono::NaiveDate;

use super::Sex;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid 18-character ID number, with a lowercase `x` normalised to `X`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters, this one has {0}")]
    Length(usize),
    #[error("the first 17 characters of an ID number are digits")]
    NotDigits,
    #[error("the last character of an ID number is a digit or X")]
    BadCheckCharacter,
    #[error("characters 7 to 14 of an ID number are a birth date (YYYYMMDD); {0} is not a date")]
    BadBirthDate(String),
    #[error("the check character should be {expected}, not {found}: a digit is wrong")]
    Checksum { expected: char, found: char },
}

impl IdNumber {
    /// Parses and validates an ID number (checksum and birth date).
    pub fn parse(text: &str) -> Result<IdNumber, IdNumberError> {
        let normalised = text.trim().to_ascii_uppercase();
        let chars: Vec<char> = normalised.chars().collect();
        if chars.len() != 18 {
            return Err(IdNumberError::Length(chars.len()));
        }
        if !chars[..17].iter().all(char::is_ascii_digit) {
            return Err(IdNumberError::NotDigits);
        }
        let found = chars[17];
        if !(found.is_ascii_digit() || found == 'X') {
            return Err(IdNumberError::BadCheckCharacter);
        }
        let birth = &normalised[6..14];
        if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
            return Err(IdNumberError::BadBirthDate(birth.to_string()));
        }
        let expected = check_character(&normalised[..17]);
        if expected != found {
            return Err(IdNumberError::Checksum { expected, found });
        }
        Ok(IdNumber(normalised))
    }

    /// Builds the ID number for a region code, birth date and 3-digit sequence number, with its
    /// check character. Used by the demo archive.
    pub fn compose(
        region: &str,
        birth: NaiveDate,
        sequence: u16,
    ) -> Result<IdNumber, IdNumberError> {
        let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
        if body.len() != 17 {
            return Err(IdNumberError::Length(body.len() + 1));
        }
        if !body.chars().all(|c| c.is_ascii_digit()) {
            return Err(IdNumberError::NotDigits);
        }
        let check = check_character(&body);
        IdNumber::parse(&format!("{body}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        // Proven at parse time: characters 7..14 are a valid date.
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").unwrap_or_default()
    }

    /// The 17th digit is odd for men and even for women.
    pub fn sex(&self) -> Sex {
        let digit = self.0.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The form shown in lists: region code and last four characters, the rest hidden.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any stored ID text as `110108********0129`, whether or not it validates.
pub fn mask(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// The GB 11643 check character for 17 ASCII digits.
fn check_character(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("110108200110010129", "110108200110010129")]
    #[case("11010519491231002x", "11010519491231002X")]
    #[case(" 11010519491231002X ", "11010519491231002X")]
    fn valid_numbers_parse_and_normalise(#[case] input: &str, #[case] stored: &str) {
        assert_eq!(IdNumber::parse(input).unwrap().as_str(), stored);
    }

    #[rstest]
    // What Excel keeps of 110108200110010129 typed as a number: 15 significant digits.
    #[case("110108200110010000", IdNumberError::Checksum { expected: '6', found: '0' })]
    #[case("110108200110010124", IdNumberError::Checksum { expected: '9', found: '4' })]
    #[case("11010820011001012", IdNumberError::Length(17))]
    #[case("11010820011001012A", IdNumberError::BadCheckCharacter)]
    #[case("1101082001100101X4", IdNumberError::NotDigits)]
    #[case("110108200113010124", IdNumberError::BadBirthDate("20011301".to_string()))]
    fn invalid_numbers_say_why(#[case] input: &str, #[case] expected: IdNumberError) {
        assert_eq!(IdNumber::parse(input).unwrap_err(), expected);
    }

    #[test]
    fn birth_date_sex_and_mask_come_from_the_number() {
        let id = IdNumber::parse("110108200110010129").unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(2001, 10, 1).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.masked(), "110108********0129");
        assert_eq!(
            IdNumber::parse("110105194912310038")
                .unwrap_or_else(|e| panic!("{e}"))
                .sex(),
            Sex::Male
        );
    }

    #[test]
    fn compose_adds_the_check_character() {
        let birth = NaiveDate::from_ymd_opt(2001, 10, 1).unwrap();
        assert_eq!(
            IdNumber::compose("110108", birth, 12).unwrap().as_str(),
            "110108200110010129"
        );
    }
}
