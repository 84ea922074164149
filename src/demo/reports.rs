//! Thought reports for the demo: varied Chinese text composed from phrase banks, so that search
//! has realistic words to find and no two reports read the same.

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::reports::Quarter;

/// What the member was doing in the quarter, which colours the report.
#[derive(Debug, Clone, Copy)]
pub(super) enum Phase {
    Applicant,
    Activist,
    Target,
    Probationary,
}

pub(super) const THEORY: &[&str] = &[
    "党的二十大报告",
    "《习近平新时代中国特色社会主义思想学习纲要》",
    "《中国共产党章程》",
    "《中国共产党简史》",
    "党的十九届六中全会决议",
    "《共产党宣言》",
    "全面从严治党的有关论述",
    "新时代中国特色社会主义思想的世界观和方法论",
    "党史学习教育的系列材料",
    "《习近平谈治国理政》第四卷",
    "关于加强新时代高校党建工作的文件",
    "社会主义核心价值观的有关论述",
];

const STUDY: &[&str] = &[
    "本季度，我利用课余时间认真研读了{theory}，并做了约两万字的读书笔记。",
    "这段时间我系统学习了{theory}，对党的初心使命有了更深的认识。",
    "在党支部的组织下，我参加了围绕{theory}开展的专题学习，并在小组讨论中作了发言。",
    "通过反复阅读{theory}，我逐渐明白了理论学习不能停留在字面上，而要联系实际、指导行动。",
    "我把{theory}中的重要论述抄写在笔记本上，每周抽出固定时间对照检查自己的思想和行为。",
    "在学习{theory}的过程中，我注意结合专业知识思考问题，体会到理论的力量在于解决实际问题。",
    "本季度我参加了学院组织的党课，聆听了老师对{theory}的深入解读，收获很大。",
];

const WORK: &[&str] = &[
    "在学习上，我本学期的{course}取得了较好的成绩，并主动帮助两名同学复习功课。",
    "作为班级{role}，我协助辅导员做好了奖助学金评定和宿舍安全检查等工作。",
    "我参加了{volunteer}，在服务他人的过程中体会到了共产党员全心全意为人民服务的宗旨。",
    "本季度我在实验室参与了导师的科研项目，负责数据整理和文献调研，学会了严谨求实。",
    "我报名参加了{volunteer}，累计服务时长二十余小时，得到了组织方的肯定。",
    "在{course}的课程设计中，我担任小组组长，带领组员按时完成了任务。",
    "我积极参加支部组织的主题党日活动，走进社区开展宣讲，锻炼了表达和组织能力。",
    "作为{role}，我组织同学开展了一次关于学风建设的主题班会，效果良好。",
];

const COURSES: &[&str] = &[
    "高等数学",
    "大学物理",
    "数据结构",
    "有机化学",
    "临床医学导论",
    "宏观经济学",
    "中国近现代史纲要",
    "马克思主义基本原理",
    "机械设计",
    "电路分析",
    "英语写作",
    "法学概论",
];

const ROLES: &[&str] = &[
    "学习委员",
    "团支部书记",
    "班长",
    "生活委员",
    "宣传委员",
    "组织委员",
];

const VOLUNTEER: &[&str] = &[
    "社区疫苗接种志愿服务",
    "校运会志愿服务",
    "图书馆志愿整理活动",
    "乡村振兴暑期社会实践",
    "无偿献血宣传活动",
    "新生入学迎新志愿服务",
    "敬老院探访慰问活动",
    "垃圾分类宣传志愿活动",
];

const SHORTCOMINGS: &[&str] = &[
    "对照党员标准，我也清醒地认识到自己还存在一些不足：理论学习的系统性还不够，有时满足于一知半解。",
    "我的不足在于工作方法还比较简单，遇到困难时有时急于求成，考虑问题不够周全。",
    "反思这一阶段，我在批评与自我批评方面做得还不够，对身边同学的不良现象有时碍于情面没有及时指出。",
    "我发现自己在时间管理上仍有欠缺，学习和学生工作的安排不够合理，效率有待提高。",
    "与优秀党员相比，我在联系群众、关心同学方面做得还不够主动。",
];

