//! The demo archive: a realistic, deterministic university for trying the app, for tests and for
//! benchmarks.
//!
//! The same seed, size and reference date always give the same archive. Members are spread over
//! 8 colleges and 40 branches; students' timelines follow the national intervals (talk within a
//! month, a year as activist, approval within three months...), stop at a realistic point in the
//! pipeline, are cut at the reference date, and graduates' relationships are transferred out.
//! Teachers are long-standing full members and serve as talkers, contacts and introducers.
//! This module writes through `db` like any importer; it holds no rules of its own beyond the
//! shape of plausible data.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db::members::{NewEvent, NewMember, insert_event, insert_member};
use crate::db::{self, with_tx};
use crate::error::ErrorCode;
use crate::meetings::ResolutionKind;
use crate::org::{self, OrgError, OrgKind};
use crate::people::{EventKind, IdNumber, PersonRole, Sex, Stage};
use crate::reports::{Quarter, ReportSource};

mod meetings;
mod reports;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub members: usize,
    pub seed: u64,
    /// The day the archive is "now": no event is later than this.
    pub as_of: NaiveDate,
}

/// What was generated.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub seed: u64,
    pub as_of: NaiveDate,
    pub colleges: usize,
    pub branches: usize,
    pub groups: usize,
    pub members: usize,
    pub events: usize,
    /// Thought reports written (one per quarter while in the pipeline).
    pub reports: usize,
    /// Meetings written (三会一课 of every branch, and the general meetings that decided
    /// admissions, conversions and probation extensions).
    pub meetings: usize,
    /// 民主评议 grades written (full members of each branch, every closed year).
    pub appraisals: usize,
    /// The branch and year whose grades give more 优秀 than the share rule allows, on purpose, so
    /// that the warning shows (a warning of `appraisal list`, not a `dangan check` problem).
    pub appraisal_warning: Option<AppraisalPlant>,
    /// Members per stage code.
    pub stages: BTreeMap<&'static str, usize>,
    /// The problems planted on purpose for `dangan check` to find; every other file is clean.
    pub planted: Vec<PlantedProblem>,
}

/// The branch-year the demo gives too many 优秀 grades on purpose.
#[derive(Debug, Clone, Serialize)]
pub struct AppraisalPlant {
    pub branch_id: i64,
    pub year: i32,
}

/// A rule the demo breaks on purpose, in one member's file.
#[derive(Debug, Clone, Serialize)]
pub struct PlantedProblem {
    pub member_id: i64,
    /// The id of the rule that must report it.
    pub rule: &'static str,
    pub description: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the archive already holds {0} members; the demo fills only an empty archive \
         (use a new --archive folder)"
    )]
    NotEmpty(i64),
    #[error("the demo needs at least 1 member")]
    NoMembers,
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for DemoError {
    fn code(&self) -> &'static str {
        match self {
            DemoError::NotEmpty(_) => "archive_not_empty",
            DemoError::NoMembers => "invalid_argument",
            DemoError::Org(err) => err.code(),
            DemoError::Db(_) => "database",
        }
    }
}

const UNIVERSITY: &str = "示范大学党委";

/// (name, abbreviation for class names, code in student numbers)
const COLLEGES: [(&str, &str, &str); 8] = [
    ("计算机科学与技术学院", "计科", "03"),
    ("机械工程学院", "机械", "01"),
    ("经济与管理学院", "经管", "05"),
    ("外国语学院", "外语", "07"),
    ("化学与材料学院", "化材", "02"),
    ("数学与统计学院", "数统", "04"),
    ("马克思主义学院", "马院", "09"),
    ("医学院", "医学", "11"),
];

