//! The organisational-relationship introduction letter (中国共产党党员组织关系介绍信): stub
//! (存根), letter (介绍信) and receipt (回执) on one A4 page, separated by dashed cut lines, each
//! with the serial number 字第 N 号 from the register; and the register itself (receipts,
//! overdue receipts).
//!
//! The wording and the band heights are data (`assets/templates/letter.toml`, embedded), so a
//! university can adjust labels without code.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fonts::{FontSet, Role};
use super::layout::{MM, Measure, Page, break_lines};
use super::numerals::{date_lower, upper, year_upper};
use super::{PdfError, PdfFile};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::db::{self, letters::NewLetter};
use crate::people::{self, Stage};

const TEMPLATE: &str = include_str!("../../assets/templates/letter.toml");

/// 正式党员 or 预备党员.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Full,
    Probationary,
}

impl MemberKind {
    pub fn as_code(self) -> &'static str {
        match self {
            MemberKind::Full => "full",
            MemberKind::Probationary => "probationary",
        }
    }

    pub fn from_code(code: &str) -> Option<MemberKind> {
        match code {
            "full" => Some(MemberKind::Full),
            "probationary" => Some(MemberKind::Probationary),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            MemberKind::Full => "正式",
            MemberKind::Probationary => "预备",
        }
    }
}

/// A letter to issue.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct LetterRequest {
    #[ts(type = "number")]
    pub member_id: i64,
    /// The receiving organisation (转到).
    pub to_org: String,
    /// The issuing organisation (由); by default the member's college committee and branch.
    pub from_org: Option<String>,
    /// Dues are paid up to this month: (year, month).
    pub dues_year: i32,
    pub dues_month: u32,
    /// Validity in days (often 30; a graduate's letter up to 90).
    pub valid_days: u32,
    #[ts(type = "string")]
    pub issued_on: NaiveDate,
    /// The word before 字第 (by default from the template).
    pub prefix: Option<String>,
}

/// A letter in the register.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LetterRecord {
    #[ts(type = "number")]
    pub serial: i64,
    pub prefix: String,
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    pub member_kind: MemberKind,
    pub from_org: String,
    pub to_org: String,
    /// YYYY-MM.
    pub dues_paid_to: String,
    pub valid_days: u32,
    #[ts(type = "string")]
    pub issued_on: NaiveDate,
    /// The last day the receipt is expected.
    #[ts(type = "string")]
    pub receipt_due: NaiveDate,
    #[ts(type = "string | null")]
    pub receipt_on: Option<NaiveDate>,
}

impl LetterRecord {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        serial: i64,
        prefix: String,
        member_id: i64,
        name: String,
        member_kind: MemberKind,
        from_org: String,
        to_org: String,
        dues_paid_to: String,
        valid_days: u32,
        issued_on: NaiveDate,
        receipt_on: Option<NaiveDate>,
    ) -> LetterRecord {
        LetterRecord {
            receipt_due: issued_on + chrono::Days::new(u64::from(valid_days)),
            serial,
            prefix,
            member_id,
            name,
            member_kind,
            from_org,
            to_org,
            dues_paid_to,
            valid_days,
            issued_on,
            receipt_on,
        }
    }

    /// 组字第 12 号.
    pub fn serial_text(&self) -> String {
        format!("{}字第 {} 号", self.prefix, self.serial)
    }
}

/// A letter issued and the file written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IssuedLetter {
    pub letter: LetterRecord,
    pub pdf: PdfFile,
}

/// The letter's wording and geometry.
#[derive(Debug, Clone, Deserialize)]
pub struct LetterTemplate {
    pub title: String,
    pub default_prefix: String,
    pub stub: Part,
    pub letter: Part,
    pub receipt: Part,
    /// Printed across each cut line.
    pub cut_label: String,
    pub margin_mm: f32,
    pub body_size: f32,
    pub title_size: f32,
}

