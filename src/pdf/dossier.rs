//! The member dossier (党员档案): cover, contents, basic information, the development timeline
//! with the rule check, thought reports, meetings, appraisals, and the materials checklist.

use std::path::Path;

use chrono::NaiveDate;

use super::fonts::{FontSet, Role};
use super::layout::{self, Column, Flow, MM, Measure, Page, PageStyle, Table};
use super::numerals::{date_arabic, lower};
use super::{PdfError, PdfFile};
use crate::actor::Actor;
use crate::appraisals::{self, Appraisal};
use crate::archive::Archive;
use crate::db;
use crate::lifecycle::{self, CheckRequest, Finding, MaterialStatus, Severity};
use crate::meetings::{self, AttendanceStatus, MemberMeeting};
use crate::people::{self, EventKind, MemberDetail, PersonRole, STEPS};
use crate::reports::{self, ThoughtReport};

/// Everything a dossier prints, gathered from the archive.
#[derive(Debug, Clone)]
pub struct DossierData {
    pub member: MemberDetail,
    /// The full ID number: the dossier is the filed copy.
    pub id_number: Option<String>,
    pub findings: Vec<Finding>,
    pub materials: Vec<MaterialStatus>,
    /// Thought reports with their text, oldest first.
    pub reports: Vec<ThoughtReport>,
    /// Meetings the member is on the attendance list of or that decided about them, oldest first.
    pub meetings: Vec<MemberMeeting>,
    /// 民主评议 grades, oldest year first.
    pub appraisals: Vec<Appraisal>,
    /// The day the dossier is made (and the rules are checked).
    pub as_of: NaiveDate,
}

impl DossierData {
    /// Reads a member's dossier data from the archive.
    pub fn load(
        archive: &Archive,
        actor: &Actor,
        member_id: i64,
        as_of: NaiveDate,
    ) -> Result<DossierData, PdfError> {
        let mut data = [DossierData::load_base(archive, actor, member_id, as_of)?];
        DossierData::load_records(archive, actor, &mut data)?;
        let [data] = data;
        Ok(data)
    }

    /// Fills in the thought reports, meetings and appraisal grades of several members' dossiers
    /// with four queries in all (a batch reads them once rather than per member).
    pub fn load_records(
        archive: &Archive,
        actor: &Actor,
        data: &mut [DossierData],
    ) -> Result<(), PdfError> {
        let ids: Vec<i64> = data.iter().map(|d| d.member.id).collect();
        // A member may appear twice in a chosen list: every copy gets the records.
        let mut at: std::collections::HashMap<i64, Vec<usize>> = std::collections::HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            at.entry(*id).or_default().push(i);
        }
        for report in reports::full_of_members(archive, actor, &ids)? {
            for &i in at.get(&report.summary.member_id).into_iter().flatten() {
                data[i].reports.push(report.clone());
            }
        }
        for meeting in meetings::of_members(archive, actor, &ids)? {
            for &i in at.get(&meeting.member_id).into_iter().flatten() {
                data[i].meetings.push(meeting.clone());
            }
        }
        for appraisal in appraisals::of_members(archive, actor, &ids)? {
            for &i in at.get(&appraisal.member_id).into_iter().flatten() {
                data[i].appraisals.push(appraisal.clone());
            }
        }
        Ok(())
    }

    /// Everything but the reports and meetings (see `load_records`).
    pub(super) fn load_base(
        archive: &Archive,
        actor: &Actor,
        member_id: i64,
        as_of: NaiveDate,
    ) -> Result<DossierData, PdfError> {
        let member = people::detail(archive, actor, member_id)?;
        let id_number = db::letters::id_number(archive.conn(), member_id)?;
        let findings = lifecycle::check(
            archive,
            actor,
            &CheckRequest {
                member_id: Some(member_id),
                branch_id: None,
                as_of,
            },
        )?;
        let materials = lifecycle::materials(archive, actor, member_id)?;
        Ok(DossierData {
            member,
            id_number,
            findings,
            materials,
            reports: Vec::new(),
            meetings: Vec::new(),
            appraisals: Vec::new(),
            as_of,
        })
    }

    /// The archive number printed on the cover: 档案号 DA + the member's id, zero-padded (the
    /// archive has no separate register of archive numbers yet).
    pub fn archive_no(&self) -> String {
        format!("DA{:06}", self.member.id)
    }
}

