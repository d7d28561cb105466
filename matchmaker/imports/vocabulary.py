"""The words county ledgers use, mapped to the platform's codes."""
from __future__ import annotations

import re

COLUMNS = {
    "户编号": "household_code", "村代码": "village_code", "户主姓名": "head_name",
    "成员姓名": "name", "与户主关系": "relation", "身份证号": "id_number", "性别": "gender",
    "出生日期": "birth_date", "联系电话": "phone", "家庭人口": "household_size",
    "致贫原因": "poverty_causes", "户类型": "status", "劳动能力": "labour_capacity",
    "在校情况": "school_stage", "技能": "skills", "住址": "address",
}
REQUIRED_COLUMNS = ("户编号", "户主姓名", "成员姓名", "与户主关系", "身份证号")

STATUS = {"贫困户": "poor", "建档立卡户": "poor", "建档立卡贫困户": "poor", "未脱贫户": "poor",
          "脱贫户": "lifted", "已脱贫户": "lifted", "已脱贫": "lifted", "监测户": "monitored",
          "监测对象": "monitored", "边缘户": "monitored", "边缘易致贫户": "monitored",
          "脱贫不稳定户": "monitored", "突发严重困难户": "monitored"}
CAUSES = {"因病": "illness", "因残": "disability", "因学": "schooling", "因灾": "disaster",
          "缺土地": "lack_land", "缺水": "lack_water", "缺技术": "lack_skills",
          "缺劳力": "lack_labour", "缺劳动力": "lack_labour", "缺资金": "lack_capital",
          "交通条件落后": "transport", "交通落后": "transport", "自身发展动力不足": "low_motivation",
          "内生动力不足": "low_motivation", "其他": "other"}
RELATION = {"户主": "self", "本人": "self", "配偶": "spouse", "妻": "spouse", "夫": "spouse",
            "妻子": "spouse", "丈夫": "spouse", "子": "child", "女": "child", "儿子": "child",
            "女儿": "child", "之子": "child", "之女": "child", "养子": "child", "养女": "child",
            "父亲": "parent", "母亲": "parent", "父": "parent", "母": "parent",
            "孙子": "grandchild", "孙女": "grandchild", "外孙子": "grandchild",
            "外孙女": "grandchild", "祖父": "grandparent", "祖母": "grandparent",
            "兄": "sibling", "弟": "sibling", "姐": "sibling", "妹": "sibling",
            "兄弟姐妹": "sibling", "儿媳": "other", "女婿": "other", "其他": "other"}
GENDER = {"男": "male", "女": "female"}
LABOUR = {"普通劳动力": "strong", "技能劳动力": "strong", "劳动力": "strong",
          "弱劳动力": "weak", "半劳动力": "weak", "弱劳动力或半劳动力": "weak",
          "丧失劳动力": "lost", "无劳动力": "none"}
SCHOOL = {"学前教育": "preschool", "学前": "preschool", "小学": "primary", "初中": "junior",
          "高中": "senior", "中职": "vocational", "高职": "vocational", "大专": "college",
          "本科": "college", "大学": "college"}

LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def split_list(text: str) -> list[str]:
    return [part for part in LIST_SEPARATORS.split(text) if part]


def lookup(table: dict[str, str], text: str) -> str | None:
    """The code for a ledger word; a code typed as such is accepted too."""
    if text in table:
        return table[text]
    return text if text in table.values() else None