/// One of the three parts: its subtitle, height, and paragraphs with `{placeholders}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Part {
    pub subtitle: String,
    pub height_mm: f32,
    /// The addressee line (no indent), if any.
    #[serde(default)]
    pub salutation: Option<String>,
    pub paragraphs: Vec<String>,
    /// Right-aligned closing lines (seal, date).
    pub closing: Vec<String>,
    /// Lines after the closing, flush left in a smaller size (contact details to fill in).
    #[serde(default)]
    pub after: Vec<String>,
}

impl LetterTemplate {
    /// The archive's `templates/letter.toml` if there is one, else the embedded template.
    pub fn load(archive: &Archive) -> Result<LetterTemplate, PdfError> {
        super::load_template(Some(archive.root()), "letter", TEMPLATE)
    }

    /// The embedded template.
    pub fn embedded() -> Result<LetterTemplate, PdfError> {
        super::load_template(None, "letter", TEMPLATE)
    }
}

/// The values the template's placeholders take.
#[derive(Debug, Clone)]
pub struct LetterFields {
    pub serial: String,
    pub name: String,
    pub sex: String,
    pub age: String,
    pub ethnicity: String,
    pub kind: String,
    pub id_number: String,
    pub from_org: String,
    pub to_org: String,
    pub dues: String,
    pub valid_days: String,
    pub date: String,
    pub phone: String,
}

impl LetterFields {
    fn fill(&self, template: &str) -> String {
        template
            .replace("{serial}", &self.serial)
            .replace("{name}", &self.name)
            .replace("{sex}", &self.sex)
            .replace("{age}", &self.age)
            .replace("{ethnicity}", &self.ethnicity)
            .replace("{kind}", &self.kind)
            .replace("{id_number}", &self.id_number)
            .replace("{from_org}", &self.from_org)
            .replace("{to_org}", &self.to_org)
            .replace("{dues}", &self.dues)
            .replace("{valid_days}", &self.valid_days)
            .replace("{date}", &self.date)
            .replace("{phone}", &self.phone)
    }
}

/// A value, or a blank to fill in by hand when the archive does not have it.
fn blank(value: Option<String>) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "　　　".to_string())
}