const PLANS: &[&str] = &[
    "今后，我将继续加强理论学习，每月至少精读一本理论书籍，努力用党的创新理论武装头脑。",
    "下一阶段，我会更加严格要求自己，在学习、工作和生活中处处发挥模范带头作用。",
    "我将虚心接受党组织和同学们的监督，认真改正缺点，争取早日在思想上入党。",
    "今后我要把学习成果转化为实际行动，在专业学习上精益求精，为集体多做贡献。",
    "我会继续主动向培养联系人汇报思想，认真听取意见，不断提高自己的政治觉悟。",
];

const PROBATION: &[&str] = &[
    "成为预备党员以来，我时刻提醒自己已经是党组织的一员，处处以党员标准严格要求自己。",
    "在预备期内，我按时参加组织生活，按月交纳党费，认真完成支部交办的各项任务。",
    "入党宣誓时的情景至今历历在目，这份誓言激励着我在预备期内不断进步。",
];

const APPLICANT: &[&str] = &[
    "自从向党组织递交入党申请书以来，我更加自觉地关注时事政治，努力提高自己的思想认识。",
    "递交入党申请书后，我在党组织的关心下不断学习，对入党动机进行了认真的反思。",
];

const ACTIVIST: &[&str] = &[
    "被确定为入党积极分子后，我深感责任重大，更加注意在各方面严格要求自己。",
    "参加入党积极分子培训班以后，我对党的性质、宗旨和组织原则有了更系统的了解。",
];

const TARGET: &[&str] = &[
    "被列为发展对象以来，我认真参加了集中培训，并按要求完成了各项考察材料。",
    "作为发展对象，我更加珍惜组织给予的机会，主动接受党组织的考察和同学们的监督。",
];

fn fill(rng: &mut impl Rng, template: &str) -> String {
    let pick = |rng: &mut _, bank: &[&'static str]| *bank.choose(rng).unwrap_or(&"");
    let mut text = template.to_string();
    for (slot, bank) in [
        ("{theory}", THEORY),
        ("{course}", COURSES),
        ("{role}", ROLES),
        ("{volunteer}", VOLUNTEER),
    ] {
        while let Some(at) = text.find(slot) {
            let word = pick(rng, bank);
            text.replace_range(at..at + slot.len(), word);
        }
    }
    text
}

/// Between `min` and `max` different sentences of `bank`, slots filled.
fn sentences(rng: &mut impl Rng, bank: &[&str], min: usize, max: usize) -> String {
    let count = rng.random_range(min..=max);
    let chosen: Vec<&str> = bank.choose_multiple(rng, count).copied().collect();
    chosen
        .into_iter()
        .map(|t| fill(rng, t))
        .collect::<Vec<_>>()
        .concat()
}

/// A report for `quarter`: its title and text, signed by `name` on `date_text`.
pub(super) fn thought_report(
    rng: &mut impl Rng,
    name: &str,
    quarter: Quarter,
    phase: Phase,
    date_text: &str,
) -> (String, String) {
    let title = if rng.random_bool(0.8) {
        crate::reports::default_title(quarter)
    } else {
        let topic = *THEORY.choose(rng).unwrap_or(&"理论学习");
        format!("学习{}的体会", topic.trim_matches(['《', '》']))
    };
    let opening = match phase {
        Phase::Applicant => APPLICANT,
        Phase::Activist => ACTIVIST,
        Phase::Target => TARGET,
        Phase::Probationary => PROBATION,
    };
    let mut paragraphs = vec!["敬爱的党组织：".to_string()];
    paragraphs.push(format!(
        "{}现将我{}年第{}季度的思想、学习和工作情况汇报如下。",
        sentences(rng, opening, 1, 1),
        quarter.year(),
        quarter.number()
    ));
    paragraphs.push(format!("一、思想方面。{}", sentences(rng, STUDY, 1, 2)));
    paragraphs.push(format!(
        "二、学习和工作方面。{}",
        sentences(rng, WORK, 1, 2)
    ));
    paragraphs.push(format!(
        "三、存在的不足。{}",
        sentences(rng, SHORTCOMINGS, 1, 1)
    ));
    paragraphs.push(format!(
        "四、今后的努力方向。{}",
        sentences(rng, PLANS, 1, 1)
    ));
    paragraphs.push("请党组织在实践中考验我。".to_string());
    paragraphs.push(format!("此致\n敬礼！\n汇报人：{name}\n{date_text}"));
    (title, paragraphs.join("\n"))
}
