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
NEED_KIND = {"service": "志愿服务", "goods": "物资", "funds": "资金", "job": "就业",
             "produce": "农产品待售", "wish": "微心愿"}
NEED_STATUS = {"review": "待审核", "open": "待认领", "claimed": "已认领", "matched": "已对接",
               "fulfilled": "已完成", "cancelled": "已取消", "expired": "已过期"}
SERVICE_CATEGORY = {
    "tutoring": "课业辅导", "counselling": "心理疏导", "medical": "义诊医疗",
    "elderly_care": "关爱老人", "disability_care": "助残服务", "skills_training": "技能培训",
    "job_fair": "招聘会", "charity": "慈善公益", "fund_raising": "募捐筹款", "cleaning": "环境清洁",
    "repair": "维修服务", "other": "其他"}
WISH_CATEGORY = {"study": "学习用品", "daily_life": "生活用品", "health": "医疗健康",
                 "clothing": "衣物被褥", "household": "家居家电", "other": "其他"}
JOB_CATEGORY = {"factory": "工厂", "construction": "建筑", "services": "服务业",
                "agriculture": "农业", "domestic": "家政", "public_welfare": "公益岗位",
                "other": "其他"}
PRODUCE_CATEGORY = {"agriculture": "农产品"}
AGE_BAND = {"0-6": "学龄前", "7-13": "小学", "14-17": "少年", "18-59": "成年", "60+": "老人"}
ORGANIZATION_KIND = {"enterprise": "非公企业", "social_org": "社会组织", "association": "行业协会"}
BRANCH_LEVEL = {"branch": "党支部", "general_branch": "党总支", "committee": "党委"}
BRANCH_FORMATION = {"standalone": "单独组建", "joint": "联合组建", "attached": "挂靠组建"}
OFFER_KIND = {"service": "志愿服务", "goods": "物资", "funds": "资金", "job": "就业岗位",
              "purchase": "消费帮扶认购", "wish_adoption": "认领微心愿"}
VERIFICATION_STATUS = {"pending": "待核实", "verified": "已核实", "rejected": "已驳回"}
MATCH_RUN_STATUS = {"queued": "排队中", "running": "进行中", "finished": "已完成", "failed": "失败"}
MATCH_STATUS = {"proposed": "待答复", "accepted": "已接受", "declined": "已拒绝", "expired": "已过期"}
MATCH_PHASE = {"load": "载入", "candidates": "候选", "solve": "求解", "persist": "保存"}
TAKEOVER_STATUS = {"pending": "待答复", "accepted": "对方已同意", "granted": "逾期自动同意",
                   "declined": "对方已拒绝", "withdrawn": "已撤回"}
OFFER_STATUS = {"open": "可对接", "exhausted": "已用完", "closed": "已关闭", "expired": "已过期"}
#: every category code of every kind, for showing a category whatever its kind
ALL_CATEGORIES = {**SERVICE_CATEGORY, **WISH_CATEGORY, **JOB_CATEGORY, **PRODUCE_CATEGORY}

#: the impact figures of MISSION.md, in its order
IMPACT_FIGURE = {
    "volunteer_hours": "志愿服务时长(小时)", "activities": "活动场次", "volunteers": "参与志愿者",
    "teams": "志愿服务队", "beneficiaries": "受益人数", "beneficiary_visits": "受益人次",
    "households_helped": "帮扶户数", "household_coverage": "帮扶覆盖率",
    "donations_yuan": "捐赠金额(元)", "funds_raised_yuan": "募集资金(元)", "goods": "物资",
    "job_openings": "提供岗位", "job_fairs": "专场招聘会", "people_employed": "实现就业",
    "wishes_posted": "微心愿", "wishes_fulfilled": "点亮微心愿", "produce_purchased": "消费扶贫",
}