/// Age in whole years on `on`.
fn age(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// Issues a letter: registers it (assigning the serial) and writes the PDF. The PDF is written
/// under a temporary name inside the transaction and renamed into place only after the commit,
/// so a PDF under its final name always has its serial in the register, and a serial is never
/// handed out twice. A crash between the commit and the rename leaves a registered letter without
/// its file (and a `.dangan-*.part` temporary): the register keeps that serial, and issuing
/// again gives the letter a new one.
pub fn issue(
    archive: &mut Archive,
    actor: &Actor,
    fonts: &FontSet,
    request: &LetterRequest,
    out: &Path,
) -> Result<IssuedLetter, PdfError> {
    crate::auth::require_member(
        archive,
        actor,
        crate::actor::Permission::Documents,
        request.member_id,
    )?;
    let template = LetterTemplate::load(archive)?;
    let member = people::detail(archive, actor, request.member_id)?;
    let kind = match member.stage {
        Stage::FullMember => MemberKind::Full,
        Stage::ProbationaryMember => MemberKind::Probationary,
        other => {
            return Err(PdfError::NotAMember {
                member_id: member.id,
                name: member.name.clone(),
                stage: other.zh(),
            });
        }
    };
    let invalid = |field: &'static str, message: &str| PdfError::InvalidArgument {
        field,
        message: message.to_string(),
    };
    if request.to_org.trim().is_empty() {
        return Err(invalid("to", "接收单位不能为空"));
    }
    if !(1..=12).contains(&request.dues_month) || !(1900..=9999).contains(&request.dues_year) {
        return Err(invalid("dues", "党费月份应为 YYYY-MM"));
    }
    if request.valid_days == 0 || request.valid_days > 365 {
        return Err(invalid("valid_days", "有效期应为 1–365 天"));
    }
    let from_org = request.from_org.clone().unwrap_or_else(|| {
        format!(
            "中共{}{}",
            member.college.as_deref().unwrap_or(""),
            member.branch.as_deref().unwrap_or("")
        )
    });
    let prefix = request
        .prefix
        .clone()
        .unwrap_or_else(|| template.default_prefix.clone());
    let id_number = db::letters::id_number(archive.conn(), member.id)?;
    let dues_paid_to = format!("{:04}-{:02}", request.dues_year, request.dues_month);
    let (issued, staged) = db::with_tx(archive.conn_mut(), |tx| {
        let serial = db::letters::insert(
            tx,
            &NewLetter {
                prefix: &prefix,
                member_id: member.id,
                member_kind: kind,
                from_org: &from_org,
                to_org: request.to_org.trim(),
                dues_paid_to: &dues_paid_to,
                valid_days: request.valid_days,
                issued_on: request.issued_on,
                issued_by: actor.name(),
            },
        )?;
        let letter = db::letters::get(tx, serial)?.ok_or(PdfError::NoSuchLetter(serial))?;
        let fields = LetterFields {
            serial: letter.serial_text(),
            name: member.name.clone(),
            sex: blank(member.sex.map(|s| s.zh().to_string())),
            age: blank(
                member
                    .birth_date
                    .map(|b| age(b, request.issued_on).to_string()),
            ),
            ethnicity: blank(member.ethnicity.clone()),
            kind: kind.zh().to_string(),
            id_number: blank(id_number.clone()),
            from_org: from_org.clone(),
            to_org: letter.to_org.clone(),
            dues: format!(
                "{}年{}月",
                year_upper(request.dues_year),
                upper(u64::from(request.dues_month))
            ),
            valid_days: upper(u64::from(request.valid_days)),
            date: date_lower(request.issued_on),
            phone: blank(member.phone.clone()),
        };
        let page = layout_letter(fonts, &template, &fields);
        let (staged, pdf) = super::stage_pdf(fonts, &template.title, &[page], out)?;
        crate::audit::record(
            tx,
            actor,
            crate::audit::Action::Letter,
            crate::audit::Target::letter(serial, member.id),
            serde_json::json!({ "file": pdf.file, "serial": letter.serial_text(), "to": letter.to_org }),
        )?;
        Ok::<_, PdfError>((IssuedLetter { letter, pdf }, staged))
    })?;
    staged.persist()?;
    Ok(issued)
}

/// Lays out the three parts on one A4 page.
/// Long organisation names can push the receipt off the page: the body size then shrinks, in
/// steps, until the three parts fit.
pub fn layout_letter(m: &dyn Measure, template: &LetterTemplate, fields: &LetterFields) -> Page {
    let limit = super::layout::A4_HEIGHT - template.margin_mm * MM * 0.3;
    let mut size = template.body_size;
    loop {
        let (page, bottom) = layout_letter_at(m, template, fields, size);
        if bottom <= limit || size <= template.body_size * 0.6 {
            return page;
        }
        size *= 0.92;
    }
}

