//! One roster row at a time: each mapped cell normalised into a value or a `CellIssue`, then the
//! checks across the row (ID number against birth date and sex, dates in pipeline order).
//! Checks across rows (duplicates) and against the archive live in `import`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::cells::{
    Cell, clean_text, fold_width, normalise_ethnicity, normalise_phone, parse_date, parse_yes_no,
};
use super::columns::Field;
use super::read::{Header, RawRow};
use super::{CellIssue, IssueCode};
use crate::org::BranchOption;
use crate::people::{self, IdNumber, Sex};

/// A clean value of one field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldValue {
    Text(String),
    Date(NaiveDate),
    Bool(bool),
    Sex(Sex),
    Branch(i64),
}

impl FieldValue {
    /// The value as stored in the `member` column (JSON scalar).
    pub(crate) fn db_value(&self) -> serde_json::Value {
        match self {
            FieldValue::Text(text) => serde_json::Value::from(text.as_str()),
            FieldValue::Date(date) => serde_json::Value::from(date.to_string()),
            FieldValue::Bool(b) => serde_json::Value::from(i64::from(*b)),
            FieldValue::Sex(sex) => serde_json::Value::from(sex.as_code()),
            FieldValue::Branch(id) => serde_json::Value::from(*id),
        }
    }
}

/// A valid row's values by field.
pub(crate) type Record = BTreeMap<Field, FieldValue>;

/// The branches of the archive by the names a roster may use for them.
pub(crate) struct BranchResolver {
    by_name: HashMap<String, Vec<usize>>,
    by_path: HashMap<String, usize>,
    branches: Vec<BranchOption>,
    /// Every (text, college) a row was resolved with, so that a branch added while rows are
    /// read can tell whether an earlier row would now resolve differently.
    asked: RefCell<HashSet<(String, Option<String>)>>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BranchMatch {
    Found(i64),
    Unknown,
    Ambiguous(Vec<String>),
}

fn college_keys(college: &str) -> Vec<String> {
    let short = college.strip_suffix("党委").unwrap_or(college);
    let mut keys = vec![college.to_string(), short.to_string()];
    keys.dedup();
    keys
}

impl BranchResolver {
    pub(crate) fn new(branches: Vec<BranchOption>) -> BranchResolver {
        let mut resolver = BranchResolver {
            by_name: HashMap::new(),
            by_path: HashMap::new(),
            branches: Vec::with_capacity(branches.len()),
            asked: RefCell::default(),
        };
        for branch in branches {
            resolver.insert(branch);
        }
        resolver
    }

    fn insert(&mut self, branch: BranchOption) {
        let i = self.branches.len();
        self.by_name.entry(branch.name.clone()).or_default().push(i);
        for college in college_keys(&branch.college) {
            self.by_path.insert(format!("{college}/{}", branch.name), i);
            self.by_path.insert(format!("{college}{}", branch.name), i);
        }
        self.branches.push(branch);
    }

    /// Adds a branch (one a batch will create) and says whether a row resolved so far would
    /// resolve differently now: then the rows must be checked again against the final set.
    pub(crate) fn add(&mut self, branch: BranchOption) -> bool {
        let asked = self.asked.take();
        let before: Vec<BranchMatch> = asked
            .iter()
            .map(|(text, college)| self.lookup(text, college.as_deref()))
            .collect();
        self.insert(branch);
        let changed = asked
            .iter()
            .zip(before)
            .any(|((text, college), before)| self.lookup(text, college.as_deref()) != before);
        self.asked.replace(asked);
        changed
    }

    /// `college/branch`, the form the export writes.
    pub(crate) fn display(&self, id: i64) -> String {
        self.branches
            .iter()
            .find(|b| b.id == id)
            .map_or_else(|| id.to_string(), |b| format!("{}/{}", b.college, b.name))
    }

    /// A branch by its unique name, `college/branch` (more levels above are ignored), the
    /// college and branch names run together, or a shared name with the row's college.
    pub(crate) fn resolve(&self, text: &str, college: Option<&str>) -> BranchMatch {
        self.asked
            .borrow_mut()
            .insert((text.to_string(), college.map(str::to_string)));
        self.lookup(text, college)
    }

