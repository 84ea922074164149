//! The demo's meeting history: for every branch, the 三会一课 at the frequencies of
//! `assets/rules/meetings.toml` over the demo's span, and a branch general meeting on the day of
//! every admission (step 15), conversion (step 23) and probation extension of a student, whose
//! resolution is linked to that event as `meetings::record` links the events it creates.
//!
//! Who attends and who votes follows the core's definitions, computed from the drafts rather
//! than by asking the core per meeting (which would reload every timeline thousands of times):
//! party members of the branch on the day attend (joined by then, not yet left); full members
//! (`people::full_member_date`) who have not left are entitled to vote; the meeting is quorate
//! and every resolution passes by `meetings::is_quorate` / `meetings::passes`. The integration
//! tests check the counts against `meetings::entitled_voters`.
//!
//! Routine meetings are held in every period that ended before the reference day (the open
//! month, quarter and year are still owed, as the reminders say), except in a few branches that
//! skipped some months, so that compliance has gaps to show. Texts come from phrase banks with
//! the meeting's own numbers and names, on a random stream of their own.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::reports::THEORY;
use crate::appraisals::Grade;
use crate::db;
use crate::meetings::{
    AttendanceEntry, AttendanceStatus, MeetingKind, MeetingRequest, ResolutionKind,
    ResolutionRequest, ResolutionTally, VoteChoice, VoteEntry, is_quorate, more_than_half, passes,
};

/// A member of the party as far as meetings are concerned.
pub(super) struct Party {
    pub id: i64,
    pub name: String,
    pub branch_id: i64,
    /// 入党时间 (step 15).
    pub joined: NaiveDate,
    /// The day they became a full member, by `people::full_member_date`.
    pub full: Option<NaiveDate>,
    /// The day they left (transferred out…), if they have.
    pub left: Option<NaiveDate>,
}

impl Party {
    fn attends(&self, day: NaiveDate) -> bool {
        self.joined <= day && self.left.is_none_or(|left| left > day)
    }

    fn votes(&self, day: NaiveDate) -> bool {
        self.full.is_some_and(|full| full <= day) && self.left.is_none_or(|left| left > day)
    }
}

/// An event a general meeting decided: admission, conversion or probation extension.
pub(super) struct Decision {
    pub member_id: i64,
    pub name: String,
    pub branch_id: i64,
    pub kind: ResolutionKind,
    pub months: Option<u8>,
    pub date: NaiveDate,
    pub event_id: i64,
    /// A conversion after an extended probation.
    pub after_extension: bool,
}

