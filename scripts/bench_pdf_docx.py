"""LibreOffice baseline for scripts/bench-pdf.sh: the same dossier content as `dangan dossier`, as
.docx (python-docx), converted to PDF by `soffice --headless --convert-to pdf`.

Usage:
  bench_pdf_docx.py make ARCHIVE DANGAN OUT_DIR ID...   write one .docx per member (not timed)

The .docx has what the .typ of bench_pdf_typst.py has: a cover, a contents field, the 22 fields in
a 4-column table, the 25 steps, the rule check, every thought report in full, the empty sections
and the materials checklist, a running header and 第 N 页 共 M 页 (PAGE / NUMPAGES fields), in
Noto Serif CJK SC with Noto Sans CJK SC headings. LibreOffice does not refresh a Word contents
field when it converts, so the contents page is the one part it prints without page numbers.
"""

import os
import sys

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

import bench_pdf_typst as typ

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"


def font(run, name, size=None, bold=False):
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def field(paragraph, code):
    """A Word field (PAGE, NUMPAGES, TOC) in `paragraph`."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = code
        run._r.append(el)
    return run


def para(doc, text, indent=True, align=None, size=12):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align:
        p.alignment = align
    font(p.add_run(text), SERIF, size)
    return p


def table(doc, header, rows, widths):
    t = doc.add_table(rows=0, cols=len(widths))
    t.style = "Table Grid"
    if header:
        cells = t.add_row().cells
        for c, text in zip(cells, header):
            font(c.paragraphs[0].add_run(text), SANS, 10.5, bold=True)
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    for row in rows:
        cells = t.add_row().cells
        for c, text in zip(cells, row):
            font(c.paragraphs[0].add_run("" if text is None else str(text)), SERIF, 10.5)
    for row in t.rows:
        for c, w in zip(row.cells, widths):
            c.width = Mm(w)
    return t


def heading(doc, text):
    h = doc.add_heading(level=1)
    font(h.add_run(text), SANS, 15, bold=True)
    h.paragraph_format.keep_with_next = True


def make_docx(member, materials, findings, reports, path):
    m = member
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = SERIF
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SERIF)
    normal.font.size = Pt(12)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(30), Mm(28), Mm(26), Mm(24)
    sec.different_first_page_header_footer = True
    h = sec.header.paragraphs[0]
    font(h.add_run("党员档案　%s　%s" % (m["name"], m.get("branch") or "")), SERIF, 9)
    f = sec.footer.paragraphs[0]
    f.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(f.add_run("第 "), SERIF, 9)
    field(f, "PAGE")
    font(f.add_run(" 页 共 "), SERIF, 9)
    field(f, "NUMPAGES")
    font(f.add_run(" 页"), SERIF, 9)
    # Cover
    for _ in range(6):
        doc.add_paragraph()
    c = doc.add_paragraph()
    c.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(c.add_run("党 员 档 案"), SANS, 36, bold=True)
    para(doc, "档案号：DA%06d" % m["id"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    cover = [("姓名", m["name"]), ("学号", m.get("student_no")), ("所在党支部", m.get("branch")),
             ("学院", m.get("college")), ("班级", m.get("class_name")), ("入党时间", m.get("joined_date")),
             ("转正时间", m.get("full_member_date"))]
    table(doc, None, cover, (35, 75))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(t.add_run("目　　录"), SANS, 15, bold=True)
    field(doc.add_paragraph(), 'TOC \\o "1-1" \\h')
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
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
    heading(doc, "%s、%s" % (typ.NUMS[0], typ.SECTIONS[0]))
    table(doc, None, [fields[i][0:2] + fields[i + 1][0:2] for i in range(0, len(fields), 2)], (30, 50, 30, 50))
    heading(doc, "%s、%s" % (typ.NUMS[1], typ.SECTIONS[1]))
    role = {"talker": "谈话人", "contact": "培养联系人", "introducer": "入党介绍人", "approver": "审批人", "other": "相关人员"}
    titles = {s["number"]: s["zh"] for s in typ.STEPS}
    rows = []
    for step in range(1, 26):
        events = [e for e in m["events"] if e["kind"] == "step" and e["step"] == step]
        if not events:
            rows.append([step, titles.get(step, ""), "—", "", ""])
        for e in events:
            people = "；".join("%s：%s" % (role.get(p["role"], ""), p["name"]) for p in e["people"])
            rows.append([step, titles.get(step, ""), e["date"], people, e.get("note") or ""])
    table(doc, ["步骤", "事项", "日期", "相关人员", "备注"], rows, (10, 45, 25, 40, 30))
    heading(doc, "%s、%s" % (typ.NUMS[2], typ.SECTIONS[2]))
    if findings:
        para(doc, "截至今日，按发展党员工作规则核查，发现以下问题。")
        table(doc, ["序号", "问题", "依据"],
              [[i + 1, f["message"], "%s（%s）" % (f["rule_title"], f["source"])] for i, f in enumerate(findings)],
              (12, 80, 58))
    else:
        para(doc, "截至今日，按发展党员工作规则核查，未发现不符合规定之处。")
    heading(doc, "%s、%s" % (typ.NUMS[3], typ.SECTIONS[3]))
    if not reports:
        para(doc, "暂无记录。")
    for r in reports:
        period = "%s年第%s季度" % (r["period"][:4], r["period"][-1])
        title = r["title"].strip()
        sub = doc.add_paragraph()
        sub.paragraph_format.keep_with_next = True
        font(sub.add_run(title if title.startswith(period) else "%s　%s" % (period, title)), SANS, 12, bold=True)
        para(doc, "提交日期：%s" % r["date"], indent=False)
        for line in (l.strip() for l in r["body"].splitlines()):
            if line:
                para(doc, line)
        if r.get("review_comment"):
            para(doc, "审阅意见（%s，%s）：%s" % (r.get("reviewer"), r.get("reviewed_on"), r["review_comment"]), indent=False)
    for i in (4, 5):
        heading(doc, "%s、%s" % (typ.NUMS[i], typ.SECTIONS[i]))
        para(doc, "暂无记录。")
    heading(doc, "%s、%s" % (typ.NUMS[6], typ.SECTIONS[6]))
    rows = []
    for i, s in enumerate(materials):
        state = "已归档%d份" % len(s["files"]) if s["files"] else ("缺失" if s["missing"] else ("未归档" if s["due"] else "未到期"))
        rows.append([i + 1, s["material"]["title"], s["material"]["step"], "是" if s["material"]["required"] else "",
                     state, "、".join(f["file_name"] for f in s["files"])])
    table(doc, ["序号", "材料名称", "步骤", "必备", "状态", "归档文件"], rows, (12, 55, 12, 12, 20, 49))
    doc.save(path)


def cmd_make(archive, binary, out_dir, ids):
    typ.STEPS = [{"number": i, "zh": t} for i, t in enumerate(STEP_TITLES)]
    os.makedirs(out_dir, exist_ok=True)
    for mid in ids:
        member = typ.dangan(binary, archive, "member", "show", str(mid))
        materials = typ.dangan(binary, archive, "materials", str(mid))
        findings = typ.dangan(binary, archive, "check", "--member", str(mid))
        reports = [typ.dangan(binary, archive, "report", "show", str(r["id"]))
                   for r in typ.dangan(binary, archive, "report", "list", str(mid))]
        make_docx(member, materials, findings, reports, os.path.join(out_dir, "%s.docx" % mid))


STEP_TITLES = [
    "", "递交入党申请书", "党组织派人谈话", "推荐和确定入党积极分子", "报上级党委备案", "指定培养联系人", "培养教育考察",
    "确定发展对象", "报上级党委备案", "确定入党介绍人", "政治审查", "集中培训", "支部委员会审查", "上级党委预审",
    "填写入党志愿书", "支部大会讨论", "上级党委派人谈话", "上级党委审批", "再上一级党委组织部门备案", "编入党支部和党小组",
    "入党宣誓", "继续教育考察", "提出转正申请", "支部大会讨论转正", "上级党委审批", "材料归档"]


if __name__ == "__main__":
    if sys.argv[1] != "make":
        sys.exit(__doc__)
    cmd_make(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
