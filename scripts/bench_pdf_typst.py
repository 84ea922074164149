"""Typst baseline for scripts/bench-pdf.sh: the same dossier content as `dangan dossier`, as .typ.

Usage:
  bench_pdf_typst.py top-up ARCHIVE DANGAN N AS_OF       give the member with the most reports N
                                                          (prints its id)
  bench_pdf_typst.py make ARCHIVE DANGAN OUT_DIR ID...   write one .typ per member (not timed)
  bench_pdf_typst.py one FONT_DIR FILE.typ OUT.pdf        compile one file in a fresh compiler
  bench_pdf_typst.py batch FONT_DIR PROCS DIR             compile every .typ in DIR on PROCS processes

The .typ has what the dossier has: a cover, an outline (contents with page numbers), the 22
national and student fields in a 4-column table, the 25 steps with dates and people, the rule check,
every thought report in full (period and title, date, the text as paragraphs, the signature
flush right, the review), the meetings (the demo has none: 暂无记录), the empty appraisals
and the materials checklist, with a running header and 第 N 页 共 M 页.
"""

import json
import multiprocessing
import os
import subprocess
import sys
import time

SECTIONS = ["基本信息", "发展过程", "规则核查结果", "思想汇报", "会议与表决", "民主评议", "档案材料目录"]
NUMS = "一二三四五六七"


def esc(text):
    text = "" if text is None else str(text)
    for ch in "\\#[]$*_`@<~":
        text = text.replace(ch, "\\" + ch)
    return text


def dangan(binary, archive, *args):
    out = subprocess.run([binary, "--archive", archive, *args, "--json"], check=True, capture_output=True)
    return json.loads(out.stdout)


def report_typ(report):
    """One report as the dossier prints it (see report_text in src/pdf/dossier.rs)."""
    out = []
    period = "%s年第%s季度" % (report["period"][:4], report["period"][-1])
    title = report["title"].strip()
    heading = title if title.startswith(period) else "%s　%s" % (period, title)
    out.append('#v(8pt) #block(sticky: true)[#text(font: "Noto Sans CJK SC", weight: "bold")[%s]]' % esc(heading))
    out.append('#par(first-line-indent: 0em)[提交日期：%s]' % esc(report["date"]))
    lines = [l.strip() for l in report["body"].splitlines() if l.strip()]
    def signature(l):
        return l.startswith("汇报人") or (l.endswith("日") and "年" in l and "月" in l and len(l) <= 12
                                        and all(c.isdigit() or c in "年月日 " for c in l))
    tail = 0
    while tail < len(lines) and signature(lines[len(lines) - 1 - tail]):
        tail += 1
    text, sign = lines[:len(lines) - tail], lines[len(lines) - tail:]
    for i, line in enumerate(text):
        if (i == 0 and line.endswith(("：", ":"))) or line in ("敬礼！", "敬礼!", "敬礼"):
            out.append('#par(first-line-indent: 0em)[%s]' % esc(line))
        else:
            out.append(esc(line))
        out.append("")
    if sign:
        out.append('#align(right)[%s]' % " \\ ".join(esc(l) for l in sign))
    if report.get("review_comment"):
        out.append('#par(first-line-indent: 0em)[审阅意见（%s，%s）：%s]'
                   % (esc(report.get("reviewer")), esc(report.get("reviewed_on")), esc(report["review_comment"])))
    return "\n\n".join(out)