/// A branch and where it sits.
pub(super) struct Branch {
    pub id: i64,
    pub name: &'static str,
    pub college: &'static str,
    pub groups: [&'static str; 2],
}

pub(super) struct Written {
    pub meetings: usize,
    pub linked: usize,
    pub appraisals: usize,
    /// The branch and year given more 优秀 than the share rule allows, on purpose.
    pub over_share: Option<(i64, i32)>,
}

pub(super) fn write(
    tx: &rusqlite::Transaction<'_>,
    seed: u64,
    as_of: NaiveDate,
    branches: &[Branch],
    parties: &[Party],
    decisions: &[Decision],
    recorded_by: &str,
) -> rusqlite::Result<Written> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x3ee7_1265_0000_0001);
    let mut written = Written {
        meetings: 0,
        linked: 0,
        appraisals: 0,
        over_share: None,
    };
    let start = date(as_of.year() - 4, 1, 1);
    // A few branches skipped some meetings in the last two years.
    let mut order: Vec<usize> = (0..branches.len()).collect();
    order.shuffle(&mut rng);
    let lax: Vec<usize> = order
        .into_iter()
        .take(branches.len().div_ceil(10))
        .collect();

    for (index, branch) in branches.iter().enumerate() {
        let members: Vec<&Party> = parties
            .iter()
            .filter(|p| p.branch_id == branch.id)
            .collect();
        let mut decided: BTreeMap<NaiveDate, Vec<&Decision>> = BTreeMap::new();
        for decision in decisions.iter().filter(|d| d.branch_id == branch.id) {
            decided.entry(decision.date).or_default().push(decision);
        }
        let mut writer = BranchWriter {
            tx,
            rng: &mut rng,
            branch,
            members: &members,
            recorded_by,
            written: &mut written,
        };
        // The quarters whose general meeting was a decision meeting.
        let mut general_held: Vec<(i32, u32)> = Vec::new();
        for (day, list) in &decided {
            if writer.decision_meeting(*day, list)? {
                general_held.push((day.year(), quarter_of(*day)));
            }
        }
        let skipped = if lax.contains(&index) {
            writer.skipped_months(as_of)
        } else {
            Vec::new()
        };
        let mut month = start;
        while let Some(next) = month.checked_add_months(Months::new(1)) {
            let end = next - Days::new(1);
            if end >= as_of {
                break;
            }
            let skip = skipped.contains(&month);
            if !skip {
                writer.routine(MeetingKind::Committee, month, end, None)?;
                writer.routine(MeetingKind::ThemeDay, month, end, None)?;
            }
            for (g, group) in branch.groups.iter().enumerate() {
                if !(skip && g == 0) {
                    writer.routine(MeetingKind::Group, month, end, Some((g, group)))?;
                }
            }
            if month.month().is_multiple_of(3) {
                let quarter_start = date(month.year(), month.month() - 2, 1);
                if !skip {
                    writer.routine(MeetingKind::Lecture, quarter_start, end, None)?;
                }
                if !general_held.contains(&(month.year(), quarter_of(month))) {
                    writer.routine(MeetingKind::GeneralMeeting, quarter_start, end, None)?;
                }
            }
            if month.month() == 12 {
                // Held in December, at the end of the year they review.
                writer.routine(MeetingKind::LifeMeeting, month, end, None)?;
                if let Some((meeting_id, day)) =
                    writer.routine(MeetingKind::Appraisal, month, end, None)?
                {
                    // One branch overdoes 优秀 in the last closed year, for the warning to show.
                    let plant =
                        writer.written.over_share.is_none() && day.year() == as_of.year() - 1;
                    if writer.grades(meeting_id, day, plant)? {
                        writer.written.over_share = Some((branch.id, day.year()));
                    }
                }
            }
            month = next;
        }
    }
    Ok(written)
}

fn quarter_of(day: NaiveDate) -> u32 {
    (day.month() - 1) / 3
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

struct BranchWriter<'a, 'b> {
    tx: &'a rusqlite::Transaction<'b>,
    rng: &'a mut ChaCha8Rng,
    branch: &'a Branch,
    members: &'a [&'a Party],
    recorded_by: &'a str,
    written: &'a mut Written,
}

/// Who was at a meeting.
struct Roll {
    attendance: Vec<AttendanceEntry>,
    entitled: usize,
    present_entitled: Vec<i64>,
    host: String,
    recorder: String,
    start: (u32, u32),
}

impl BranchWriter<'_, '_> {
    /// Two to four months of the last two closed years in which the branch held neither its
    /// committee meeting, its theme day, its first group's meeting nor (in a quarter's last
    /// month) its lecture.
    fn skipped_months(&mut self, as_of: NaiveDate) -> Vec<NaiveDate> {
        let count = self.rng.random_range(2..=4);
        let mut months = Vec::new();
        while months.len() < count {
            let year = as_of.year() - self.rng.random_range(0..=1);
            let month = date(year, self.rng.random_range(1..=12), 1);
            let closed = month
                .checked_add_months(Months::new(1))
                .is_some_and(|next| next - Days::new(1) < as_of);
            if closed && !months.contains(&month) {
                months.push(month);
            }
        }
        months
    }

