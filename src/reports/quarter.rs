//! Quarters (2026Q3): the period a thought report reports on.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar quarter, written `2026Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1–4.
    number: u8,
}

impl Quarter {
    pub fn new(year: i32, number: u8) -> Option<Quarter> {
        (1..=4)
            .contains(&number)
            .then_some(Quarter { year, number })
    }

    /// The quarter `date` falls in.
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            number: u8::try_from(date.month0() / 3 + 1).unwrap_or(1),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.number
    }

    /// The first day of the quarter.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.number - 1) * 3 + 1, 1)
            .unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the quarter.
    pub fn end(self) -> NaiveDate {
        self.next().start().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number + 1,
            }
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.number)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a quarter (write it like 2026Q3)")]
pub struct BadQuarter(pub String);

impl FromStr for Quarter {
    type Err = BadQuarter;

    fn from_str(text: &str) -> Result<Quarter, BadQuarter> {
        let bad = || BadQuarter(text.to_string());
        let (year, number) = text.trim().split_once(['Q', 'q']).ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u8 = number.parse().map_err(|_| bad())?;
        if !(1900..=9999).contains(&year) {
            return Err(bad());
        }
        Quarter::new(year, number).ok_or_else(bad)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Quarter, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn quarters_cover_the_year_and_round_trip_as_text() {
        assert_eq!(Quarter::of(date("2026-03-31")).to_string(), "2026Q1");
        assert_eq!(Quarter::of(date("2026-04-01")).to_string(), "2026Q2");
        let q4: Quarter = "2024q4".parse().unwrap();
        assert_eq!(
            (q4.start(), q4.end()),
            (date("2024-10-01"), date("2024-12-31"))
        );
        assert_eq!(q4.next().to_string(), "2025Q1");
        assert_eq!(Quarter::new(2024, 1).unwrap().end(), date("2024-03-31"));
        assert!("2026Q5".parse::<Quarter>().is_err());
        assert!("2026".parse::<Quarter>().is_err());
    }
}
