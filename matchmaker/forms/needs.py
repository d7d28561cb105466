"""Forms for needs and micro-wishes, their lifecycle actions and a county's rules."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from matchmaker import labels
from matchmaker.forms import (
    BaseForm, DateField, IdField, MoneyField, MultiChoiceField, QuantityField, choices, clean_text,
)


class NeedForm(BaseForm):
    household_id = IdField(_l("农户"), [InputRequired("请选择农户")])
    member_id = IdField(_l("家庭成员"), [Optional()])
    kind = SelectField(_l("需求类型"), choices=choices(labels.NEED_KIND),
                       validators=[InputRequired("请选择需求类型")])
    category = StringField(_l("类别"), filters=[clean_text],
                           validators=[DataRequired("请选择类别"), Length(max=32)])
    title = StringField(_l("需求内容"), filters=[clean_text],
                        validators=[DataRequired("请填写需求内容"), Length(max=128)])
    description = TextAreaField(_l("说明"), filters=[clean_text], validators=[Length(max=2000)])
    quantity = QuantityField(_l("数量"), [Optional()], message="数量须大于0")
    unit = StringField(_l("单位"), filters=[clean_text], validators=[Length(max=16)])
    amount_yuan = MoneyField(_l("金额(元)"), [Optional()], message="金额不能为负数")
    deadline = DateField(_l("截止日期"), validators=[Optional()])
    guardian_consent = BooleanField(_l("已取得监护人同意(未满14周岁的成员必填)"))


class ReasonForm(BaseForm):
    reason = StringField(_l("原因"), filters=[clean_text], validators=[Length(max=255)])


class ReceiptForm(BaseForm):
    note = StringField(_l("签收说明"), filters=[clean_text], validators=[Length(max=255)])


class CountyRulesForm(BaseForm):
    wish_categories = MultiChoiceField(_l("允许的微心愿类别(不选则全部允许)"),
                                       choices=choices(labels.WISH_CATEGORY))
    one_open_wish_per_member = BooleanField(_l("每名成员同时只能有一个微心愿"))
    township_review = BooleanField(_l("需求须经乡镇审核后公开"))
    wish_cap_yuan = MoneyField(_l("微心愿价值上限(元)"), [Optional()], low=1,
                               message="上限须大于0")