    /// The general meeting that decided `decisions` on `day`, with a passing resolution for each,
    /// linked to its event. Not written when the branch had no full member to vote that day.
    fn decision_meeting(
        &mut self,
        day: NaiveDate,
        decisions: &[&Decision],
    ) -> rusqlite::Result<bool> {
        let concerned: Vec<i64> = decisions.iter().map(|d| d.member_id).collect();
        let Some(roll) = self.roll(MeetingKind::GeneralMeeting, day, None, &concerned) else {
            return Ok(false);
        };
        if roll.entitled == 0 {
            return Ok(false);
        }
        let mut resolutions = Vec::new();
        let mut tallies = Vec::new();
        for decision in decisions {
            let mut votes = Vec::new();
            let (mut yes, mut no, mut abstain) = (0, 0, 0);
            for &voter in roll
                .present_entitled
                .iter()
                .filter(|v| **v != decision.member_id)
            {
                let roll_of_dice: f64 = self.rng.random();
                let vote = match roll_of_dice {
                    r if r < 0.015 => VoteChoice::Abstain,
                    r if r < 0.02 => VoteChoice::No,
                    _ => VoteChoice::Yes,
                };
                votes.push(VoteEntry {
                    member_id: voter,
                    vote,
                });
            }
            if votes.iter().filter(|v| v.vote == VoteChoice::Yes).count()
                < more_than_half(roll.entitled)
            {
                for vote in &mut votes {
                    vote.vote = VoteChoice::Yes;
                }
            }
            for vote in &votes {
                match vote.vote {
                    VoteChoice::Yes => yes += 1,
                    VoteChoice::No => no += 1,
                    VoteChoice::Abstain => abstain += 1,
                }
            }
            let passed = is_quorate(roll.entitled, roll.present_entitled.len())
                && passes(roll.entitled, yes);
            if !passed {
                // The roll guarantees enough voters; a branch too small to decide is left out.
                return Ok(false);
            }
            let text = resolution_text(decision);
            tallies.push(ResolutionTally {
                kind: decision.kind,
                member_id: Some(decision.member_id),
                entitled: roll.entitled,
                yes,
                no,
                abstain,
                passed,
                needed: more_than_half(roll.entitled),
                findings: Vec::new(),
            });
            resolutions.push(ResolutionRequest {
                kind: decision.kind,
                member_id: Some(decision.member_id),
                months: decision.months,
                text,
                votes,
            });
        }
        let topic = match decisions.len() {
            1 => format!("讨论{}同志{}", decisions[0].name, subject(decisions[0])),
            n => format!("讨论{}名同志的{}", n, topics_of(decisions)),
        };
        let mut minutes = self.header(MeetingKind::GeneralMeeting, day, &roll);
        for (decision, tally) in decisions.iter().zip(&tallies) {
            minutes.push('\n');
            minutes.push_str(&self.decision_paragraph(decision, tally));
        }
        minutes.push('\n');
        minutes.push_str(pick(self.rng, CLOSINGS));
        let request = MeetingRequest {
            branch_id: self.branch.id,
            kind: MeetingKind::GeneralMeeting,
            date: day,
            place: Some(self.place()),
            host: Some(roll.host),
            recorder: Some(roll.recorder),
            topic,
            minutes,
            attendance: roll.attendance,
            resolutions,
        };
        let meeting_id = db::meetings::insert(self.tx, &request, self.recorded_by)?;
        for (position, ((resolution, tally), decision)) in request
            .resolutions
            .iter()
            .zip(&tallies)
            .zip(decisions)
            .enumerate()
        {
            db::meetings::insert_resolution(
                self.tx,
                meeting_id,
                i64::try_from(position).unwrap_or(i64::MAX),
                resolution,
                tally,
                Some(decision.event_id),
            )?;
            self.written.linked += 1;
        }
        self.written.meetings += 1;
        Ok(true)
    }