const TEMPLATE: &str = include_str!("../../assets/templates/dossier.toml");

/// The dossier's labels (`assets/templates/dossier.toml`, or the archive's own copy).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct DossierTemplate {
    pub title: String,
    pub archive_no_label: String,
    pub contents_title: String,
    pub header: String,
    pub no_record: String,
    pub unit_label: String,
    pub date_label: String,
    pub sections: [String; 7],
    pub cover_labels: [String; 8],
    pub timeline_columns: [String; 5],
    pub findings_columns: [String; 4],
    pub materials_columns: [String; 6],
    pub report_heading: String,
    pub report_date: String,
    pub report_review: String,
    pub meetings_columns: [String; 4],
    pub attendance: [String; 3],
    pub not_on_list: String,
    pub resolutions_title: String,
    pub resolutions_columns: [String; 5],
    pub tally: String,
    pub entitled: String,
    pub outcome: [String; 2],
    /// Year, grade, note (optional in an archive's own template, which may predate it).
    #[serde(default = "appraisals_columns")]
    pub appraisals_columns: [String; 3],
    /// Put before the names of a meeting's attached files, after its topic (optional likewise).
    #[serde(default = "attachments_label")]
    pub attachments_label: String,
}

fn appraisals_columns() -> [String; 3] {
    ["年度", "评议等次", "备注"].map(String::from)
}

fn attachments_label() -> String {
    "附件：".to_string()
}

impl DossierTemplate {
    /// The archive's `templates/dossier.toml` if there is one, else the embedded template.
    pub fn load(archive: &Archive) -> Result<DossierTemplate, PdfError> {
        super::load_template(Some(archive.root()), "dossier", TEMPLATE)
    }

    /// The embedded template.
    pub fn embedded() -> Result<DossierTemplate, PdfError> {
        super::load_template(None, "dossier", TEMPLATE)
    }

    /// 一、基本信息.
    fn numbered(&self, section: usize) -> String {
        format!("{}、{}", lower(section as u64 + 1), self.sections[section])
    }
}

/// Generates a member's dossier into `out`.
pub fn generate(
    archive: &Archive,
    actor: &Actor,
    fonts: &FontSet,
    member_id: i64,
    as_of: NaiveDate,
    out: &Path,
) -> Result<PdfFile, PdfError> {
    crate::auth::require_member(
        archive,
        actor,
        crate::actor::Permission::Documents,
        member_id,
    )?;
    let data = DossierData::load(archive, actor, member_id, as_of)?;
    let template = DossierTemplate::load(archive)?;
    let pdf = write(fonts, &template, &data, out)?;
    crate::audit::record_alone(
        archive,
        actor,
        crate::audit::Action::Dossier,
        crate::audit::Target::member(member_id),
        serde_json::json!({ "file": pdf.file, "pages": pdf.pages }),
    )?;
    Ok(pdf)
}