/// The letter with body text at `size`, and how far down the page it reaches.
fn layout_letter_at(
    m: &dyn Measure,
    template: &LetterTemplate,
    fields: &LetterFields,
    size: f32,
) -> (Page, f32) {
    let mut page = Page::default();
    let margin = template.margin_mm * MM;
    let width = super::layout::A4_WIDTH;
    let text_width = width - 2.0 * margin;
    let cx = width / 2.0;
    let lh = size * 1.8;
    let mut top = margin * 0.6;
    let mut reached = 0.0f32;
    let parts = [&template.stub, &template.letter, &template.receipt];
    for (i, part) in parts.iter().enumerate() {
        let bottom = top + part.height_mm * MM;
        let mut y = top + template.title_size * 1.2;
        page.centred(
            m,
            cx,
            y,
            Role::Heading,
            template.title_size,
            &template.title,
        );
        y += template.title_size * 0.9;
        page.centred(m, cx, y, Role::Body, size, &part.subtitle);
        y += lh * 0.9;
        page.right(m, width - margin, y, Role::Body, size, &fields.serial);
        y += lh;
        let wrap = |text: &str, width: f32| {
            break_lines(text, width, width, |c| m.advance(Role::Body, c) * size)
        };
        if let Some(salutation) = &part.salutation {
            for line in wrap(&fields.fill(salutation), text_width) {
                page.text(margin, y, Role::Body, size, line);
                y += lh;
            }
        }
        for paragraph in &part.paragraphs {
            let text = fields.fill(paragraph);
            let lines = break_lines(&text, text_width - 2.0 * size, text_width, |c| {
                m.advance(Role::Body, c) * size
            });
            for (j, line) in lines.iter().enumerate() {
                let x = margin + if j == 0 { 2.0 * size } else { 0.0 };
                page.text(x, y, Role::Body, size, line.clone());
                y += lh;
            }
        }
        y += lh * 0.3;
        for closing in &part.closing {
            for line in wrap(&fields.fill(closing), text_width - 2.0 * size) {
                page.right(m, width - margin - 2.0 * size, y, Role::Body, size, &line);
                y += lh;
            }
        }
        let small = size - 1.5;
        for line in &part.after {
            let text = fields.fill(line);
            for line in break_lines(&text, text_width, text_width, |c| {
                m.advance(Role::Body, c) * small
            }) {
                page.text(margin, y, Role::Body, small, line);
                y += small * 1.7;
            }
        }
        reached = reached.max(y);
        if i + 1 < parts.len() {
            // The cut line, with the serial across it (骑缝) so the parts can be matched.
            let label = format!("{}　{}", template.cut_label, fields.serial);
            let label_width = m.width(Role::Body, 9.0, &label);
            let gap = label_width / 2.0 + 6.0;
            let cut = bottom.max(y + 2.0);
            page.dashed(margin * 0.5, cut, cx - gap, cut);
            page.dashed(cx + gap, cut, width - margin * 0.5, cut);
            page.centred(m, cx, cut + 3.0, Role::Body, 9.0, &label);
            top = cut + 8.0 * MM;
        }
    }
    (page, reached)
}

/// Records the day a letter's receipt came back.
pub fn record_receipt(
    archive: &mut Archive,
    actor: &Actor,
    serial: i64,
    date: NaiveDate,
) -> Result<LetterRecord, PdfError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Documents)?;
    db::with_tx(archive.conn_mut(), |tx| {
        let letter = db::letters::get(tx, serial)?.ok_or(PdfError::NoSuchLetter(serial))?;
        if let Some(done) = letter.receipt_on {
            return Err(PdfError::ReceiptAlreadyRecorded { serial, date: done });
        }
        if date < letter.issued_on {
            return Err(PdfError::ReceiptBeforeIssue {
                receipt: date,
                issued: letter.issued_on,
            });
        }
        db::letters::set_receipt(tx, serial, date, actor.name())?;
        crate::audit::record(
            tx,
            actor,
            crate::audit::Action::LetterReceipt,
            crate::audit::Target::letter(serial, letter.member_id),
            serde_json::json!({ "before": { "receipt_on": null }, "after": { "receipt_on": date } }),
        )?;
        db::letters::get(tx, serial)?.ok_or(PdfError::NoSuchLetter(serial))
    })
}

/// Letters whose receipt is not back although their validity ended before `as_of`: the
/// reminders.
pub fn overdue_receipts(
    archive: &Archive,
    actor: &Actor,
    as_of: NaiveDate,
) -> Result<Vec<LetterRecord>, PdfError> {
    crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?;
    let branches = (!actor.sees_all())
        .then(|| db::members::branch_ids(archive.conn()))
        .transpose()?;
    Ok(db::letters::open(archive.conn())?
        .into_iter()
        .filter(|l| l.receipt_due < as_of)
        .filter(|l| {
            branches
                .as_ref()
                .is_none_or(|b| actor.sees_unit(b.get(&l.member_id).copied().flatten()))
        })
        .collect())
}