    /// A routine meeting of `kind` on a day between `from` and `to`.
    fn routine(
        &mut self,
        kind: MeetingKind,
        from: NaiveDate,
        to: NaiveDate,
        group: Option<(usize, &str)>,
    ) -> rusqlite::Result<Option<(i64, NaiveDate)>> {
        let span = u64::try_from((to - from).num_days()).unwrap_or(0);
        let day = from + Days::new(self.rng.random_range(0..=span));
        let Some(roll) = self.roll(kind, day, group.map(|(g, _)| g), &[]) else {
            return Ok(None);
        };
        let theory = meeting_theory(self.rng);
        let topic = match kind {
            MeetingKind::Group => {
                let name = group.map(|(_, name)| name).unwrap_or("党小组");
                format!("{name}{}", fill(pick(self.rng, GROUP_TOPICS), theory, day))
            }
            _ => fill(pick(self.rng, topics(kind)), theory, day),
        };
        let mut minutes = self.header(kind, day, &roll);
        let bank = bodies(kind);
        let count = self.rng.random_range(2..=3).min(bank.len());
        let chosen: Vec<&str> = bank.choose_multiple(self.rng, count).copied().collect();
        for sentence in chosen {
            let someone = roll
                .attendance
                .iter()
                .filter(|a| a.status == AttendanceStatus::Present)
                .collect::<Vec<_>>()
                .choose(self.rng)
                .and_then(|a| self.members.iter().find(|m| m.id == a.member_id))
                .map(|m| m.name.as_str())
                .unwrap_or("与会党员");
            let theory = meeting_theory(self.rng);
            minutes.push_str(&fill(sentence, theory, day).replace("{name}", someone));
        }
        minutes.push('\n');
        minutes.push_str(pick(self.rng, CLOSINGS));
        let request = MeetingRequest {
            branch_id: self.branch.id,
            kind,
            date: day,
            place: Some(self.place()),
            host: Some(roll.host),
            recorder: Some(roll.recorder),
            topic,
            minutes,
            attendance: roll.attendance,
            resolutions: Vec::new(),
        };
        let id = db::meetings::insert(self.tx, &request, self.recorded_by)?;
        self.written.meetings += 1;
        Ok(Some((id, day)))
    }

    /// The grades the appraisal meeting `meeting_id` on `day` gave the full members of the branch
    /// (those `appraisals::set` accepts): about 15–30% 优秀 — within the rule's share — mostly 合格,
    /// a few 基本合格, rarely 不合格; or, when `over_share`, more than a third 优秀 (needs at least
    /// six members). Returns whether it wrote the over-share year.
    fn grades(
        &mut self,
        meeting_id: i64,
        day: NaiveDate,
        over_share: bool,
    ) -> rusqlite::Result<bool> {
        let graded: Vec<&Party> = self
            .members
            .iter()
            .copied()
            .filter(|m| m.votes(day))
            .collect();
        let n = graded.len();
        if n == 0 {
            return Ok(false);
        }
        let over_share = over_share && n >= 6;
        let excellent = if over_share {
            n / 2 + 1
        } else {
            let share = self.rng.random_range(0.15..=0.30);
            // Rounded, and never beyond a third rounded down, so only the planted year warns.
            ((share * n as f64).round() as usize).min(n / 3)
        };
        let chosen: Vec<i64> = graded
            .choose_multiple(self.rng, excellent)
            .map(|m| m.id)
            .collect();
        for member in &graded {
            let (grade, note) = if chosen.contains(&member.id) {
                (Grade::Excellent, None)
            } else {
                let r: f64 = self.rng.random();
                match r {
                    r if r < 0.004 => (Grade::Unqualified, Some(pick(self.rng, UNQUALIFIED_NOTES))),
                    r if r < 0.04 => (Grade::BasicallyQualified, Some(pick(self.rng, BASIC_NOTES))),
                    _ => (Grade::Qualified, None),
                }
            };
            db::appraisals::insert(
                self.tx,
                &db::appraisals::NewAppraisal {
                    member_id: member.id,
                    branch_id: self.branch.id,
                    year: day.year(),
                    grade,
                    meeting_id: Some(meeting_id),
                    note,
                },
                self.recorded_by,
            )?;
            self.written.appraisals += 1;
        }
        Ok(over_share)
    }

