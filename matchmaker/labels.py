"""Chinese labels of the API's codes: one place for pages, forms and exports."""

HOUSEHOLD_STATUS = {"poor": "贫困户", "lifted": "脱贫户", "monitored": "监测户"}
POVERTY_CAUSES = {
    "illness": "因病", "disability": "因残", "schooling": "因学", "disaster": "因灾",
    "lack_land": "缺土地", "lack_water": "缺水", "lack_skills": "缺技术",
    "lack_labour": "缺劳力", "lack_capital": "缺资金", "transport": "交通条件落后",
    "low_motivation": "自身发展动力不足", "other": "其他",
}
LABOUR_CAPACITY = {"strong": "有劳动能力", "weak": "弱劳动力或半劳动力", "lost": "丧失劳动力",
                   "none": "无劳动力"}
RELATION = {"self": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
            "grandchild": "孙子女", "grandparent": "祖父母", "sibling": "兄弟姐妹", "other": "其他"}
GENDER = {"male": "男", "female": "女"}
SCHOOL_STAGE = {"preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中",
                "vocational": "中职", "college": "大专及以上"}