def make_typ(member, materials, findings, reports):
    m = member
    yes = lambda b: "是" if b else "否"
    sex = {"male": "男", "female": "女"}.get(m.get("sex"), "")
    fields = [
        ("姓名", m["name"]), ("性别", sex), ("民族", m.get("ethnicity")),
        ("公民身份号码", m.get("id_number_masked")), ("出生日期", m.get("birth_date")),
        ("学历", m.get("education")), ("人员类别", m.get("category")), ("所在党支部", m.get("branch")),
        ("加入党组织日期", m.get("joined_date")), ("转为正式党员日期", m.get("full_member_date")),
        ("工作岗位", m.get("job")), ("联系电话", m.get("phone")), ("家庭住址", m.get("address")),
        ("党籍状态", m.get("membership_status")), ("是否为失联党员", yes(m.get("lost_contact"))),
        ("是否为流动党员", yes(m.get("mobile"))), ("学号", m.get("student_no")), ("学院", m.get("college")),
        ("班级", m.get("class_name")), ("年级", m.get("grade")),
        ("预计毕业日期", m.get("expected_graduation")), ("籍贯", m.get("native_place")),
    ]
    role = {"talker": "谈话人", "contact": "培养联系人", "introducer": "入党介绍人", "approver": "审批人", "other": "相关人员"}
    out = []
    out.append('#set document(title: "党员档案 %s")' % esc(m["name"]))
    out.append('#set text(font: ("Noto Serif CJK SC"), size: 12pt, lang: "zh", region: "cn")')
    out.append('#set par(first-line-indent: (amount: 2em, all: true), leading: 0.9em, justify: true)')
    out.append('#show heading: set text(font: "Noto Sans CJK SC", weight: "bold", size: 15pt)')
    out.append('#set page(paper: "a4", margin: (top: 30mm, bottom: 28mm, left: 26mm, right: 24mm),')
    out.append('  header: context { if counter(page).get().first() > 1 [#set text(size: 9pt); 党员档案　%s　%s #line(length: 100%%, stroke: 0.4pt)] },' % (esc(m["name"]), esc(m.get("branch"))))
    out.append('  footer: context { if counter(page).get().first() > 1 [#set align(center); #set text(size: 9pt); 第 #counter(page).display() 页 共 #counter(page).final().first() 页] })')
    # Cover
    out.append('#align(center)[#v(40mm) #text(font: "Noto Sans CJK SC", weight: "bold", size: 36pt)[党 员 档 案] #v(4mm) 档案号：DA%06d]' % m["id"])
    out.append('#v(30mm)')
    cover = [("姓名", m["name"]), ("学号", m.get("student_no")), ("所在党支部", m.get("branch")), ("学院", m.get("college")),
             ("班级", m.get("class_name")), ("入党时间", m.get("joined_date")), ("转正时间", m.get("full_member_date"))]
    out.append('#align(center)[#table(columns: (35mm, 75mm), stroke: (x, y) => (bottom: if x == 1 {0.5pt} else {none}), row-gutter: 4mm,')
    out.append(",".join('[#text(font: "Noto Sans CJK SC", weight: "bold")[%s]], [%s]' % (esc(a), esc(b)) for a, b in cover) + ")]")
    out.append('#pagebreak()')
    out.append('#outline(title: [目　　录], indent: 0em)')
    out.append('#pagebreak()')
    out.append('#set table(stroke: 0.5pt, inset: 4pt)')
    out.append('#show table: set text(size: 10.5pt)')
    out.append('#show table: set par(first-line-indent: 0em)')
    out.append('= %s、%s' % (NUMS[0], SECTIONS[0]))
    cells = []
    for a, b in fields:
        cells.append('[#text(font: "Noto Sans CJK SC", weight: "bold")[%s]]' % esc(a))
        cells.append('[%s]' % esc(b))
    out.append('#table(columns: (1.35fr, 1.9fr, 1.35fr, 1.9fr), %s)' % ", ".join(cells))
    out.append('= %s、%s' % (NUMS[1], SECTIONS[1]))
    rows = []
    for step in range(1, 26):
        events = [e for e in m["events"] if e["kind"] == "step" and e["step"] == step]
        title = {s["number"]: s["zh"] for s in STEPS}.get(step, "")
        if not events:
            rows.append([str(step), title, "—", "", ""])
        for e in events:
            people = "；".join("%s：%s" % (role.get(p["role"], ""), p["name"]) for p in e["people"])
            rows.append([str(step), title, e["date"], people, e.get("note") or ""])
    out.append('#table(columns: (0.5fr, 2.1fr, 1.15fr, 1.9fr, 1.4fr), table.header([步骤], [事项], [日期], [相关人员], [备注]), %s)'
               % ", ".join("[%s]" % esc(c) for r in rows for c in r))
    out.append('= %s、%s' % (NUMS[2], SECTIONS[2]))
    if findings:
        out.append('截至今日，按发展党员工作规则核查，发现以下问题。')
        out.append('#table(columns: (0.5fr, 3.2fr, 2.2fr), table.header([序号], [问题], [依据]), %s)'
                   % ", ".join("[%d], [%s], [%s（%s）]" % (i + 1, esc(f["message"]), esc(f["rule_title"]), esc(f["source"])) for i, f in enumerate(findings)))
    else:
        out.append('截至今日，按发展党员工作规则核查，未发现不符合规定之处。')
    out.append('= %s、%s' % (NUMS[3], SECTIONS[3]))
    if not reports:
        out.append('暂无记录。')
    for report in reports:
        out.append(report_typ(report))
    for i in (4, 5):
        out.append('= %s、%s' % (NUMS[i], SECTIONS[i]))
        out.append('暂无记录。')
    out.append('= %s、%s' % (NUMS[6], SECTIONS[6]))
    rows = []
    for i, s in enumerate(materials):
        state = "已归档%d份" % len(s["files"]) if s["files"] else ("缺失" if s["missing"] else ("未归档" if s["due"] else "未到期"))
        rows.append([str(i + 1), s["material"]["title"], str(s["material"]["step"]), "是" if s["material"]["required"] else "", state,
                     "、".join(f["file_name"] for f in s["files"])])
    out.append('#table(columns: (0.5fr, 2.6fr, 0.5fr, 0.5fr, 0.8fr, 2.2fr), table.header([序号], [材料名称], [步骤], [必备], [状态], [归档文件]), %s)'
               % ", ".join("[%s]" % esc(c) for r in rows for c in r))
    return "\n".join(out) + "\n"


