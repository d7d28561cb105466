"""Forms for claiming a need, pledging toward a larger one, and releasing a claim."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from matchmaker.forms import BaseForm, IdField, MoneyField, QuantityField, clean_text


class ClaimForm(BaseForm):
    offer_id = IdField(_l("使用的供给(可选)"), [Optional()])
    team_id = IdField(_l("负责的志愿服务队(可选)"), [Optional()])
    quantity = QuantityField(_l("数量"), [Optional()], message="数量须大于0")
    amount_yuan = MoneyField(_l("金额(元)"), [Optional()], low=Decimal("0.01"),
                             message="金额须大于0")


class PledgeForm(ClaimForm):
    """A share of a larger need: its quantity, or its amount in 元."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.quantity.data is None and self.amount_yuan.data is None:
            self.amount_yuan.errors.append("请填写认捐数量或金额")
            return False
        return valid


class ReleaseForm(BaseForm):
    reason = StringField(_l("释放原因"), filters=[clean_text], validators=[
        DataRequired("请填写释放原因"), Length(max=255)])


class TakeoverForm(BaseForm):
    """A request to take over another organization's claim on a need."""

    reason = StringField(_l("转接理由"), filters=[clean_text], validators=[
        DataRequired("请填写转接理由"), Length(max=255)])
    claim_id = IdField(_l("要转接的认领(分担认捐时必填)"), [Optional()])
    offer_id = IdField(_l("使用的供给(可选)"), [Optional()])
    team_id = IdField(_l("负责的志愿服务队(可选)"), [Optional()])


class AnswerForm(BaseForm):
    answer = StringField(_l("答复(可选)"), filters=[clean_text], validators=[
        Optional(), Length(max=255)])