    /// The attendance of a meeting on `day`: the branch committee for a committee meeting, one
    /// group for a group meeting, every party member otherwise; mostly present, some on leave
    /// with a reason, rarely absent; quorate when the whole branch is called (with enough voters
    /// besides the members `concerned`). None when nobody would be there.
    fn roll(
        &mut self,
        kind: MeetingKind,
        day: NaiveDate,
        group: Option<usize>,
        concerned: &[i64],
    ) -> Option<Roll> {
        let mut entitled: Vec<&Party> = self
            .members
            .iter()
            .copied()
            .filter(|m| m.votes(day))
            .collect();
        // The committee: the longest-standing full members, up to five (支部委员会).
        entitled.sort_by_key(|m| (m.full, m.id));
        let committee: Vec<&Party> = entitled.iter().copied().take(5).collect();
        entitled.sort_by_key(|m| m.id);
        let called: Vec<&Party> = match (kind, group) {
            (MeetingKind::Committee, _) => {
                let mut c = committee.clone();
                c.sort_by_key(|m| m.id);
                c
            }
            (MeetingKind::Group, Some(g)) => self
                .members
                .iter()
                .copied()
                .filter(|m| m.attends(day) && usize::try_from(m.id).unwrap_or(0) % 2 == g)
                .collect(),
            _ => self
                .members
                .iter()
                .copied()
                .filter(|m| m.attends(day))
                .collect(),
        };
        if called.is_empty() {
            return None;
        }
        let whole_branch = !matches!(kind, MeetingKind::Committee | MeetingKind::Group);
        let start = *[(14, 30), (15, 0), (19, 0), (19, 30), (16, 0)]
            .choose(self.rng)
            .unwrap_or(&(14, 30));
        let mut statuses: Vec<AttendanceStatus> = called
            .iter()
            .map(|_| {
                let r: f64 = self.rng.random();
                match r {
                    r if r < 0.07 => AttendanceStatus::Leave,
                    r if r < 0.085 => AttendanceStatus::Absent,
                    _ => AttendanceStatus::Present,
                }
            })
            .collect();
        // Those concerned by a decision attend it.
        for (status, member) in statuses.iter_mut().zip(&called) {
            if concerned.contains(&member.id) {
                *status = AttendanceStatus::Present;
            }
        }
        if whole_branch && !entitled.is_empty() {
            // Enough full members present to be quorate, and to carry a resolution without the
            // votes of the members it concerns.
            let needed = more_than_half(entitled.len());
            let voting = |statuses: &[AttendanceStatus]| {
                called
                    .iter()
                    .zip(statuses)
                    .filter(|(m, s)| {
                        **s == AttendanceStatus::Present
                            && m.votes(day)
                            && !concerned.contains(&m.id)
                    })
                    .count()
            };
            let mut i = 0;
            while voting(&statuses) < needed && i < called.len() {
                if called[i].votes(day) {
                    statuses[i] = AttendanceStatus::Present;
                }
                i += 1;
            }
        }
        let attendance: Vec<AttendanceEntry> = called
            .iter()
            .zip(&statuses)
            .map(|(member, status)| AttendanceEntry {
                member_id: member.id,
                status: *status,
                reason: (*status == AttendanceStatus::Leave)
                    .then(|| pick(self.rng, LEAVE_REASONS).to_string()),
                signed_in_at: (*status == AttendanceStatus::Present).then(|| {
                    let minutes = i64::from(start.0 * 60 + start.1)
                        + if self.rng.random_bool(0.05) {
                            self.rng.random_range(1..=12)
                        } else {
                            -self.rng.random_range(0..=20)
                        };
                    format!("{:02}:{:02}", minutes / 60, minutes % 60)
                }),
            })
            .collect();
        let present_entitled: Vec<i64> = called
            .iter()
            .zip(&statuses)
            .filter(|(m, s)| **s == AttendanceStatus::Present && m.votes(day))
            .map(|(m, _)| m.id)
            .collect();
        let host = committee
            .first()
            .or(called.first())
            .map(|m| m.name.clone())
            .unwrap_or_default();
        let recorder = committee
            .get(1)
            .or(called.last())
            .map(|m| m.name.clone())
            .unwrap_or_default();
        Some(Roll {
            attendance,
            entitled: entitled.len(),
            present_entitled,
            host,
            recorder,
            start,
        })
    }

