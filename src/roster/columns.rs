//! The roster columns and the header texts that name them (`assets/roster/columns.toml`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A column Dangan knows. What each one means is fixed here; its names are data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Sex,
    Ethnicity,
    IdNumber,
    BirthDate,
    Education,
    Category,
    Branch,
    JoinedDate,
    FullMemberDate,
    Job,
    Phone,
    Address,
    MembershipStatus,
    LostContact,
    Mobile,
    StudentNo,
    College,
    ClassName,
    Grade,
    ExpectedGraduation,
    NativePlace,
}

impl Field {
    pub const ALL: [Field; 22] = [
        Field::Name,
        Field::Sex,
        Field::Ethnicity,
        Field::IdNumber,
        Field::BirthDate,
        Field::Education,
        Field::Category,
        Field::Branch,
        Field::JoinedDate,
        Field::FullMemberDate,
        Field::Job,
        Field::Phone,
        Field::Address,
        Field::MembershipStatus,
        Field::LostContact,
        Field::Mobile,
        Field::StudentNo,
        Field::College,
        Field::ClassName,
        Field::Grade,
        Field::ExpectedGraduation,
        Field::NativePlace,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Sex => "sex",
            Field::Ethnicity => "ethnicity",
            Field::IdNumber => "id_number",
            Field::BirthDate => "birth_date",
            Field::Education => "education",
            Field::Category => "category",
            Field::Branch => "branch",
            Field::JoinedDate => "joined_date",
            Field::FullMemberDate => "full_member_date",
            Field::Job => "job",
            Field::Phone => "phone",
            Field::Address => "address",
            Field::MembershipStatus => "membership_status",
            Field::LostContact => "lost_contact",
            Field::Mobile => "mobile",
            Field::StudentNo => "student_no",
            Field::College => "college",
            Field::ClassName => "class_name",
            Field::Grade => "grade",
            Field::ExpectedGraduation => "expected_graduation",
            Field::NativePlace => "native_place",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_code() == code)
    }

    /// The `member` column this field is stored in; the two development dates are events.
    pub(crate) fn db_column(self) -> Option<&'static str> {
        match self {
            Field::Branch => Some("branch_id"),
            Field::JoinedDate | Field::FullMemberDate => None,
            other => Some(other.as_code()),
        }
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::BirthDate
                | Field::JoinedDate
                | Field::FullMemberDate
                | Field::ExpectedGraduation
        )
    }

    /// The column's definition from the data file.
    pub fn spec(self) -> &'static ColumnSpec {
        let table = table();
        // Every field is in the table: `load` checks it.
        &table.columns[table.index[&self]]
    }

    pub fn label(self) -> &'static str {
        &self.spec().label
    }
}

/// One column of `columns.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnSpec {
    pub field: Field,
    pub label: String,
    #[serde(default)]
    pub national: Option<u8>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub synonyms: Vec<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
struct ColumnFile {
    column: Vec<ColumnSpec>,
}

#[derive(Debug)]
struct Table {
    columns: Vec<ColumnSpec>,
    index: HashMap<Field, usize>,
    by_header: HashMap<String, Field>,
}

const COLUMNS_TOML: &str = include_str!("../../assets/roster/columns.toml");

fn load(text: &str) -> Result<Table, String> {
    let file: ColumnFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut index = HashMap::new();
    let mut by_header = HashMap::new();
    for (i, spec) in file.column.iter().enumerate() {
        if index.insert(spec.field, i).is_some() {
            return Err(format!("{} is defined twice", spec.field.as_code()));
        }
        for name in std::iter::once(&spec.label).chain(&spec.synonyms) {
            if let Some(other) = by_header.insert(header_key(name), spec.field)
                && other != spec.field
            {
                return Err(format!(
                    "{name:?} names both {} and {}",
                    other.as_code(),
                    spec.field.as_code()
                ));
            }
        }
    }
    if let Some(missing) = Field::ALL.iter().find(|f| !index.contains_key(f)) {
        return Err(format!("{} is not defined", missing.as_code()));
    }
    Ok(Table {
        columns: file.column,
        index,
        by_header,
    })
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| match load(COLUMNS_TOML) {
        Ok(table) => table,
        // The file is embedded and checked by a unit test: this cannot happen in a release.
        Err(err) => panic!("assets/roster/columns.toml: {err}"),
    })
}

/// Every column, in the file's order (the national 16 first).
pub fn columns() -> &'static [ColumnSpec] {
    &table().columns
}

/// The 16 national fields in the national order.
pub fn national_fields() -> Vec<Field> {
    let mut fields: Vec<(u8, Field)> = columns()
        .iter()
        .filter_map(|c| c.national.map(|n| (n, c.field)))
        .collect();
    fields.sort();
    fields.into_iter().map(|(_, f)| f).collect()
}

/// The text a header is compared by: no spaces, line breaks, asterisks or bracketed remarks;
/// full-width letters and digits as ASCII.
pub fn header_key(text: &str) -> String {
    let text = super::cells::fold_width(text);
    let mut key = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '*' | '＊' | ':' | '：' => {}
            c if c.is_whitespace() || c == '\u{3000}' => {}
            c => key.push(c),
        }
    }
    key
}

/// The field a header names, if any.
pub fn field_for_header(text: &str) -> Option<Field> {
    table().by_header.get(&header_key(text)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_has_the_national_order() {
        load(COLUMNS_TOML).unwrap();
        let labels: Vec<&str> = national_fields().iter().map(|f| f.label()).collect();
        assert_eq!(
            labels,
            [
                "姓名",
                "性别",
                "民族",
                "公民身份号码",
                "出生日期",
                "学历",
                "人员类别",
                "所在党支部",
                "加入党组织日期",
                "转为正式党员日期",
                "工作岗位",
                "联系电话",
                "家庭住址",
                "党籍状态",
                "是否为失联党员",
                "是否为流动党员"
            ]
        );
    }

    #[test]
    fn synonyms_and_decorations_map_to_fields() {
        assert_eq!(field_for_header("身份证号码"), Some(Field::IdNumber));
        assert_eq!(field_for_header(" 姓 名* "), Some(Field::Name));
        assert_eq!(
            field_for_header("出生日期（年月日）"),
            Some(Field::BirthDate)
        );
        assert_eq!(field_for_header("所在党支部\n"), Some(Field::Branch));
        assert_eq!(field_for_header("入党时间"), Some(Field::JoinedDate));
        assert_eq!(field_for_header("备注"), None);
    }

    #[test]
    fn a_header_naming_two_fields_is_refused() {
        let text = "[[column]]\nfield = \"name\"\nlabel = \"姓名\"\n\
                    [[column]]\nfield = \"sex\"\nlabel = \"姓名\"\n";
        assert!(load(text).unwrap_err().contains("names both"));
    }
}