/// Lays out and writes a dossier from gathered data (no archive access: batches call this from
/// worker threads).
pub fn write(
    fonts: &FontSet,
    template: &DossierTemplate,
    data: &DossierData,
    out: &Path,
) -> Result<PdfFile, PdfError> {
    let pages = layout_dossier(fonts, template, data);
    let title = format!("党员档案 {}", data.member.name);
    super::write_pdf(fonts, &title, &pages, out)
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn or_blank(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The dossier's pages: cover, contents, then the sections.
pub fn layout_dossier(m: &dyn Measure, t: &DossierTemplate, data: &DossierData) -> Vec<Page> {
    let style = PageStyle::default();
    let member = &data.member;
    let mut flow = Flow::new(m, style.clone());

    flow.heading(&t.numbered(0));
    flow.table(&basic_table(data));

    flow.heading(&t.numbered(1));
    flow.table(&timeline_table(t, member));

    flow.heading(&t.numbered(2));
    if data.findings.is_empty() {
        flow.paragraph(&format!(
            "截至{}，按发展党员工作规则核查，未发现不符合规定之处。",
            date_arabic(data.as_of)
        ));
    } else {
        flow.paragraph(&format!(
            "截至{}，按发展党员工作规则核查，发现以下{}项问题，请核实后处理。",
            date_arabic(data.as_of),
            lower(data.findings.len() as u64)
        ));
        flow.table(&findings_table(t, &data.findings));
    }

    flow.heading(&t.numbered(3));
    if data.reports.is_empty() {
        flow.paragraph(&t.no_record);
    }
    for report in &data.reports {
        thought_report(&mut flow, t, report);
    }
    flow.heading(&t.numbered(4));
    if data.meetings.is_empty() {
        flow.paragraph(&t.no_record);
    } else {
        flow.table(&meetings_table(t, &data.meetings));
        let about: Vec<_> = data
            .meetings
            .iter()
            .flat_map(|m| {
                m.resolutions
                    .iter()
                    .filter(|r| r.member_id == Some(member.id))
                    .map(move |r| (m.date, r))
            })
            .collect();
        if !about.is_empty() {
            flow.subheading(&t.resolutions_title);
            flow.table(&resolutions_table(t, &about));
        }
    }
    flow.heading(&t.numbered(5));
    if data.appraisals.is_empty() {
        flow.paragraph(&t.no_record);
    } else {
        flow.table(&appraisals_table(t, &data.appraisals));
    }

    flow.heading(&t.numbered(6));
    let missing = data.materials.iter().filter(|s| s.missing).count();
    if missing > 0 {
        flow.paragraph(&format!(
            "以下材料中有{}项必备材料缺失（标“缺失”），应补齐后归档。",
            lower(missing as u64)
        ));
    }
    flow.table(&materials_table(t, &data.materials));

    let (body, toc) = flow.finish();
    // Cover and contents come first: body page i is printed as page i + 3.
    let front = 2;
    let entries: Vec<(String, usize)> = toc
        .iter()
        .map(|e| (e.title.clone(), e.page + front + 1))
        .collect();
    let mut pages = Vec::with_capacity(body.len() + front);
    pages.push(cover(m, t, &style, data));
    pages.push(layout::contents_page(
        m,
        &style,
        &t.contents_title,
        &entries,
    ));
    pages.extend(body);
    let header = t
        .header
        .replace("{name}", &member.name)
        .replace("{branch}", member.branch.as_deref().unwrap_or(""));
    layout::number_pages(m, &style, &mut pages, &header, 1);
    pages
}

fn cover(m: &dyn Measure, t: &DossierTemplate, style: &PageStyle, data: &DossierData) -> Page {
    let member = &data.member;
    let mut page = Page::default();
    let cx = style.width / 2.0;
    page.centred(m, cx, 70.0 * MM, Role::Heading, 36.0, &t.title);
    page.centred(
        m,
        cx,
        84.0 * MM,
        Role::Body,
        12.0,
        &format!("{}：{}", t.archive_no_label, data.archive_no()),
    );
    let values: [String; 8] = [
        member.name.clone(),
        or_blank(&member.student_no),
        or_blank(&member.branch),
        or_blank(&member.college),
        or_blank(&member.class_name),
        date(member.joined_date),
        date(member.full_member_date),
        member.stage.zh().to_string(),
    ];
    let rows = t.cover_labels.iter().map(String::as_str).zip(values);
    let label_x = 52.0 * MM;
    let value_x = 84.0 * MM;
    let end_x = 160.0 * MM;
    let size = 14.0;
    let mut y = 130.0 * MM;
    for (label, value) in rows {
        page.text(label_x, y, Role::Heading, size, label);
        // A value too long for the line is set smaller so that it stays on one line.
        let room = end_x - value_x - 4.0;
        let natural = m.width(Role::Body, size, &value);
        let value_size = if natural > room {
            size * room / natural
        } else {
            size
        };
        page.text(value_x + 2.0, y, Role::Body, value_size, value);
        page.line(value_x, y + 3.0, end_x, y + 3.0, 0.5);
        y += 13.0 * MM;
    }
    page.centred(
        m,
        cx,
        style.height - 40.0 * MM,
        Role::Body,
        12.0,
        &format!(
            "{}：{}",
            t.unit_label,
            member.college.as_deref().unwrap_or("")
        ),
    );
    page.centred(
        m,
        cx,
        style.height - 32.0 * MM,
        Role::Body,
        12.0,
        &format!("{}：{}", t.date_label, date_arabic(data.as_of)),
    );
    page
}

/// 2026年第3季度.
fn period_zh(report: &ThoughtReport) -> String {
    let period = report.summary.period;
    format!("{}年第{}季度", period.year(), period.number())
}

/// One thought report: a subheading with period and title (the period alone once when the title
/// already names it), the date, the text and the reviewer's comment.
fn thought_report(flow: &mut Flow<'_>, t: &DossierTemplate, report: &ThoughtReport) {
    let period = period_zh(report);
    let title = report.summary.title.trim();
    let heading = if title.starts_with(&period) {
        title.to_string()
    } else {
        t.report_heading
            .replace("{period}", &period)
            .replace("{title}", title)
    };
    // Space between one report's signature and the next report.
    flow.space(8.0);
    // The subheading, the date, the salutation and two lines of the first paragraph together.
    flow.keep_lines(6.0);
    flow.subheading(&heading);
    flow.plain(&t.report_date.replace(
        "{date}",
        &report.summary.date.format("%Y-%m-%d").to_string(),
    ));
    report_text(flow, &report.body);
    if let Some(comment) = report
        .summary
        .review_comment
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        flow.space(4.0);
        flow.plain(
            &t.report_review
                .replace(
                    "{reviewer}",
                    report.summary.reviewer.as_deref().unwrap_or(""),
                )
                .replace("{date}", &date(report.summary.reviewed_on))
                .replace("{comment}", comment.trim()),
        );
    }
}

/// Whether a line is the signature block of a letter: 汇报人：… or a date such as 2026年9月20日.
fn is_signature(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("汇报人")
        || (line.ends_with('日')
            && line.contains('年')
            && line.contains('月')
            && line.chars().count() <= 12
            && line
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '年' | '月' | '日' | ' ')))
}