    fn place(&mut self) -> String {
        let college = self.branch.college.trim_end_matches("学院");
        match self.rng.random_range(0..10) {
            0..=3 => format!(
                "{college}学院楼{}{:02}会议室",
                self.rng.random_range(1..=6),
                self.rng.random_range(1..=20)
            ),
            4..=6 => format!("{college}学院党员活动室"),
            7 => "学校图书馆研讨室".to_string(),
            8 => format!("{college}学院学术报告厅"),
            _ => "线上会议（腾讯会议）".to_string(),
        }
    }

    fn header(&mut self, kind: MeetingKind, day: NaiveDate, roll: &Roll) -> String {
        let called = roll.attendance.len();
        let present = roll
            .attendance
            .iter()
            .filter(|a| a.status == AttendanceStatus::Present)
            .count();
        let leave = roll
            .attendance
            .iter()
            .filter(|a| a.status == AttendanceStatus::Leave)
            .count();
        let absent = called - present - leave;
        let mut text = format!(
            "{}年{}月{}日{}时{}，{}召开{}，{}同志主持，{}同志记录。应到{}人，实到{}人",
            day.year(),
            day.month(),
            day.day(),
            roll.start.0,
            if roll.start.1 == 0 {
                String::new()
            } else {
                format!("{}分", roll.start.1)
            },
            self.branch.name,
            kind.zh(),
            roll.host,
            roll.recorder,
            called,
            present
        );
        if leave > 0 {
            text.push_str(&format!("，请假{leave}人"));
        }
        if absent > 0 {
            text.push_str(&format!("，缺席{absent}人"));
        }
        if kind == MeetingKind::GeneralMeeting {
            text.push_str(&format!(
                "；有表决权的正式党员{}名，到会{}名，符合规定人数",
                roll.entitled,
                roll.present_entitled.len()
            ));
        }
        text.push('。');
        text
    }

    fn decision_paragraph(&mut self, decision: &Decision, tally: &ResolutionTally) -> String {
        let name = &decision.name;
        let intro = match decision.kind {
            ResolutionKind::Admit => format!(
                "会议讨论{name}同志的入党申请。{name}同志汇报了对党的认识、入党动机和本人履历，{}",
                pick(self.rng, ADMIT_REMARKS)
            ),
            ResolutionKind::Convert => format!(
                "会议讨论{name}同志的转正申请。{name}同志宣读了转正申请书，{}",
                pick(self.rng, CONVERT_REMARKS)
            ),
            _ => format!(
                "会议讨论{name}同志预备期满后的表现。{}",
                pick(self.rng, EXTEND_REMARKS)
            ),
        };
        format!(
            "{intro}经表决，赞成{}票，反对{}票，弃权{}票（有表决权的正式党员{}名，须超过半数即{}票），{}。",
            tally.yes,
            tally.no,
            tally.abstain,
            tally.entitled,
            tally.needed,
            resolution_text(decision)
        )
    }
}

fn subject(decision: &Decision) -> &'static str {
    match decision.kind {
        ResolutionKind::Admit => "接收预备党员事宜",
        ResolutionKind::Convert => "预备党员转正事宜",
        _ => "延长预备期事宜",
    }
}

fn topics_of(decisions: &[&Decision]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for decision in decisions {
        let label = match decision.kind {
            ResolutionKind::Admit => "接收预备党员",
            ResolutionKind::Convert => "预备党员转正",
            _ => "延长预备期",
        };
        if !names.contains(&label) {
            names.push(label);
        }
    }
    format!("{}事宜", names.join("和"))
}

fn resolution_text(decision: &Decision) -> String {
    let name = &decision.name;
    match decision.kind {
        ResolutionKind::Admit => format!("同意接收{name}同志为中共预备党员"),
        ResolutionKind::Convert if decision.after_extension => {
            format!("同意{name}同志在延长的预备期满后转为中共正式党员")
        }
        ResolutionKind::Convert => format!("同意{name}同志按期转为中共正式党员"),
        _ => format!(
            "同意延长{name}同志的预备期{}个月",
            decision.months.unwrap_or(6)
        ),
    }
}