/// The branches of every college, in order: two undergraduate branches (lower and upper years),
/// two graduate branches (first and later years), and the staff branch.
const BRANCHES: [&str; 5] = [
    "本科生第一党支部",
    "本科生第二党支部",
    "研究生第一党支部",
    "研究生第二党支部",
    "教职工党支部",
];
const GROUPS: [&str; 2] = ["第一党小组", "第二党小组"];
/// Teachers who belong to each student branch (as counselors).
const COUNSELORS_PER_BRANCH: usize = 3;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
];
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "慕容", "端木", "皇甫", "令狐",
];
const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "浩", "宇", "轩", "博", "哲", "鹏", "昊", "晨",
    "俊", "凯", "翔", "睿", "航", "铭", "泽", "峰",
];
const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "婷", "雪", "琳", "颖", "倩", "悦", "欣", "怡", "萱", "涵", "琪",
    "瑶", "蕾", "璐", "妍", "洁", "薇", "露", "菲",
];
const COMMON_CHARS: &[&str] = &[
    "子", "文", "思", "嘉", "雨", "一", "梓", "明", "清", "安", "宁", "佳", "天", "志", "晓", "家",
    "新", "建", "海", "春", "若", "书",
];
/// Rarer characters real rosters have and GB2312-only fonts lack.
const RARE_CHARS: &[&str] = &[
    "喆", "堃", "淼", "赟", "翀", "玥", "珺", "昇", "犇", "燚", "垚", "彧", "祎", "旸", "骞", "婳",
];

/// (region code, 籍贯)
const REGIONS: &[(&str, &str)] = &[
    ("110108", "北京市海淀区"),
    ("310104", "上海市徐汇区"),
    ("440106", "广东省广州市天河区"),
    ("320102", "江苏省南京市玄武区"),
    ("330106", "浙江省杭州市西湖区"),
    ("420111", "湖北省武汉市洪山区"),
    ("510107", "四川省成都市武侯区"),
    ("610113", "陕西省西安市雁塔区"),
    ("370102", "山东省济南市历下区"),
    ("410105", "河南省郑州市金水区"),
    ("430104", "湖南省长沙市岳麓区"),
    ("350102", "福建省福州市鼓楼区"),
    ("450103", "广西壮族自治区南宁市青秀区"),
    ("530102", "云南省昆明市五华区"),
    ("650102", "新疆维吾尔自治区乌鲁木齐市天山区"),
    ("150102", "内蒙古自治区呼和浩特市新城区"),
];
const STREETS: &[&str] = &[
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平路",
    "文化路",
    "学府路",
    "长江路",
];
const ETHNICITIES: &[&str] = &[
    "壮族",
    "回族",
    "满族",
    "维吾尔族",
    "苗族",
    "彝族",
    "土家族",
    "藏族",
    "蒙古族",
    "朝鲜族",
];

/// Refuses an archive that already holds members (the demo fills only an empty one).
pub fn check_empty(archive: &Archive) -> Result<(), DemoError> {
    let existing = db::members::count(archive.conn())?;
    if existing > 0 {
        return Err(DemoError::NotEmpty(existing));
    }
    Ok(())
}

/// Fills an empty archive with a demo university, in one transaction.
pub fn generate(
    archive: &mut Archive,
    actor: &Actor,
    options: &DemoOptions,
) -> Result<DemoSummary, DemoError> {
    if options.members == 0 {
        return Err(DemoError::NoMembers);
    }
    check_empty(archive)?;
    let recorded_by = actor.name().to_string();
    with_tx(archive.conn_mut(), |tx| {
        let mut generator = Generator::new(options);
        generator.run(tx, &recorded_by)
    })
}

/// A member being generated: their record and their timeline (without ids yet).
struct Draft {
    member: NewMember,
    events: Vec<DraftEvent>,
}

struct DraftEvent {
    kind: EventKind,
    step: Option<u8>,
    /// For a probation extension.
    months: Option<u8>,
    date: NaiveDate,
    people: Vec<(PersonRole, String, Option<i64>)>,
    note: Option<String>,
}

/// The first day of the first quarter the national rule set (2014-06-10) asks reports for.
const REPORTS_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2014, 7, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// The note on an event the demo made wrong on purpose.
const PLANTED_NOTE: &str = "演示数据：此处故意设置了问题，供检查功能发现";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Program {
    Undergraduate,
    Graduate,
}

impl Program {
    fn years(self) -> i32 {
        match self {
            Program::Undergraduate => 4,
            Program::Graduate => 3,
        }
    }
}

