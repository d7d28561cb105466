"""The offer form: one class for the page and the JSON body, with each kind's required fields."""
from decimal import Decimal

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from matchmaker.forms import (
    BaseForm, CountField, DateField, IdField, MoneyField, NumberField, QuantityField, choices,
)
from matchmaker.labels import ALL_CATEGORIES, OFFER_KIND
from matchmaker.validation import normalise_text
from matchmaker.vocabularies import OFFER_CATEGORIES

#: the field holding each kind's capacity (API.md: quantity, openings or 元)
CAPACITY_FIELD = {"service": "quantity", "goods": "quantity", "purchase": "quantity",
                  "wish_adoption": "quantity", "job": "openings", "funds": "amount_yuan"}
#: the fields a kind's page shows, with the labels that fit the kind
KIND_FIELDS = {
    "service": {"quantity": "可服务户数", "unit": "单位(如 户、人)"},
    "goods": {"quantity": "物资数量", "unit": "单位(如 斤、床、件)"},
    "funds": {"amount_yuan": "资金总额(元)"},
    "job": {"openings": "岗位数", "wage_yuan_month": "月薪(元)"},
    "purchase": {"quantity": "认购数量", "unit": "单位(如 斤、箱)"},
    "wish_adoption": {"quantity": "可认领心愿个数", "per_wish_cap_yuan": "每个心愿价值上限(元)"},
}


def _money(label: str):
    return MoneyField(label, [Optional()], low=Decimal("0.01"), message=f"{label}须大于0")


class OfferForm(BaseForm):
    kind = SelectField("供给类型", choices=choices(OFFER_KIND),
                       validators=[InputRequired("请选择供给类型")])
    category = SelectField("类别", choices=choices(ALL_CATEGORIES),
                           validators=[InputRequired("请选择类别")])
    title = StringField("供给内容", filters=[normalise_text], validators=[
        DataRequired("请填写供给内容"), Length(max=128)])
    description = TextAreaField("说明", filters=[normalise_text], validators=[Length(max=2000)])
    team_id = IdField("服务队", [Optional()])
    quantity = QuantityField("数量", [Optional()], message="数量须大于0")
    unit = StringField("单位", filters=[normalise_text], validators=[Length(max=16)])
    amount_yuan = _money("金额")
    openings = CountField("岗位数", [Optional()], low=1, message="岗位数须大于0")
    wage_yuan_month = _money("月薪")
    per_wish_cap_yuan = _money("每个心愿上限")
    radius_km = NumberField("服务半径(公里)", [Optional()], kind="float", low=0.1, high=1000,
                            range_message="服务半径须在0.1到1000公里之间")
    region_code = StringField("区划代码(不填则取服务队或本组织所在地)", filters=[normalise_text],
                              validators=[Length(max=12)])
    available_from = DateField("开始日期", validators=[Optional()])
    available_until = DateField("截止日期", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        """The fields first, then the rules across fields: the kind's category and capacity."""
        if not super().validate(extra_validators):
            return False
        problems = kind_problems(self.data)
        for name, message in problems.items():
            getattr(self, name).errors.append(message)
        return not problems


def kind_problems(data: dict) -> dict[str, str]:
    kind, problems = data["kind"], {}
    if data["category"] not in OFFER_CATEGORIES[kind]:
        problems["category"] = "类别须为:" + "、".join(OFFER_CATEGORIES[kind].values())
    capacity = CAPACITY_FIELD[kind]
    if not data.get(capacity):
        label = KIND_FIELDS[kind][capacity]
        problems[capacity] = f"{OFFER_KIND[kind]}类供给须填写{label},且大于0"
    start, end = data.get("available_from"), data.get("available_until")
    if start and end and end < start:
        problems["available_until"] = "截止日期不能早于开始日期"
    return problems


def adapt_to_kind(form: OfferForm, kind: str) -> list[str]:
    """Relabel the page's fields for the kind; returns the kind-specific fields to show."""
    form.kind.data = kind
    form.category.choices = choices(OFFER_CATEGORIES[kind])
    for name, label in KIND_FIELDS[kind].items():
        getattr(form, name).label.text = label
    return list(KIND_FIELDS[kind])