/// What a meeting studies: the reports' reading list without the one entry on 党史, so that the
/// word stays the thought reports' own (the UI's end-to-end test searches it and opens a report
/// among the first hits, and short minutes would otherwise rank first).
fn meeting_theory(rng: &mut ChaCha8Rng) -> &'static str {
    let list: Vec<&'static str> = THEORY
        .iter()
        .copied()
        .filter(|t| !t.contains("党史"))
        .collect();
    pick(rng, &list)
}

fn pick<'a>(rng: &mut ChaCha8Rng, bank: &[&'a str]) -> &'a str {
    bank.choose(rng).copied().unwrap_or("")
}

fn fill(template: &str, theory: &str, day: NaiveDate) -> String {
    let season = match day.month() {
        3..=5 => "春季学期",
        6..=8 => "暑期",
        9..=11 => "秋季学期",
        _ => "冬季",
    };
    template
        .replace("{theory}", theory)
        .replace("{season}", season)
        .replace("{year}", &day.year().to_string())
        .replace("{month}", &day.month().to_string())
}

fn topics(kind: MeetingKind) -> &'static [&'static str] {
    match kind {
        MeetingKind::GeneralMeeting => &[
            "学习{theory}",
            "{year}年{month}月支部党员大会：通报支部工作",
            "传达上级党委会议精神并部署{season}工作",
            "集中学习{theory}并开展交流研讨",
            "支部工作情况通报暨党费收缴情况公示",
        ],
        MeetingKind::Committee => &[
            "研究{month}月支部工作安排",
            "研究入党积极分子培养考察情况",
            "研究{season}党员发展计划",
            "支委会：讨论主题党日活动方案",
            "研究党员教育管理和党费收缴工作",
        ],
        MeetingKind::Lecture => &[
            "专题党课：学习{theory}",
            "书记讲党课：{theory}的精神实质",
            "党课：新时代青年党员的使命担当",
            "党课：从百年奋斗历程中汲取奋进力量",
            "专题党课：严守纪律规矩，锤炼党性修养",
        ],
        MeetingKind::ThemeDay => &[
            "{month}月主题党日：重温入党誓词",
            "{month}月主题党日：走进社区志愿服务",
            "主题党日：参观红色教育基地",
            "主题党日：学习{theory}读书分享会",
            "{month}月主题党日：党员先锋岗服务同学",
        ],
        MeetingKind::LifeMeeting => &[
            "{year}年度组织生活会",
            "{year}年度专题组织生活会暨批评与自我批评",
        ],
        MeetingKind::Appraisal => &["{year}年度民主评议党员", "{year}年度民主评议党员大会"],
        MeetingKind::Group => GROUP_TOPICS,
    }
}

const GROUP_TOPICS: &[&str] = &[
    "学习{theory}",
    "{month}月学习交流",
    "讨论{season}学风建设",
    "交流思想汇报和学习心得",
    "学习{theory}心得交流",
];