/// A report's text as a letter: one paragraph per line with a two-character indent; the
/// salutation (a first line ending in ：) and 敬礼 flush left; the signature and date set flush
/// right at the end.
fn report_text(flow: &mut Flow<'_>, body: &str) {
    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = lines
        .iter()
        .rev()
        .take_while(|l| is_signature(l))
        .count()
        .min(lines.len());
    let (text, signature) = lines.split_at(lines.len() - tail);
    for (i, line) in text.iter().enumerate() {
        if *line == "此致" {
            // The closing (此致, 敬礼, signature) stays together on one page.
            flow.keep_lines((text.len() - i + signature.len()) as f32 * 1.1);
        }
        let salutation = i == 0 && (line.ends_with('：') || line.ends_with(':'));
        if salutation || matches!(*line, "敬礼！" | "敬礼!" | "敬礼") {
            flow.plain(line);
        } else {
            flow.paragraph(line);
        }
    }
    if !signature.is_empty() {
        let signature: Vec<String> = signature.iter().map(|l| l.to_string()).collect();
        flow.right_lines(&signature);
    }
}

fn appraisals_table(t: &DossierTemplate, appraisals: &[Appraisal]) -> Table {
    let rows = appraisals
        .iter()
        .map(|a| {
            vec![
                format!("{}年度", a.year),
                a.grade.zh().to_string(),
                a.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Table {
        columns: vec![
            Column::new(&t.appraisals_columns[0], 1.0),
            Column::new(&t.appraisals_columns[1], 1.0),
            Column::new(&t.appraisals_columns[2], 3.0),
        ],
        header: true,
        strong: Vec::new(),
        rows,
    }
}

fn meetings_table(t: &DossierTemplate, meetings: &[MemberMeeting]) -> Table {
    let rows = meetings
        .iter()
        .map(|m| {
            let attendance = match m.attendance {
                Some(status) => {
                    let label = &t.attendance[match status {
                        AttendanceStatus::Present => 0,
                        AttendanceStatus::Leave => 1,
                        AttendanceStatus::Absent => 2,
                    }];
                    match m.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                        Some(reason) => format!("{label}（{reason}）"),
                        None => label.clone(),
                    }
                }
                None => t.not_on_list.clone(),
            };
            let topic = if m.attachments.is_empty() {
                m.topic.clone()
            } else {
                format!(
                    "{}（{}{}）",
                    m.topic,
                    t.attachments_label,
                    m.attachments.join("、")
                )
            };
            vec![
                m.date.format("%Y-%m-%d").to_string(),
                m.kind.zh().to_string(),
                topic,
                attendance,
            ]
        })
        .collect();
    Table {
        columns: vec![
            Column::new(&t.meetings_columns[0], 1.1),
            Column::new(&t.meetings_columns[1], 1.3),
            Column::new(&t.meetings_columns[2], 3.0),
            Column::new(&t.meetings_columns[3], 1.5),
        ],
        header: true,
        strong: Vec::new(),
        rows,
    }
}

fn resolutions_table(
    t: &DossierTemplate,
    resolutions: &[(NaiveDate, &meetings::MemberResolution)],
) -> Table {
    let strong = resolutions
        .iter()
        .enumerate()
        .filter(|(_, (_, r))| !r.passed)
        .map(|(i, _)| (i, 4))
        .collect();
    let rows = resolutions
        .iter()
        .map(|(day, r)| {
            vec![
                day.format("%Y-%m-%d").to_string(),
                r.text.clone(),
                t.tally
                    .replace("{yes}", &r.yes.to_string())
                    .replace("{no}", &r.no.to_string())
                    .replace("{abstain}", &r.abstain.to_string()),
                t.entitled.replace("{n}", &r.entitled.to_string()),
                t.outcome[usize::from(!r.passed)].clone(),
            ]
        })
        .collect();
    Table {
        columns: vec![
            Column::new(&t.resolutions_columns[0], 1.1),
            Column::new(&t.resolutions_columns[1], 2.2),
            Column::new(&t.resolutions_columns[2], 2.0),
            Column::new(&t.resolutions_columns[3], 0.9),
            Column::new(&t.resolutions_columns[4], 0.8),
        ],
        header: true,
        strong,
        rows,
    }
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

fn basic_table(data: &DossierData) -> Table {
    let m = &data.member;
    let pairs: Vec<(&str, String)> = vec![
        ("姓名", m.name.clone()),
        (
            "性别",
            m.sex.map(|s| s.zh().to_string()).unwrap_or_default(),
        ),
        ("民族", or_blank(&m.ethnicity)),
        ("公民身份号码", data.id_number.clone().unwrap_or_default()),
        ("出生日期", date(m.birth_date)),
        ("学历", or_blank(&m.education)),
        ("人员类别", or_blank(&m.category)),
        ("所在党支部", or_blank(&m.branch)),
        ("加入党组织日期", date(m.joined_date)),
        ("转为正式党员日期", date(m.full_member_date)),
        ("工作岗位", or_blank(&m.job)),
        ("联系电话", or_blank(&m.phone)),
        ("家庭住址", or_blank(&m.address)),
        ("党籍状态", or_blank(&m.membership_status)),
        ("是否为失联党员", yes_no(m.lost_contact)),
        ("是否为流动党员", yes_no(m.mobile)),
        ("学号", or_blank(&m.student_no)),
        ("学院", or_blank(&m.college)),
        ("班级", or_blank(&m.class_name)),
        ("年级", or_blank(&m.grade)),
        ("预计毕业日期", date(m.expected_graduation)),
        ("籍贯", or_blank(&m.native_place)),
    ];
    let rows = pairs
        .chunks(2)
        .map(|pair| {
            let mut row = Vec::with_capacity(4);
            for (label, value) in pair {
                row.push((*label).to_string());
                row.push(value.clone());
            }
            row
        })
        .collect();
    Table {
        columns: vec![
            Column::label("", 1.35),
            Column::new("", 1.9),
            Column::label("", 1.35),
            Column::new("", 1.9),
        ],
        header: false,
        strong: Vec::new(),
        rows,
    }
}

fn role_zh(role: PersonRole) -> &'static str {
    match role {
        PersonRole::Talker => "谈话人",
        PersonRole::Contact => "培养联系人",
        PersonRole::Introducer => "入党介绍人",
        PersonRole::Approver => "审批人",
        PersonRole::Other => "相关人员",
    }
}

fn timeline_table(t: &DossierTemplate, member: &MemberDetail) -> Table {
    let mut rows = Vec::new();
    for step in STEPS.iter() {
        let events: Vec<_> = member
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Step && e.step == Some(step.number))
            .collect();
        if events.is_empty() {
            rows.push(vec![
                step.number.to_string(),
                step.zh.to_string(),
                "—".to_string(),
                String::new(),
                String::new(),
            ]);
        }
        for event in events {
            let mut people: Vec<(PersonRole, Vec<&str>)> = Vec::new();
            for person in &event.people {
                match people.iter_mut().find(|(role, _)| *role == person.role) {
                    Some((_, names)) => names.push(&person.name),
                    None => people.push((person.role, vec![&person.name])),
                }
            }
            let people: Vec<String> = people
                .iter()
                .map(|(role, names)| format!("{}：{}", role_zh(*role), names.join("、")))
                .collect();
            rows.push(vec![
                step.number.to_string(),
                step.zh.to_string(),
                event.date.format("%Y-%m-%d").to_string(),
                people.join("；"),
                event.note.clone().unwrap_or_default(),
            ]);
        }
    }
    for event in member.events.iter().filter(|e| e.kind != EventKind::Step) {
        rows.push(vec![
            String::new(),
            event.title_zh.clone(),
            event.date.format("%Y-%m-%d").to_string(),
            String::new(),
            event.note.clone().unwrap_or_default(),
        ]);
    }
    Table {
        columns: vec![
            Column::new(&t.timeline_columns[0], 0.5),
            Column::new(&t.timeline_columns[1], 2.1),
            Column::new(&t.timeline_columns[2], 1.15),
            Column::new(&t.timeline_columns[3], 1.9),
            Column::new(&t.timeline_columns[4], 1.4),
        ],
        header: true,
        strong: Vec::new(),
        rows,
    }
}

fn findings_table(t: &DossierTemplate, findings: &[Finding]) -> Table {
    Table {
        columns: vec![
            Column::new(&t.findings_columns[0], 0.5),
            Column::new(&t.findings_columns[1], 0.6),
            Column::new(&t.findings_columns[2], 3.2),
            Column::new(&t.findings_columns[3], 2.2),
        ],
        header: true,
        strong: Vec::new(),
        rows: findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    match f.severity {
                        Severity::Block => "错误",
                        Severity::Warn => "提醒",
                    }
                    .to_string(),
                    f.message.clone(),
                    format!("{}（{}）", f.rule_title, f.source),
                ]
            })
            .collect(),
    }
}