struct College {
    index: usize,
    branch_ids: Vec<i64>,
    /// Teachers who are full members: (member id, name).
    staff: Vec<(i64, String)>,
}

struct Generator<'a> {
    options: &'a DemoOptions,
    rng: ChaCha8Rng,
    /// For report texts, apart from `rng` so that the people and timelines do not depend on them.
    text_rng: ChaCha8Rng,
    id_numbers: HashSet<String>,
    student_seq: BTreeMap<String, u32>,
    summary: DemoSummary,
    /// Party members (joined), for the meeting history.
    parties: Vec<meetings::Party>,
    /// Students' admissions, conversions and extensions, which general meetings decided.
    decisions: Vec<meetings::Decision>,
}

impl<'a> Generator<'a> {
    fn new(options: &'a DemoOptions) -> Generator<'a> {
        Generator {
            options,
            rng: ChaCha8Rng::seed_from_u64(options.seed),
            text_rng: ChaCha8Rng::seed_from_u64(options.seed ^ 0x7e47_0000_7e47),
            id_numbers: HashSet::new(),
            student_seq: BTreeMap::new(),
            parties: Vec::new(),
            decisions: Vec::new(),
            summary: DemoSummary {
                seed: options.seed,
                as_of: options.as_of,
                colleges: 0,
                branches: 0,
                groups: 0,
                members: 0,
                events: 0,
                reports: 0,
                meetings: 0,
                appraisals: 0,
                appraisal_warning: None,
                stages: Stage::ALL.iter().map(|s| (s.as_code(), 0)).collect(),
                planted: Vec::new(),
            },
        }
    }

    fn run(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        recorded_by: &str,
    ) -> Result<DemoSummary, DemoError> {
        let mut colleges = self.build_tree(tx)?;
        let total = self.options.members;
        // About one member in twelve is a teacher, and every college has a few once the archive
        // is large enough for contacts and introducers to be real members.
        let staff_total = if total >= 48 { (total / 12).max(16) } else { 0 };
        for n in 0..staff_total {
            let college = &mut colleges[n % COLLEGES.len()];
            let draft = self.staff_draft(college);
            let name = draft.member.name.clone();
            let id = self.save(tx, draft, recorded_by)?;
            college.staff.push((id, name));
        }
        for n in 0..total - staff_total {
            let college = &colleges[n % COLLEGES.len()];
            let draft = self.student_draft(college);
            self.save(tx, draft, recorded_by)?;
        }
        let branches: Vec<meetings::Branch> = colleges
            .iter()
            .flat_map(|college| {
                college
                    .branch_ids
                    .iter()
                    .zip(BRANCHES)
                    .map(|(&id, name)| meetings::Branch {
                        id,
                        name,
                        college: COLLEGES[college.index].0,
                        groups: GROUPS,
                    })
            })
            .collect();
        let written = meetings::write(
            tx,
            self.options.seed,
            self.options.as_of,
            &branches,
            &self.parties,
            &self.decisions,
            recorded_by,
        )?;
        self.summary.meetings = written.meetings;
        self.summary.appraisals = written.appraisals;
        self.summary.appraisal_warning = written
            .over_share
            .map(|(branch_id, year)| AppraisalPlant { branch_id, year });
        db::search::optimize(tx)?;
        Ok(self.summary.clone())
    }

    fn build_tree(&mut self, tx: &rusqlite::Transaction<'_>) -> Result<Vec<College>, DemoError> {
        let root = org::add_unit(tx, OrgKind::UniversityCommittee, UNIVERSITY, None)?;
        let mut colleges = Vec::new();
        for (index, (name, _, _)) in COLLEGES.iter().enumerate() {
            let committee_id = org::add_unit(
                tx,
                OrgKind::CollegeCommittee,
                &format!("{name}党委"),
                Some(root),
            )?;
            let mut branch_ids = Vec::new();
            for branch in BRANCHES {
                let branch_id = org::add_unit(tx, OrgKind::Branch, branch, Some(committee_id))?;
                for group in GROUPS {
                    org::add_unit(tx, OrgKind::Group, group, Some(branch_id))?;
                    self.summary.groups += 1;
                }
                branch_ids.push(branch_id);
                self.summary.branches += 1;
            }
            colleges.push(College {
                index,
                branch_ids,
                staff: Vec::new(),
            });
            self.summary.colleges += 1;
        }
        Ok(colleges)
    }

    fn save(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        mut draft: Draft,
        recorded_by: &str,
    ) -> Result<i64, DemoError> {
        let planted = self.plant(&mut draft);
        let id = insert_member(tx, &draft.member)?;
        if let Some((rule, description)) = planted {
            self.summary.planted.push(PlantedProblem {
                member_id: id,
                rule,
                description,
            });
        }
        let max_step = draft.events.iter().filter_map(|e| e.step).max();
        let status = draft
            .events
            .iter()
            .rev()
            .find(|e| !matches!(e.kind, EventKind::Step | EventKind::ProbationExtended))
            .map(|e| e.kind);
        self.write_reports(tx, id, &draft, recorded_by)?;
        let joined = draft
            .events
            .iter()
            .find(|e| e.step == Some(15))
            .map(|e| e.date);
        let extension: u32 = draft
            .events
            .iter()
            .filter_map(|e| e.months)
            .map(u32::from)
            .sum();
        let left = draft
            .events
            .iter()
            .find(|e| e.kind.is_leaving())
            .map(|e| e.date);
        let branch_id = draft.member.branch_id;
        if let (Some(joined), Some(branch_id)) = (joined, branch_id) {
            self.parties.push(meetings::Party {
                id,
                name: draft.member.name.clone(),
                branch_id,
                joined,
                full: crate::people::full_member_date(Some(joined), max_step, extension),
                left,
            });
        }
        // Teachers joined elsewhere, before this archive's records begin.
        let student = draft.member.student_no.is_some();
        for event in draft.events {
            let new = NewEvent {
                member_id: id,
                kind: event.kind,
                step: event.step,
                months: event.months,
                date: event.date,
                note: event.note,
                people: event.people,
            };
            let event_id = insert_event(tx, &new, recorded_by)?;
            self.summary.events += 1;
            let decided = match (new.kind, new.step) {
                (EventKind::Step, Some(15)) => Some(ResolutionKind::Admit),
                (EventKind::Step, Some(23)) => Some(ResolutionKind::Convert),
                (EventKind::ProbationExtended, _) => Some(ResolutionKind::ExtendProbation),
                _ => None,
            };
            if let (true, Some(kind), Some(branch_id)) = (student, decided, branch_id) {
                self.decisions.push(meetings::Decision {
                    member_id: id,
                    name: draft.member.name.clone(),
                    branch_id,
                    kind,
                    months: new.months,
                    date: new.date,
                    event_id,
                    after_extension: extension > 0,
                });
            }
        }
        let stage = Stage::from_progress(max_step, status);
        *self.summary.stages.entry(stage.as_code()).or_default() += 1;
        self.summary.members += 1;
        Ok(id)
    }

    /// One thought report for every quarter from the one after the application while the
    /// member is in the pipeline (until conversion is approved, they leave, or today), as the
    /// rule `thought_reports_quarterly` asks, handed in during the quarter.
    fn write_reports(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        member_id: i64,
        draft: &Draft,
        recorded_by: &str,
    ) -> Result<(), DemoError> {
        let step_date = |step: u8| {
            draft
                .events
                .iter()
                .find(|e| e.step == Some(step))
                .map(|e| e.date)
        };
        let Some(applied) = step_date(1) else {
            return Ok(());
        };
        let left = draft
            .events
            .iter()
            .find(|e| e.kind.is_leaving())
            .map(|e| e.date);
        let as_of = self.options.as_of;
        let stop = [step_date(24), left, Some(as_of)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(as_of);
        let mut quarter = Quarter::of(applied).next();
        while quarter.start() <= stop {
            // Only quarters the national rule set covers (it took effect on 2014-06-10).
            if quarter.start() >= REPORTS_FROM {
                let offset = self.text_rng.random_range(10..=85);
                let date = (quarter.start() + Days::new(offset))
                    .min(quarter.end())
                    .min(as_of);
                let reached = |step: u8| step_date(step).is_some_and(|d| d <= quarter.start());
                let phase = if reached(15) {
                    reports::Phase::Probationary
                } else if reached(7) {
                    reports::Phase::Target
                } else if reached(3) {
                    reports::Phase::Activist
                } else {
                    reports::Phase::Applicant
                };
                let date_text = format!("{}年{}月{}日", date.year(), date.month(), date.day());
                let (title, body) = reports::thought_report(
                    &mut self.text_rng,
                    &draft.member.name,
                    quarter,
                    phase,
                    &date_text,
                );
                let report = db::reports::NewReport {
                    member_id,
                    date,
                    period: quarter,
                    title: &title,
                    body: &body,
                    source: ReportSource::Typed,
                    file_name: None,
                    file_sha256: None,
                };
                db::reports::insert(tx, &report, recorded_by)?;
                self.summary.reports += 1;
            }
            quarter = quarter.next();
        }
        Ok(())
    }

    /// Breaks one rule in the first student file that suits it, once per rule: a talk 40 days
    /// after the application, a development target after 10 months as activist, a full member
    /// whose introducers were never recorded.
    fn plant(&mut self, draft: &mut Draft) -> Option<(&'static str, &'static str)> {
        // Only students' files are planted on.
        draft.member.student_no.as_ref()?;
        let planted =
            |rule: &str, summary: &DemoSummary| summary.planted.iter().any(|p| p.rule == rule);
        let on = |events: &[DraftEvent], step: u8| events.iter().position(|e| e.step == Some(step));
        let max_step = draft
            .events
            .iter()
            .filter_map(|e| e.step)
            .max()
            .unwrap_or(0);
        let events = &mut draft.events;

        if !planted("talk_within_one_month", &self.summary)
            && max_step == 2
            && let (Some(apply), Some(talk)) = (on(events, 1), on(events, 2))
            && events[apply].date + Days::new(40) <= self.options.as_of
        {
            events[talk].date = events[apply].date + Days::new(40);
            events[talk].note = Some(PLANTED_NOTE.to_string());
            return Some(("talk_within_one_month", "谈话在递交入党申请书40天后"));
        }
        if !planted("activist_at_least_one_year", &self.summary)
            && (7..=11).contains(&max_step)
            && let (Some(activist), Some(target)) = (on(events, 3), on(events, 7))
        {
            let early = events[activist].date.checked_add_months(Months::new(10))?;
            events[target].date = early;
            events[target].note = Some(PLANTED_NOTE.to_string());
            // Reviews after the (earlier) date of becoming a development target no longer belong.
            events.retain(|e| e.step != Some(6) || e.date < early);
            events.sort_by_key(|e| e.date);
            return Some((
                "activist_at_least_one_year",
                "入党积极分子仅10个月即确定为发展对象",
            ));
        }
        if !planted("two_introducers", &self.summary)
            && max_step >= 24
            && let Some(introduced) = on(events, 9)
        {
            events[introduced].people.clear();
            events[introduced].note = Some(PLANTED_NOTE.to_string());
            return Some(("two_introducers", "已转正但没有记录入党介绍人"));
        }
        None
    }

    fn staff_draft(&mut self, college: &College) -> Draft {
        let as_of = self.options.as_of;
        let applied = as_of - Days::new(self.rng.random_range(10 * 365..=30 * 365));
        let birth = applied - Days::new(self.rng.random_range(19 * 365..=25 * 365));
        let sex = if self.rng.random_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let mut member = self.person(sex, birth);
        // The college's first teachers are counselors (辅导员) who belong to the student
        // branches, three to each, so that a student branch has full members to vote on
        // admissions; the others belong to the teachers' branch.
        let students_branches = BRANCHES.len() - 1;
        let k = college.staff.len();
        let branch = if k < COUNSELORS_PER_BRANCH * students_branches {
            k % students_branches
        } else {
            BRANCHES.len() - 1
        };
        member.branch_id = Some(college.branch_ids[branch]);
        member.college = Some(COLLEGES[college.index].0.to_string());
        member.education = Some(
            if self.rng.random_bool(0.6) {
                "博士研究生"
            } else {
                "硕士研究生"
            }
            .to_string(),
        );
        let (category, job) = *[
            ("专业技术人员", "教师"),
            ("管理人员", "辅导员"),
            ("管理人员", "行政管理"),
        ]
        .choose(&mut self.rng)
        .unwrap_or(&("专业技术人员", "教师"));
        member.category = Some(category.to_string());
        member.job = Some(job.to_string());
        member.membership_status = Some("正常".to_string());
        // Teachers joined long ago, before the students' steps began; the colleagues who vouched
        // for them are not in this archive.
        let events = self.timeline(college, applied, 25, as_of, false);
        Draft { member, events }
    }

    fn student_draft(&mut self, college: &College) -> Draft {
        let as_of = self.options.as_of;
        let program = if self.rng.random_bool(0.78) {
            Program::Undergraduate
        } else {
            Program::Graduate
        };
        // The academic year that started most recently, and the cohorts still at school, plus the
        // class that graduated this summer (whose members have left).
        let current = if as_of.month() >= 9 {
            as_of.year()
        } else {
            as_of.year() - 1
        };
        let years_back = self.rng.random_range(0..=program.years());
        let grade = current - years_back;
        let graduated = years_back == program.years();
        let enrolled = date(grade, 9, 1) + Days::new(self.rng.random_range(0..=5));
        let graduation = date(grade + program.years(), 6, 30);
        let age_at_enrolment = match program {
            Program::Undergraduate => 18 * 365,
            Program::Graduate => 22 * 365,
        };
        let birth = enrolled - Days::new(age_at_enrolment + self.rng.random_range(0..=700));
        let sex = if self.rng.random_bool(0.52) {
            Sex::Female
        } else {
            Sex::Male
        };

        let mut member = self.person(sex, birth);
        let (college_name, abbreviation, code) = COLLEGES[college.index];
        let branch = match (program, years_back) {
            (Program::Undergraduate, 0..=1) => 0,
            (Program::Undergraduate, _) => 1,
            (Program::Graduate, 0..=1) => 2,
            (Program::Graduate, _) => 3,
        };
        member.branch_id = Some(college.branch_ids[branch]);
        member.college = Some(college_name.to_string());
        member.grade = Some(grade.to_string());
        member.expected_graduation = Some(graduation);
        let yy = grade % 100;
        let (program_digit, education) = match program {
            Program::Undergraduate => {
                member.class_name = Some(format!(
                    "{abbreviation}{yy:02}{:02}班",
                    self.rng.random_range(1..=4)
                ));
                ("1", "大学本科在读")
            }
            Program::Graduate => {
                member.class_name = Some(format!("{abbreviation}硕{yy:02}级"));
                ("2", "硕士研究生在读")
            }
        };
        member.education = Some(education.to_string());
        member.category = Some("学生".to_string());
        member.job = Some("学生".to_string());
        let key = format!("{grade}{code}{program_digit}");
        let seq = self.student_seq.entry(key.clone()).or_insert(0);
        *seq += 1;
        member.student_no = Some(format!("{key}{seq:04}"));

        // How far this student means to go: many apply and stop there; some become activists,
        // fewer development targets; the rest go all the way (time and graduation permitting).
        let roll: f64 = self.rng.random();
        let cap = match roll {
            r if r < 0.30 => 2,
            r if r < 0.50 => 6,
            r if r < 0.58 => 11,
            _ => 25,
        };
        // Students apply once they are 18 and settled in, within their first year and a half,
        // and (being in the archive) before the reference date.
        let earliest = (birth + Days::new(18 * 366)).max(enrolled + Days::new(20));
        let cutoff = as_of.min(graduation);
        let window = u64::try_from((cutoff - earliest).num_days())
            .unwrap_or(0)
            .min(540);
        let applied = (earliest + Days::new(self.rng.random_range(0..=window))).min(cutoff);
        let mut events = self.timeline(college, applied, cap, cutoff, true);
        // Admission within three months of leaving is not allowed: stop before the branch
        // committee review (step 12) instead.
        let last_admission = graduation - Days::new(92);
        if let Some(admitted) = events.iter().find(|e| e.step == Some(15)).map(|e| e.date)
            && admitted > last_admission
        {
            events.retain(|e| e.step.is_some_and(|s| s < 12));
        }
        let max_step = events.iter().filter_map(|e| e.step).max().unwrap_or(0);
        // Graduates who joined took their relationship with them.
        if graduated && graduation < as_of && max_step >= 17 {
            let left = (graduation + Days::new(self.rng.random_range(0..=20))).min(as_of);
            events.push(DraftEvent {
                kind: EventKind::TransferredOut,
                step: None,
                months: None,
                date: left,
                people: vec![],
                note: None,
            });
        }
        if max_step >= 17 {
            member.membership_status = Some("正常".to_string());
        }
        Draft { member, events }
    }

    /// The basic record every generated person shares: name, ID number and what follows from it.
    fn person(&mut self, sex: Sex, birth: NaiveDate) -> NewMember {
        let &(region, native_place) = REGIONS.choose(&mut self.rng).unwrap_or(&REGIONS[0]);
        let id_number = loop {
            // Odd sequence numbers for men, even for women (GB 11643).
            let base: u16 = self.rng.random_range(0..500) * 2;
            let sequence = if sex == Sex::Male { base + 1 } else { base };
            let Ok(id) = IdNumber::compose(region, birth, sequence) else {
                continue;
            };
            if self.id_numbers.insert(id.as_str().to_string()) {
                break id;
            }
        };
        let ethnicity = if self.rng.random_bool(0.9) {
            "汉族"
        } else {
            ETHNICITIES.choose(&mut self.rng).copied().unwrap_or("汉族")
        };
        let prefix = *[3u8, 5, 7, 8, 9].choose(&mut self.rng).unwrap_or(&3);
        let phone = format!("1{prefix}{:09}", self.rng.random_range(0..1_000_000_000u32));
        let street = STREETS.choose(&mut self.rng).copied().unwrap_or("人民路");
        NewMember {
            name: self.name(sex),
            sex: Some(id_number.sex()),
            ethnicity: Some(ethnicity.to_string()),
            birth_date: Some(id_number.birth_date()),
            id_number: Some(id_number.as_str().to_string()),
            phone: Some(phone),
            address: Some(format!(
                "{native_place}{street}{}号",
                self.rng.random_range(1..=300)
            )),
            native_place: Some(native_place.to_string()),
            ..NewMember::default()
        }
    }

    fn name(&mut self, sex: Sex) -> String {
        let surname = if self.rng.random_bool(0.03) {
            COMPOUND_SURNAMES.choose(&mut self.rng)
        } else {
            SURNAMES.choose(&mut self.rng)
        };
        let mut name = surname.copied().unwrap_or("王").to_string();
        let length = if self.rng.random_bool(0.7) { 2 } else { 1 };
        for _ in 0..length {
            let pool = match self.rng.random_range(0..100) {
                0..=5 => RARE_CHARS,
                6..=40 => COMMON_CHARS,
                _ if sex == Sex::Male => MALE_CHARS,
                _ => FEMALE_CHARS,
            };
            name.push_str(pool.choose(&mut self.rng).copied().unwrap_or("文"));
        }
        name
    }

    /// A development timeline from the application on `applied`, up to step `cap`, with no event
    /// after `cutoff`. Intervals are drawn inside the national baseline's limits.
    fn timeline(
        &mut self,
        college: &College,
        applied: NaiveDate,
        cap: u8,
        cutoff: NaiveDate,
        link_people: bool,
    ) -> Vec<DraftEvent> {
        let mut events: Vec<DraftEvent> = Vec::new();
        let mut dates = [applied; 26];
        // (step, the step its date counts from, days after it)
        let plan: [(u8, u8, (u64, u64)); 23] = [
            (2, 1, (7, 25)),
            (3, 2, (60, 240)),
            (4, 3, (3, 14)),
            (5, 4, (2, 10)),
            (7, 3, (370, 520)),
            (8, 7, (3, 14)),
            (9, 8, (3, 14)),
            (10, 9, (10, 40)),
            (11, 10, (5, 30)),
            (12, 11, (10, 30)),
            (13, 12, (5, 15)),
            (14, 13, (3, 10)),
            (15, 14, (5, 20)),
            (16, 15, (5, 20)),
            (17, 15, (25, 80)),
            (18, 17, (5, 20)),
            (19, 17, (1, 10)),
            (20, 19, (10, 40)),
            (21, 15, (170, 200)),
            (22, 15, (330, 355)),
            (23, 15, (0, 20)),
            (24, 23, (20, 80)),
            (25, 24, (5, 20)),
        ];
        // A few probationers are not converted when the year ends: the branch extends their
        // probation by half a year or a year (延长预备期), and the conversion follows it.
        let extension: u8 = match cap >= 23 && self.rng.random_bool(0.03) {
            true if self.rng.random_bool(0.7) => 6,
            true => 12,
            false => 0,
        };
        let mut step_dates = vec![(1u8, applied)];
        for (step, from, (lo, hi)) in plan {
            let base = match step {
                // The conversion meeting comes after the probation, counted in months.
                23 => dates[15]
                    .checked_add_months(Months::new(12 + u32::from(extension)))
                    .unwrap_or(dates[15]),
                // The application for conversion is handed in again after an extension.
                22 => dates[15]
                    .checked_add_months(Months::new(u32::from(extension)))
                    .unwrap_or(dates[15]),
                _ => dates[usize::from(from)],
            };
            dates[usize::from(step)] = base + Days::new(self.rng.random_range(lo..=hi));
            step_dates.push((step, dates[usize::from(step)]));
        }
        let extended_on = dates[15]
            .checked_add_months(Months::new(12))
            .map(|end| end + Days::new(self.rng.random_range(0..=15)))
            .filter(|on| extension > 0 && *on <= cutoff);
        // Activist reviews every six months until the member becomes a development target, or for
        // as long as they stay an activist.
        let reviews_until = if cap >= 7 { dates[7] } else { cutoff };
        let mut review = dates[3] + Days::new(self.rng.random_range(170..=180));
        while review < reviews_until {
            step_dates.push((6, review));
            review = review + Days::new(self.rng.random_range(170..=180));
        }
        step_dates.sort_by_key(|(step, date)| (*date, *step));
        for (step, date) in step_dates {
            if date > cutoff {
                break;
            }
            if step > cap {
                // Beyond where this member stops; their activist reviews may still follow.
                continue;
            }
            let staff: &[(i64, String)] = if link_people { &college.staff } else { &[] };
            let people = self.people_for(staff, step);
            events.push(DraftEvent {
                kind: EventKind::Step,
                step: Some(step),
                months: None,
                date,
                people,
                note: None,
            });
        }
        if let Some(on) = extended_on {
            let at = events.partition_point(|e| e.date <= on);
            events.insert(
                at,
                DraftEvent {
                    kind: EventKind::ProbationExtended,
                    step: None,
                    months: Some(extension),
                    date: on,
                    people: Vec::new(),
                    note: Some("支部大会决定延长预备期".to_string()),
                },
            );
        }
        events
    }

    /// The people named at `step`: teachers of the college who are full members when there are
    /// enough of them (`staff`), otherwise names of people outside the archive.
    fn people_for(
        &mut self,
        staff: &[(i64, String)],
        step: u8,
    ) -> Vec<(PersonRole, String, Option<i64>)> {
        let (role, count) = match step {
            2 | 16 => (PersonRole::Talker, 1),
            5 => (PersonRole::Contact, 2),
            9 => (PersonRole::Introducer, 2),
            _ => return Vec::new(),
        };
        if staff.len() >= 2 {
            staff
                .choose_multiple(&mut self.rng, count)
                .map(|(id, name)| (role, name.clone(), Some(*id)))
                .collect()
        } else {
            (0..count)
                .map(|_| {
                    let sex = if self.rng.random_bool(0.5) {
                        Sex::Male
                    } else {
                        Sex::Female
                    };
                    (role, self.name(sex), None)
                })
                .collect()
        }
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}