fn bodies(kind: MeetingKind) -> &'static [&'static str] {
    match kind {
        MeetingKind::Committee => &[
            "会议研究了本月党员发展工作，逐一听取了培养联系人对入党积极分子的考察意见。",
            "会议讨论了{season}主题党日活动方案，明确了分工和时间安排。",
            "组织委员通报了党费收缴情况，截至本月全体党员均已按时交纳。",
            "宣传委员汇报了支部理论学习安排，拟组织学习{theory}。",
            "会议研究了思想汇报的审阅工作，要求培养联系人在两周内完成批阅。",
            "{name}同志提出加强与团支部的沟通，做好推优入党工作。",
        ],
        MeetingKind::Group => &[
            "小组成员轮流交流了学习{theory}的体会。",
            "{name}同志结合专业学习谈了发挥党员先锋模范作用的想法。",
            "大家围绕{season}学业和科研安排交流了经验，互相提出了改进建议。",
            "小组长通报了上月支部工作安排的落实情况。",
            "{name}同志分享了参加志愿服务的经历和收获。",
            "小组成员对照党员标准查找了自身在学习和工作中的不足。",
        ],
        MeetingKind::Lecture => &[
            "{name}同志以学习{theory}为主题讲授党课，结合身边事例阐述了理论要点。",
            "党课回顾了党的百年奋斗历程，强调要从历史中汲取智慧和力量。",
            "授课结束后，与会党员围绕{season}的学习工作进行了讨论。",
            "党课要求全体党员严守政治纪律和政治规矩，做到知行合一。",
            "{name}同志结合自己的体会发言，表示要把学习成果转化为实际行动。",
        ],
        MeetingKind::ThemeDay => &[
            "全体党员面向党旗重温入党誓词。",
            "支部组织党员走进社区开展志愿服务，为居民提供义务咨询。",
            "党员们参观了红色教育基地，聆听了讲解员讲述的革命故事。",
            "{name}同志带领大家学习了{theory}的有关内容。",
            "活动结束后，{name}同志代表支部作了总结，号召党员在{season}发挥表率作用。",
            "支部为新入学的同学设立党员先锋岗，提供答疑和服务。",
        ],
        MeetingKind::LifeMeeting => &[
            "支部书记代表支委会作对照检查，查摆了理论学习、组织生活等方面的问题。",
            "党员逐一进行个人对照检查，开展了批评与自我批评，气氛严肃认真。",
            "{name}同志坦诚剖析了自己在理论学习上的不足，并提出了整改措施。",
            "会议梳理了问题清单，明确了整改责任人和完成时限。",
        ],
        MeetingKind::Appraisal => &[
            "全体党员逐一进行个人总结，对照党员标准开展自评和互评。",
            "会议采取无记名方式进行测评，支委会根据测评结果提出评议等次意见。",
            "{name}同志在发言中表示将虚心接受党员的意见，继续改进。",
            "支部书记通报了年度党员教育管理情况，对评议工作提出了要求。",
        ],
        MeetingKind::GeneralMeeting => &[
            "会议集中学习了{theory}，{name}同志作了领学发言。",
            "支部书记通报了本季度支部工作和党员发展情况。",
            "组织委员公示了本季度党费收缴情况。",
            "会议传达了上级党委关于{season}工作的部署，并对支部工作作了安排。",
            "{name}同志围绕学习内容作了交流发言。",
        ],
    }
}

const ADMIT_REMARKS: &[&str] = &[
    "培养联系人介绍了其培养考察情况，入党介绍人介绍了其政治审查和集中培训情况，支委会报告了审查意见。",
    "入党介绍人介绍了其现实表现和政治审查结论，与会党员对其优点和不足充分发表了意见。",
    "支委会通报了其公示情况和审查意见，党员们一致认为其已基本具备党员条件。",
];

const CONVERT_REMARKS: &[&str] = &[
    "入党介绍人介绍了其预备期表现，支委会报告了审查意见和公示情况。",
    "党小组汇报了其预备期内的思想、学习和工作表现，与会党员充分发表了意见。",
    "支委会报告了其预备期考察情况，认为其已经具备正式党员条件。",
];

const EXTEND_REMARKS: &[&str] = &[
    "支委会报告了其预备期考察情况，认为其在理论学习和发挥作用方面尚有差距，需要继续考察。",
    "与会党员认为其在预备期内参加组织生活不够经常，尚不完全具备正式党员条件。",
];

const CLOSINGS: &[&str] = &[
    "会议在全体党员齐唱《国际歌》中结束。",
    "会议最后，支部书记对下一阶段工作提出了要求。",
    "会议结束前，与会党员在签到表上签字确认。",
    "会后，会议记录经主持人审阅后归档。",
    "会议结束后，支委会就会议精神的落实作了分工。",
];

const BASIC_NOTES: &[&str] = &[
    "参加组织生活不够经常，需加强",
    "理论学习不够主动，发挥作用不够明显",
    "按时交纳党费方面有疏漏，已提醒",
];

const UNQUALIFIED_NOTES: &[&str] = &["长期不参加组织生活，经教育后仍未改正，限期改正"];

const LEAVE_REASONS: &[&str] = &[
    "外出参加学术会议",
    "因病请假",
    "校外实习",
    "参加课程考试",
    "家中有事",
    "赴外地开展调研",
    "参加竞赛集训",
    "实验安排冲突",
];