    /// `resolve` without remembering the question: a look ahead that no row's result rests on.
    pub(crate) fn lookup(&self, text: &str, college: Option<&str>) -> BranchMatch {
        let text = text.trim();
        let segments: Vec<&str> = text.split(['/', '／']).map(str::trim).collect();
        if segments.len() >= 2 {
            let key = format!(
                "{}/{}",
                segments[segments.len() - 2],
                segments[segments.len() - 1]
            );
            return match self.by_path.get(&key) {
                Some(&i) => BranchMatch::Found(self.branches[i].id),
                None => BranchMatch::Unknown,
            };
        }
        if let Some(&i) = self.by_path.get(text) {
            return BranchMatch::Found(self.branches[i].id);
        }
        let Some(found) = self.by_name.get(text) else {
            return BranchMatch::Unknown;
        };
        if let [one] = found.as_slice() {
            return BranchMatch::Found(self.branches[*one].id);
        }
        if let Some(college) = college {
            let college = clean_text(college);
            let within: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&i| {
                    let keys = college_keys(&self.branches[i].college);
                    keys.contains(&college) || keys.contains(&format!("{college}党委"))
                })
                .collect();
            if let [one] = within.as_slice() {
                return BranchMatch::Found(self.branches[*one].id);
            }
        }
        BranchMatch::Ambiguous(
            found
                .iter()
                .map(|&i| format!("{}/{}", self.branches[i].college, self.branches[i].name))
                .collect(),
        )
    }
}

pub(crate) struct RowContext<'a> {
    pub sheet: &'a str,
    pub header: &'a Header,
    pub branches: &'a BranchResolver,
    pub as_of: NaiveDate,
}

/// The outcome of one row: its clean values (complete only when `errors` is empty).
pub(crate) struct CheckedRow {
    pub record: Record,
    pub errors: Vec<CellIssue>,
    pub warnings: Vec<CellIssue>,
    /// Branch texts that name no branch.
    pub unknown_branch: Option<String>,
}

