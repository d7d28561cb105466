"""The public impact figures: JSON, breakdowns, and CSV and XLSX downloads (no login)."""
from __future__ import annotations

import csv
import io
from dataclasses import replace

from flask import Response, jsonify, request
from flask_login import current_user
from openpyxl import Workbook

from matchmaker.api import bp, downloads
from matchmaker.api.spec import array, documented, number, obj, string
from matchmaker.auth import roles_required
from matchmaker.labels import IMPACT_FIGURE
from matchmaker.models import Role
from matchmaker.impact import figures as impact
from matchmaker.impact.query import scope_from_query
from matchmaker.services.registry import orgs
from matchmaker.spreadsheets import neutral_row

SCOPE_QUERY = {"region": "区划代码(含下级)", "from": "起始日期 YYYY-MM-DD", "to": "截止日期 YYYY-MM-DD",
               "organization": "组织编号"}
IMPACT = obj(("scope", "figures"), scope={"type": "object"},
             figures=obj(tuple(impact.FIGURE_KEYS)),
             hours=obj(("recorded", "corrected", "total"), recorded=number(),
                       corrected=number(), total=number()),
             outcomes=obj(("people_placed", "still_employed_3_months",
                           "still_employed_6_months"), people_placed=number(),
                          still_employed_3_months=number(), still_employed_6_months=number()))
ROW = obj(("key", "label", "value"), key=string(), label=string(),
          value={"type": ["number", "null"]}, suppressed={"type": "boolean"})
BREAKDOWN = obj(("rows",), rows=array(ROW), by=string(), metric=string())


def scope_from_args() -> impact.Scope:
    """?region=&from=&to=&organization= of this request (422 when wrong)."""
    return scope_from_query(request.args)


def impact_body(scope: impact.Scope) -> dict:
    return {"scope": scope.describe(), "figures": impact.figures(scope),
            "hours": impact.hours_apart(scope), "outcomes": impact.outcomes(scope)}


@bp.get("/impact")
@documented("帮扶成效数据(仅统计已核实记录)", response=IMPACT, public=True, query=SCOPE_QUERY,
            errors=(404, 422))
def get_impact():
    return jsonify(impact_body(scope_from_args()))


@bp.get("/impact/breakdown")
@documented("帮扶成效分组:按地区(下一级)、月份、组织或活动类别;人数过少的格子不公开",
            response=BREAKDOWN, public=True,
            query={**SCOPE_QUERY, "by": "region、month、organization 或 category",
                   "metric": "、".join(impact.BREAKDOWN_METRICS)}, errors=(404, 422))
def get_impact_breakdown():
    by, metric = request.args.get("by", ""), request.args.get("metric", "volunteer_hours")
    return jsonify({"by": by, "metric": metric,
                    "rows": impact.breakdown(by, metric, scope_from_args())})


def export_rows(scope: impact.Scope) -> list[list]:
    """The figures, the goods and produce lists, and the breakdown asked for, as rows."""
    body = impact_body(scope)
    scope_text = " ".join(str(v) for v in (body["scope"]["region_name"], body["scope"]["from"],
                                           body["scope"]["to"],
                                           body["scope"]["organization_name"]) if v)
    rows = [["范围", scope_text], [], ["指标", "数值"]]
    rows += [[IMPACT_FIGURE[key], body["figures"][key]] for key in impact.FIGURE_KEYS
             if not isinstance(body["figures"][key], list)]
    rows += [["随活动记录的时长", body["hours"]["recorded"]],
             ["事后更正的时长", body["hours"]["corrected"]],
             ["3个月后仍在岗", body["outcomes"]["still_employed_3_months"]],
             ["6个月后仍在岗", body["outcomes"]["still_employed_6_months"]],
             [], ["物资", "单位", "数量"]]
    rows += [[g["item"], g["unit"], g["quantity"]] for g in body["figures"]["goods"]]
    rows += [[], ["消费扶贫产品", "单位", "数量", "金额(元)"]]
    rows += [[p["product"], p["unit"], p["quantity"], p["yuan"]]
             for p in body["figures"]["produce_purchased"]]
    if request.args.get("by"):
        metric = request.args.get("metric", "volunteer_hours")
        rows += [[], [f"分组:{downloads.BREAKDOWN_BY.get(request.args['by'], '')}",
                      IMPACT_FIGURE.get(metric, "")]]
        rows += [[r["label"], "不公开" if r.get("suppressed") else r["value"]]
                 for r in impact.breakdown(request.args["by"], metric, scope)]
    return [neutral_row(row) for row in rows]


@bp.get("/impact.csv")
@documented("帮扶成效 CSV 下载(带 by 和 metric 时附分组)", public=True,
            query={**SCOPE_QUERY, "by": "可选分组", "metric": "分组指标"}, errors=(404, 422))
def impact_csv():
    scope, out = scope_from_args(), io.StringIO()
    csv.writer(out).writerows(export_rows(scope))
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers=downloads.attachment(scope, "帮扶成效", "impact", "csv"))


@bp.get("/impact.xlsx")
@documented("帮扶成效 Excel 下载(带 by 和 metric 时附分组)", public=True,
            query={**SCOPE_QUERY, "by": "可选分组", "metric": "分组指标"}, errors=(404, 422))
def impact_xlsx():
    scope, book = scope_from_args(), Workbook()
    sheet = book.active
    sheet.title = "帮扶成效"
    for row in export_rows(scope):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(),
                    headers=downloads.attachment(scope, "帮扶成效", "impact", "xlsx"),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/volunteer-hours.csv")
@roles_required(Role.ORGANIZER, Role.ADMIN)
@documented("经核实的志愿者服务时长(随活动记录与事后更正分列),供其他志愿服务信息系统导入;"
            "组织者只能导出本组织的",
            query={"from": "起始日期 YYYY-MM-DD", "to": "截止日期 YYYY-MM-DD"},
            errors=(401, 403, 422))
def volunteer_hours_csv():
    scope = scope_from_args()
    if current_user.role == Role.ORGANIZER:
        scope = replace(scope, organization_id=orgs.organization_of(current_user, "导出服务时长"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["志愿者编号", "姓名", "服务队", "组织", "随活动记录时长", "事后更正时长",
                     "活动次数"])
    for row in impact.hours_per_volunteer(scope):
        writer.writerow(neutral_row(row.values()))
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers=downloads.attachment(scope, "志愿服务时长", "volunteer-hours", "csv"))
