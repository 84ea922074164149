//! The 25 development steps of 《中国共产党发展党员工作细则》 and the stage each belongs to.
//!
//! This is the catalogue only: names and numbering. Intervals between steps are rules, which
//! live in the rule set (not here).

use super::Stage;

/// One development step as numbered in domain.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub number: u8,
    /// The stage a member is in once this step is recorded: a member becomes an activist at step
    /// 3, a development target at step 7, a probationary member when the party committee approves
    /// at step 17 (入党时间 is still the date of step 15), and a full member at step 24.
    pub stage_after: Stage,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn step(number: u8, stage_after: Stage, zh: &'static str, en: &'static str) -> Step {
    Step {
        number,
        stage_after,
        zh,
        en,
    }
}

pub const STEPS: [Step; 25] = [
    step(
        1,
        Stage::Applicant,
        "递交入党申请书",
        "Application submitted",
    ),
    step(
        2,
        Stage::Applicant,
        "党组织派人谈话",
        "Talk with the applicant",
    ),
    step(
        3,
        Stage::Activist,
        "推荐和确定入党积极分子",
        "Recommended and confirmed as activist",
    ),
    step(
        4,
        Stage::Activist,
        "报上级党委备案",
        "Activist filed with the party committee",
    ),
    step(5, Stage::Activist, "指定培养联系人", "Contacts assigned"),
    step(6, Stage::Activist, "培养教育考察", "Training and review"),
    step(
        7,
        Stage::DevelopmentTarget,
        "确定发展对象",
        "Confirmed as development target",
    ),
    step(
        8,
        Stage::DevelopmentTarget,
        "报上级党委备案",
        "Development target filed with the party committee",
    ),
    step(
        9,
        Stage::DevelopmentTarget,
        "确定入党介绍人",
        "Introducers assigned",
    ),
    step(10, Stage::DevelopmentTarget, "政治审查", "Political review"),
    step(
        11,
        Stage::DevelopmentTarget,
        "集中培训",
        "Centralised training",
    ),
    step(
        12,
        Stage::DevelopmentTarget,
        "支部委员会审查",
        "Reviewed by the branch committee",
    ),
    step(
        13,
        Stage::DevelopmentTarget,
        "上级党委预审",
        "Pre-reviewed by the party committee",
    ),
    step(
        14,
        Stage::DevelopmentTarget,
        "填写入党志愿书",
        "Application form (入党志愿书) filled in",
    ),
    step(
        15,
        Stage::DevelopmentTarget,
        "支部大会讨论",
        "Admitted by the branch general meeting",
    ),
    step(
        16,
        Stage::DevelopmentTarget,
        "上级党委派人谈话",
        "Talk by the party committee",
    ),
    step(
        17,
        Stage::ProbationaryMember,
        "上级党委审批",
        "Admission approved by the party committee",
    ),
    step(
        18,
        Stage::ProbationaryMember,
        "再上一级党委组织部门备案",
        "Filed with the higher organisation department",
    ),
    step(
        19,
        Stage::ProbationaryMember,
        "编入党支部和党小组",
        "Assigned to a branch and group",
    ),
    step(20, Stage::ProbationaryMember, "入党宣誓", "Oath taken"),
    step(
        21,
        Stage::ProbationaryMember,
        "继续教育考察",
        "Continued education and review",
    ),
    step(
        22,
        Stage::ProbationaryMember,
        "提出转正申请",
        "Conversion application submitted",
    ),
    step(
        23,
        Stage::ProbationaryMember,
        "支部大会讨论转正",
        "Conversion discussed by the branch general meeting",
    ),
    step(
        24,
        Stage::FullMember,
        "上级党委审批",
        "Conversion approved by the party committee",
    ),
    step(25, Stage::FullMember, "材料归档", "Materials filed"),
];

/// The step numbered `number`, if it is one of the 25.
pub fn step_info(number: u8) -> Option<&'static Step> {
    STEPS.get(usize::from(number).checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_in_order() {
        for (index, step) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(step.number), index + 1);
        }
        assert!(step_info(0).is_none());
        assert!(step_info(26).is_none());
        assert_eq!(step_info(15).unwrap().zh, "支部大会讨论");
    }
}