pub(crate) fn check_row(ctx: &RowContext<'_>, row: &RawRow) -> CheckedRow {
    let mut out = CheckedRow {
        record: Record::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        unknown_branch: None,
    };
    let column_text = |field: Field| -> String {
        ctx.header
            .index_of(field)
            .map(|i| ctx.header.columns[i].0.clone())
            .unwrap_or_else(|| field.label().to_string())
    };
    let cell_of = |field: Field| -> Option<&Cell> {
        ctx.header
            .index_of(field)
            .map(|i| row.cells.get(i).unwrap_or(&Cell::Empty))
    };
    let issue = |field: Field, code: IssueCode, message: String, cell: Option<&Cell>| CellIssue {
        sheet: ctx.sheet.to_string(),
        row: row.number,
        column: column_text(field),
        field: Some(field),
        code,
        message,
        value: cell.map(Cell::display).unwrap_or_default(),
    };
    let college_hint = cell_of(Field::College)
        .filter(|c| !c.is_blank())
        .map(Cell::display);

    for (index, (_, field)) in ctx.header.columns.iter().enumerate() {
        let Some(field) = *field else { continue };
        let cell = row.cells.get(index).unwrap_or(&Cell::Empty);
        if cell.is_blank() {
            continue;
        }
        if let Cell::Error(e) = cell {
            out.errors.push(issue(
                field,
                IssueCode::BadValue,
                format!("单元格是公式错误 {e}"),
                Some(cell),
            ));
            continue;
        }
        match parse_cell(ctx, field, cell, college_hint.as_deref()) {
            Ok(value) => {
                out.record.insert(field, value);
            }
            Err((code, message)) => {
                if code == IssueCode::UnknownBranch {
                    out.unknown_branch = Some(clean_text(&cell.display()));
                }
                out.errors.push(issue(field, code, message, Some(cell)));
            }
        }
    }

    for field in [Field::Name, Field::IdNumber] {
        let present =
            out.record.contains_key(&field) || out.errors.iter().any(|e| e.field == Some(field));
        if !present {
            out.errors.push(issue(
                field,
                IssueCode::MissingRequired,
                format!("必填的“{}”为空", column_text(field)),
                cell_of(field),
            ));
        }
    }

    // The ID number decides birth date and sex; a roster that says otherwise is wrong somewhere.
    if let Some(FieldValue::Text(id)) = out.record.get(&Field::IdNumber)
        && let Ok(id) = IdNumber::parse(id)
    {
        match out.record.get(&Field::BirthDate) {
            Some(FieldValue::Date(birth)) if *birth != id.birth_date() => {
                out.errors.push(issue(
                    Field::BirthDate,
                    IssueCode::IdBirthMismatch,
                    format!(
                        "出生日期 {birth} 与公民身份号码中的 {} 不一致",
                        id.birth_date()
                    ),
                    cell_of(Field::BirthDate),
                ));
            }
            Some(_) => {}
            None if !out.errors.iter().any(|e| e.field == Some(Field::BirthDate)) => {
                out.record
                    .insert(Field::BirthDate, FieldValue::Date(id.birth_date()));
            }
            None => {}
        }
        match out.record.get(&Field::Sex) {
            Some(FieldValue::Sex(sex)) if *sex != id.sex() => {
                out.errors.push(issue(
                    Field::Sex,
                    IssueCode::IdSexMismatch,
                    format!(
                        "性别“{}”与公民身份号码（第17位表示{}）不一致",
                        sex.zh(),
                        id.sex().zh()
                    ),
                    cell_of(Field::Sex),
                ));
            }
            Some(_) => {}
            None if !out.errors.iter().any(|e| e.field == Some(Field::Sex)) => {
                out.record.insert(Field::Sex, FieldValue::Sex(id.sex()));
            }
            None => {}
        }
    }

    check_dates(ctx, &mut out, &issue, &cell_of);
    out
}

type IssueFn<'a> = dyn Fn(Field, IssueCode, String, Option<&Cell>) -> CellIssue + 'a;
type CellFn<'a> = dyn Fn(Field) -> Option<&'a Cell> + 'a;

fn check_dates(
    ctx: &RowContext<'_>,
    out: &mut CheckedRow,
    issue: &IssueFn<'_>,
    cell_of: &CellFn<'_>,
) {
    let date = |field: Field| match out.record.get(&field) {
        Some(FieldValue::Date(d)) => Some(*d),
        _ => None,
    };
    let birth = date(Field::BirthDate);
    let joined = date(Field::JoinedDate);
    let full = date(Field::FullMemberDate);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (field, value) in [(Field::JoinedDate, joined), (Field::FullMemberDate, full)] {
        if let Some(value) = value
            && value > ctx.as_of
        {
            errors.push(issue(
                field,
                IssueCode::DateInFuture,
                format!("{} {value} 晚于今天 {}", field.label(), ctx.as_of),
                cell_of(field),
            ));
        }
    }
    if let (Some(birth), Some(joined)) = (birth, joined)
        && joined <= birth
    {
        errors.push(issue(
            Field::JoinedDate,
            IssueCode::DatesOutOfOrder,
            format!("加入党组织日期 {joined} 不晚于出生日期 {birth}"),
            cell_of(Field::JoinedDate),
        ));
    }
    match (joined, full) {
        (None, Some(_))
            if !out
                .errors
                .iter()
                .any(|e| e.field == Some(Field::JoinedDate)) =>
        {
            errors.push(issue(
                Field::JoinedDate,
                IssueCode::MissingRequired,
                "有转为正式党员日期时，加入党组织日期必填".to_string(),
                cell_of(Field::JoinedDate),
            ));
        }
        (Some(joined), Some(full)) => {
            let end = people::probation_end(joined, 0).unwrap_or(joined);
            if full < end {
                errors.push(issue(
                    Field::FullMemberDate,
                    IssueCode::DatesOutOfOrder,
                    format!(
                        "转为正式党员日期 {full} 早于预备期满之日 {end}（加入党组织日期 {joined} 起一年）"
                    ),
                    cell_of(Field::FullMemberDate),
                ));
            } else if full > end && super::extension_months(joined, full).is_none() {
                warnings.push(issue(
                    Field::FullMemberDate,
                    IssueCode::FullMemberDateDerived,
                    format!(
                        "档案按预备期满之日推算转为正式党员日期为 {end}；名册中的 {full} 记为转正审批日期"
                    ),
                    cell_of(Field::FullMemberDate),
                ));
            }
        }
        _ => {}
    }
    out.errors.extend(errors);
    out.warnings.extend(warnings);
}