STEPS = []


def cmd_make(archive, binary, out_dir, ids):
    global STEPS
    os.makedirs(out_dir, exist_ok=True)
    STEPS = [{"number": i, "zh": t} for i, t in enumerate([
        "", "递交入党申请书", "党组织派人谈话", "推荐和确定入党积极分子", "报上级党委备案", "指定培养联系人", "培养教育考察",
        "确定发展对象", "报上级党委备案", "确定入党介绍人", "政治审查", "集中培训", "支部委员会审查", "上级党委预审",
        "填写入党志愿书", "支部大会讨论", "上级党委派人谈话", "上级党委审批", "再上一级党委组织部门备案", "编入党支部和党小组",
        "入党宣誓", "继续教育考察", "提出转正申请", "支部大会讨论转正", "上级党委审批", "材料归档"])]
    for mid in ids:
        member = dangan(binary, archive, "member", "show", str(mid))
        materials = dangan(binary, archive, "materials", str(mid))
        findings = dangan(binary, archive, "check", "--member", str(mid))
        reports = [dangan(binary, archive, "report", "show", str(r["id"]))
                   for r in dangan(binary, archive, "report", "list", str(mid))]
        with open(os.path.join(out_dir, "%s.typ" % mid), "w", encoding="utf-8") as f:
            f.write(make_typ(member, materials, findings, reports))


def cmd_top_up(archive, binary, n, as_of):
    """Gives the member with the most reports N of them, with texts of other members' reports."""
    import sqlite3
    db = sqlite3.connect(os.path.join(archive, "archive.db"))
    mid, have = db.execute("SELECT member_id, count(*) FROM thought_report GROUP BY member_id "
                           "ORDER BY count(*) DESC, member_id LIMIT 1").fetchone()
    name = db.execute("SELECT name FROM member WHERE id = ?", (mid,)).fetchone()[0]
    first = db.execute("SELECT min(date) FROM thought_report WHERE member_id = ?", (mid,)).fetchone()[0]
    others = db.execute("SELECT r.body, m.name FROM thought_report r JOIN member m ON m.id = r.member_id "
                        "WHERE r.member_id <> ? ORDER BY r.id LIMIT ?", (mid, n)).fetchall()
    db.close()
    import datetime
    day = datetime.date.fromisoformat(first)
    last = datetime.date.fromisoformat(as_of)
    step = max(1, (last - day).days // max(1, n - have))
    for j in range(n - have):
        body, other = others[j % len(others)]
        date = min(day + datetime.timedelta(days=step * j + 5), last)
        subprocess.run([binary, "--archive", archive, "report", "add", str(mid), "--date", date.isoformat(),
                        "--title", "专题学习心得（%d）" % (j + 1), "--text", body.replace(other, name),
                        "--as-of", as_of], check=True, capture_output=True)
    print(mid)


def compile_files(args):
    font_dir, files = args
    import typst
    compiler = typst.Compiler(font_paths=[font_dir], ignore_system_fonts=True, root="/")
    for path in files:
        compiler.compile(input=path, output=path[:-4] + ".pdf")
    return len(files)


def main():
    cmd = sys.argv[1]
    if cmd == "top-up":
        cmd_top_up(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif cmd == "make":
        cmd_make(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif cmd == "one":
        import typst
        start = time.perf_counter()
        typst.Compiler(font_paths=[sys.argv[2]], ignore_system_fonts=True, root="/").compile(input=sys.argv[3], output=sys.argv[4])
        print("%.3f" % (time.perf_counter() - start))
    elif cmd == "batch":
        font_dir, procs, directory = sys.argv[2], int(sys.argv[3]), sys.argv[4]
        files = sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".typ"))
        chunks = [(font_dir, files[i::procs]) for i in range(procs)]
        start = time.perf_counter()
        with multiprocessing.Pool(procs) as pool:
            done = sum(pool.map(compile_files, chunks))
        print("%d %.2f" % (done, time.perf_counter() - start))


if __name__ == "__main__":
    main()
