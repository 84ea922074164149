#!/usr/bin/env python3
"""Writes tests/fixtures/roster/legacy.xls, an old-format (BIFF8) roster, with xlwt.

No Rust crate writes .xls, so this file is committed as generated. Run it in a throwaway venv:
    python3 -m venv /tmp/xlwt && /tmp/xlwt/bin/pip install xlwt
    /tmp/xlwt/bin/python scripts/roster-fixtures-xls.py
Rows (Excel numbering): 1 header; 2 valid, dates as date cells; 3 an ID number stored as a
number (an error); 4 valid, text dates; 5 a bad phone number (an error).
"""
import datetime
import os

import xlwt

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(birth, sequence):
    body = "110108" + birth.replace("-", "") + "%03d" % sequence
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def main():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("党员名册")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    header = ["姓名", "性别", "公民身份号码", "出生日期", "所在党支部", "加入党组织日期", "联系电话"]
    for col, text in enumerate(header):
        sheet.write(0, col, text)
    branch = "医学院党委/本科生第一党支部"
    rows = [
        ["宋喆", "男", id_number("2000-09-09", 61), datetime.date(2000, 9, 9), branch,
         datetime.date(2020, 12, 1), "13512345678"],
        ["唐数字", "女", 110108200009090000, None, branch, None, None],
        ["许堃", "女", id_number("2001-01-01", 62), "2001-01-01", branch, "2021年7月1日", "13512345670"],
        ["韩电话", "男", id_number("2001-02-02", 63), None, branch, None, "555"],
    ]
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write(r, col, value, date)
            else:
                sheet.write(r, col, value)
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "tests", "fixtures", "roster", "legacy.xls")
    book.save(out)


if __name__ == "__main__":
    main()