/// One letter of the register.
pub fn get(archive: &Archive, actor: &Actor, serial: i64) -> Result<LetterRecord, PdfError> {
    let letter = db::letters::get(archive.conn(), serial)?.ok_or(PdfError::NoSuchLetter(serial))?;
    crate::auth::require_member(
        archive,
        actor,
        crate::actor::Permission::MemberRead,
        letter.member_id,
    )?;
    Ok(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_template_parses_and_fills_every_placeholder() {
        let template = LetterTemplate::embedded().unwrap();
        let fields = LetterFields {
            serial: "组字第 7 号".into(),
            name: "王喆".into(),
            sex: "男".into(),
            age: "22".into(),
            ethnicity: "汉族".into(),
            kind: "正式".into(),
            id_number: "11010820011001012X".into(),
            from_org: "中共某学院党委某支部".into(),
            to_org: "中共某公司委员会".into(),
            dues: "贰零贰陆年陆月".into(),
            valid_days: "叁拾".into(),
            date: "二〇二六年六月一日".into(),
            phone: "13800000000".into(),
        };
        for part in [&template.stub, &template.letter, &template.receipt] {
            for text in part
                .paragraphs
                .iter()
                .chain(&part.closing)
                .chain(&part.after)
                .chain(&part.salutation)
            {
                let filled = fields.fill(text);
                assert!(!filled.contains('{'), "unfilled placeholder in {filled}");
            }
        }
    }

    struct Em;

    impl Measure for Em {
        fn advance(&self, _role: Role, c: char) -> f32 {
            if c.is_ascii() { 0.5 } else { 1.0 }
        }

        fn ascent(&self, _role: Role) -> f32 {
            0.88
        }
    }

    #[test]
    fn very_long_organisation_names_still_fit_on_the_page() {
        let template = LetterTemplate::embedded().unwrap();
        let long =
            "中共某某省某某市某某区某某街道某某社区某某有限责任公司某某分公司委员会".repeat(3);
        let fields = LetterFields {
            serial: "组字第 7 号".into(),
            name: "王喆".into(),
            sex: "男".into(),
            age: "22".into(),
            ethnicity: "汉族".into(),
            kind: "正式".into(),
            id_number: "11010820011001012X".into(),
            from_org: long.clone(),
            to_org: long,
            dues: "贰零贰陆年陆月".into(),
            valid_days: "叁拾".into(),
            date: "二〇二六年六月一日".into(),
            phone: "13800000000".into(),
        };
        let page = layout_letter(&Em, &template, &fields);
        let limit = crate::pdf::layout::A4_HEIGHT - template.margin_mm * MM * 0.3;
        let right = crate::pdf::layout::A4_WIDTH - template.margin_mm * MM + 0.01;
        for item in &page.items {
            if let crate::pdf::layout::Item::Text {
                x, y, size, text, ..
            } = item
            {
                assert!(*y <= limit, "text at {y} below {limit}");
                assert!(
                    x + Em.width(Role::Body, *size, text) <= right,
                    "{text} past the margin"
                );
            }
        }
        let (_, natural) = layout_letter_at(&Em, &template, &fields, template.body_size);
        assert!(
            natural > limit,
            "the test needs names long enough to shrink the text"
        );
    }

    #[test]
    fn a_missing_value_is_a_blank_to_fill_in() {
        assert_eq!(blank(None), "　　　");
        assert_eq!(blank(Some(" ".into())), "　　　");
        assert_eq!(blank(Some("汉族".into())), "汉族");
    }

    #[test]
    fn age_counts_whole_years() {
        let birth = NaiveDate::from_ymd_opt(2001, 10, 1).unwrap();
        assert_eq!(
            age(birth, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()),
            24
        );
        assert_eq!(
            age(birth, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
            25
        );
    }
}
