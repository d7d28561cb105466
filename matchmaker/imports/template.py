"""The downloadable ledger template: the columns, two example rows and the accepted words."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from matchmaker.imports import vocabulary as words

HEADER = list(words.COLUMNS)
#: invented people; the ID numbers carry valid check characters
EXAMPLE_ROWS = [
    ["360302-0001", "360302102200", "张建国", "张建国", "户主", "360302196805120017", "男",
     "1968-05-12", "13800000001", 2, "因病、缺资金", "脱贫户", "普通劳动力", "", "种植", "五陂村3组"],
    ["360302-0001", "360302102200", "张建国", "张小雨", "女儿", "360302201203150028", "女",
     "2012-03-15", "", "", "", "", "无劳动力", "初中", "", ""],
]
TEXT_COLUMNS = ("户编号", "村代码", "身份证号", "联系电话")


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "农户台账"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    for index, name in enumerate(HEADER, start=1):
        if name in TEXT_COLUMNS:  # keep 18-digit numbers as text, never as floats
            for cell in sheet.iter_cols(min_col=index, max_col=index, min_row=2, max_row=500):
                for item in cell:
                    item.number_format = "@"
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(10, len(name) * 3)
    _explain(book.create_sheet("填写说明"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _explain(sheet) -> None:
    sheet.append(["列", "说明"])
    sheet.append(["每行", "一名家庭成员;同一户的成员填写相同的户编号,户主一行的与户主关系填“户主”"])
    sheet.append(["必填列", "、".join(words.REQUIRED_COLUMNS)])
    for title, table in (("户类型", words.STATUS), ("致贫原因(可填多个,用顿号分隔)", words.CAUSES),
                         ("与户主关系", words.RELATION), ("劳动能力", words.LABOUR),
                         ("在校情况", words.SCHOOL)):
        sheet.append([title, "、".join(table)])