fn materials_table(t: &DossierTemplate, materials: &[MaterialStatus]) -> Table {
    let strong = materials
        .iter()
        .enumerate()
        .filter(|(_, s)| s.missing)
        .map(|(i, _)| (i, 4))
        .collect();
    Table {
        columns: vec![
            Column::new(&t.materials_columns[0], 0.5),
            Column::new(&t.materials_columns[1], 2.6),
            Column::new(&t.materials_columns[2], 0.5),
            Column::new(&t.materials_columns[3], 0.5),
            Column::new(&t.materials_columns[4], 0.8),
            Column::new(&t.materials_columns[5], 2.2),
        ],
        header: true,
        strong,
        rows: materials
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let state = if !s.files.is_empty() {
                    format!("已归档{}份", s.files.len())
                } else if s.missing {
                    "缺失".to_string()
                } else if s.due {
                    "未归档".to_string()
                } else {
                    "未到期".to_string()
                };
                let files: Vec<&str> = s.files.iter().map(|f| f.file_name.as_str()).collect();
                vec![
                    (i + 1).to_string(),
                    s.material.title.clone(),
                    s.material.step.to_string(),
                    if s.material.required { "是" } else { "" }.to_string(),
                    state,
                    files.join("、"),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("汇报人：姜军志", true)]
    #[case("2026年11月20日", true)]
    #[case(" 2026年1月5日 ", true)]
    #[case("此致", false)]
    #[case("现将我2026年第3季度的思想汇报如下，截至11月20日", false)]
    #[case("敬礼！", false)]
    fn the_signature_block_is_the_reporter_and_the_date(#[case] line: &str, #[case] is: bool) {
        assert_eq!(is_signature(line), is);
    }

    #[test]
    fn the_embedded_template_parses() {
        let template = DossierTemplate::embedded().unwrap();
        assert_eq!(template.numbered(0), "一、基本信息");
        assert_eq!(template.numbered(6), "七、档案材料目录");
    }
}