fn parse_cell(
    ctx: &RowContext<'_>,
    field: Field,
    cell: &Cell,
    college: Option<&str>,
) -> Result<FieldValue, (IssueCode, String)> {
    let text = || clean_text(&cell.display());
    match field {
        Field::IdNumber => {
            if matches!(cell, Cell::Number(_) | Cell::Date(_)) {
                return Err((
                    IssueCode::IdNumberAsNumber,
                    "公民身份号码以数字保存，Excel 已把18位数字舍入（只保留15位有效数字），无法还原；请把该列设为文本后重新输入".to_string(),
                ));
            }
            let folded = fold_width(&text());
            if folded.contains(['E', 'e']) && folded.contains('+') {
                return Err((
                    IssueCode::IdNumberAsNumber,
                    format!(
                        "公民身份号码 {folded} 是科学计数法，Excel 已把它当作数字舍入，无法还原；请重新输入"
                    ),
                ));
            }
            IdNumber::parse(&folded)
                .map(|id| FieldValue::Text(id.as_str().to_string()))
                .map_err(|e| (IssueCode::BadIdNumber, format!("公民身份号码无效：{e}")))
        }
        f if f.is_date() => parse_date(cell)
            .map(FieldValue::Date)
            .map_err(|m| (IssueCode::BadDate, m)),
        Field::Sex => match fold_width(&text()).to_lowercase().as_str() {
            "男" | "男性" | "m" | "male" => Ok(FieldValue::Sex(Sex::Male)),
            "女" | "女性" | "f" | "female" => Ok(FieldValue::Sex(Sex::Female)),
            other => Err((
                IssueCode::BadValue,
                format!("性别 {other:?} 应为“男”或“女”"),
            )),
        },
        Field::Ethnicity => normalise_ethnicity(&text())
            .map(FieldValue::Text)
            .map_err(|m| (IssueCode::BadValue, m)),
        Field::Phone => normalise_phone(&text())
            .map(FieldValue::Text)
            .map_err(|m| (IssueCode::BadPhone, m)),
        Field::LostContact | Field::Mobile => match cell {
            Cell::Bool(b) => Ok(FieldValue::Bool(*b)),
            _ => parse_yes_no(&text())
                .map(FieldValue::Bool)
                .map_err(|m| (IssueCode::BadValue, m)),
        },
        Field::Branch => match ctx.branches.resolve(&text(), college) {
            BranchMatch::Found(id) => Ok(FieldValue::Branch(id)),
            BranchMatch::Unknown => Err((
                IssueCode::UnknownBranch,
                format!(
                    "档案中没有党支部 {:?}；`dangan branch list` 列出全部支部",
                    text()
                ),
            )),
            BranchMatch::Ambiguous(candidates) => Err((
                IssueCode::AmbiguousBranch,
                format!(
                    "{:?} 对应多个党支部，请写成 学院党委/支部 或填写学院：{}",
                    text(),
                    candidates.join("、")
                ),
            )),
        },
        Field::StudentNo => {
            let value = fold_width(&text());
            if value.contains(['E', 'e']) && value.contains('+') {
                return Err((
                    IssueCode::BadValue,
                    format!(
                        "学号 {value} 是科学计数法，Excel 已把它舍入；请把该列设为文本后重新输入"
                    ),
                ));
            }
            Ok(FieldValue::Text(value))
        }
        _ => Ok(FieldValue::Text(text())),
    }
}
