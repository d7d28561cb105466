"""GET/PUT /api/v1/counties/{code}/rules: a county's reasonableness rules (admin)."""
from flask import jsonify
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body
from matchmaker.api.spec import documented, number, obj, string
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.needs import CountyRulesForm
from matchmaker.models import CountyRules, Role
from matchmaker.services.market import needs
from matchmaker.services import regions

RULES = obj(("county_code", "wish_categories", "one_open_wish_per_member", "township_review",
             "wish_cap_yuan"), county_code=string(),
            wish_categories={"type": ["array", "null"], "items": string()},
            one_open_wish_per_member={"type": "boolean"}, township_review={"type": "boolean"},
            wish_cap_yuan=number())


def rules_to_dict(code: str, rules: CountyRules) -> dict:
    return {"county_code": code, "wish_categories": rules.wish_categories,
            "one_open_wish_per_member": rules.one_open_wish_per_member,
            "township_review": rules.township_review,
            "wish_cap_yuan": float(needs.wish_cap(rules))}


@bp.get("/counties/<code>/rules")
@roles_required(Role.ADMIN)
@documented("县级需求规则", response=RULES, errors=(404,))
def get_county_rules(code: str):
    county = regions.region_by_code(code)
    return jsonify(rules_to_dict(code, needs.rules_for(county)))


@bp.put("/counties/<code>/rules")
@roles_required(Role.ADMIN)
@documented("设置县级需求规则:微心愿类别、每人一个未完成心愿、乡镇审核、价值上限",
            body=CountyRulesForm, response=RULES, errors=(404,))
def set_county_rules(code: str):
    county = regions.region_by_code(code)
    form = CountyRulesForm.from_json(json_body()).validated()
    values = {"wish_categories": form.wish_categories.data or None,
              "one_open_wish_per_member": form.one_open_wish_per_member.data,
              "township_review": form.township_review.data,
              "wish_cap_yuan": form.wish_cap_yuan.data}
    rules = needs.set_rules(county, values, current_user)
    db.session.commit()
    return jsonify(rules_to_dict(code, rules))
