"""Forms for records of help delivered: activities with hours, donations, placements, purchases."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, FieldList, FormField, SelectField, StringField, TextAreaField, TimeField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from matchmaker import labels, limits
from matchmaker.forms import (
    BaseForm, CountField, DateField, IdField, IdListField, MoneyField, NumberField, QuantityField,
    SubForm, choices, clean_text,
)

#: how many hours one line may hold: more than 0, at most a day
MAX_HOURS = 24
#: what a yes-or-no answer may be: JSON's true and false, a page's checkbox
YES_NO = {"true", "false", "y", "on", "1", "0"}


def _money(label, required: bool = False):
    first = InputRequired(f"请填写{label}") if required else Optional()
    return MoneyField(label, [first])


def _quantity(label):
    return QuantityField(label, [InputRequired(f"请填写{label}")])


def _times(label):
    return TimeField(label, format=["%H:%M", "%H:%M:%S"], validators=[Optional()])


class HoursLineForm(SubForm):
    volunteer_id = IdField(_l("志愿者"), [InputRequired("请选择志愿者")])
    hours = NumberField(_l("服务时长(小时)"), [InputRequired("请填写服务时长")],
                        low=Decimal("0.01"), high=MAX_HOURS,
                        range_message="服务时长须大于0且不超过24小时")


def _distinct_volunteers(form, field) -> None:
    ids = [line["volunteer_id"] for line in field.data]
    if len(ids) != len(set(ids)):
        raise ValidationError("同一志愿者只能填写一行")


def _hours_lines(label):
    return FieldList(FormField(HoursLineForm), label=label, validators=[_distinct_volunteers])


class ActivityEditForm(BaseForm):
    """What an organizer may change in an activity; recorded hours are never rewritten."""

    date = DateField(_l("活动日期"), validators=[InputRequired("请填写活动日期")])
    start_time = _times(_l("开始时间"))
    end_time = _times(_l("结束时间"))
    title = StringField(_l("活动名称"), filters=[clean_text], validators=[
        DataRequired("请填写活动名称"), Length(max=128)])
    category = SelectField(_l("服务类别"), choices=choices(labels.SERVICE_CATEGORY),
                           validators=[InputRequired("请选择服务类别")])
    village_code = StringField(_l("服务的村或乡镇(区划代码)"), filters=[clean_text],
                               validators=[DataRequired("请填写服务的村(区划代码)")])
    beneficiary_member_ids = IdListField(_l("受益的登记人员"))
    extra_beneficiaries = CountField(_l("未登记的受益人数"), [Optional()], default=0,
                                     message="受益人数不能为负数")
    need_ids = IdListField(_l("对应的需求"))
    funds_raised_yuan = _money(_l("募集资金(元)"))
    note = TextAreaField(_l("说明"), filters=[clean_text], validators=[Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        """The fields first, then the times together: both or neither, the end after the start."""
        if not super().validate(extra_validators):
            return False
        start, end = self.start_time.data, self.end_time.data
        if (start is None) != (end is None):
            self.end_time.errors.append("开始和结束时间须同时填写或同时留空")
        elif end is not None and end <= start:
            self.end_time.errors.append("结束时间须晚于开始时间")
        return not self.end_time.errors


class ActivityForm(ActivityEditForm):
    team_id = IdField(_l("志愿服务队"), [InputRequired("请选择志愿服务队")])
    hours = _hours_lines(_l("每名志愿者的服务时长"))

    def validate_hours(self, field) -> None:
        if not field.entries:
            raise ValidationError("请填写至少一名志愿者的服务时长")


class CorrectionForm(BaseForm):
    """Hours added to an activity afterwards: separate lines, with the reason for adding them."""

    hours = _hours_lines(_l("补录的服务时长"))
    note = StringField(_l("补录原因"), filters=[clean_text], validators=[
        DataRequired("请填写补录原因"), Length(max=255)])

    def validate_hours(self, field) -> None:
        if not field.entries:
            raise ValidationError("请填写至少一行补录的时长")


class GoodsLineForm(SubForm):
    item = StringField(_l("物资名称"), filters=[clean_text], validators=[
        DataRequired("请填写物资名称"), Length(max=64)])
    unit = StringField(_l("单位"), filters=[clean_text], validators=[
        DataRequired("请填写单位"), Length(max=16)])
    quantity = _quantity(_l("数量"))
    value_yuan = _money(_l("折价(元)"))


class DonationForm(BaseForm):
    team_id = IdField(_l("志愿服务队(可选)"), [Optional()])
    organization_id = IdField(_l("捐赠组织(默认本组织)"), [Optional()])
    offer_id = IdField(_l("使用的物资或资金供给(可选)"), [Optional()])
    village_code = StringField(_l("受赠的村或乡镇(区划代码)"), filters=[clean_text],
                               validators=[DataRequired("请填写受赠的村(区划代码)")])
    date = DateField(_l("捐赠日期"), validators=[InputRequired("请填写捐赠日期")])
    money_yuan = _money(_l("捐款金额(元)"))
    goods = FieldList(FormField(GoodsLineForm), label=_l("捐赠物资"),
                      max_entries=limits.MAX_LIST_ITEMS)
    household_ids = IdListField(_l("受赠农户"))
    need_ids = IdListField(_l("对应的需求"))
    note = TextAreaField(_l("说明"), filters=[clean_text], validators=[Length(max=2000)])

    def validate_goods(self, field) -> None:
        if not field.entries and not self.money_yuan.data:
            raise ValidationError("请填写捐款金额或至少一项物资")


class PlacementEditForm(BaseForm):
    start_date = DateField(_l("入职日期"), validators=[InputRequired("请填写入职日期")])
    wage_yuan_month = _money(_l("月薪(元)"))
    need_id = IdField(_l("对应的就业需求(可选)"), [Optional()])


class PlacementForm(PlacementEditForm):
    offer_id = IdField(_l("就业岗位供给"), [InputRequired("请选择就业岗位")])
    member_id = IdField(_l("入职的家庭成员"), [InputRequired("请选择家庭成员")])


class FollowUpForm(BaseForm):
    months = CountField(_l("回访时点(月)"), [
        InputRequired("请填写回访时点"), AnyOf([3, 6], message="回访时点须为3或6个月")],
        high=12, message="回访时点须为3或6个月")
    employed = BooleanField(_l("仍在岗"), validators=[InputRequired("请填写是否仍在岗")])

    def validate_employed(self, field) -> None:
        if field.raw_data and str(field.raw_data[0]).lower() not in YES_NO:
            raise ValidationError("是否仍在岗须为 true 或 false")


class ShareLineForm(SubForm):
    household_id = IdField(_l("出售农户"), [InputRequired("请选择出售农户")])
    yuan = _money(_l("该户所得(元)"), required=True)


class PurchaseForm(BaseForm):
    organization_id = IdField(_l("认购组织(默认本组织)"), [Optional()])
    offer_id = IdField(_l("使用的认购供给(可选)"), [Optional()])
    village_code = StringField(_l("出售农户所在的村或乡镇(区划代码)"), filters=[clean_text],
                               validators=[DataRequired("请填写村(区划代码)")])
    date = DateField(_l("认购日期"), validators=[InputRequired("请填写认购日期")])
    product = StringField(_l("农产品"), filters=[clean_text], validators=[
        DataRequired("请填写农产品名称"), Length(max=64)])
    unit = StringField(_l("单位"), filters=[clean_text], validators=[
        DataRequired("请填写单位"), Length(max=16)])
    quantity = _quantity(_l("数量"))
    yuan = _money(_l("金额(元)"), required=True)
    household_ids = IdListField(_l("出售农户(金额平均分给各户)"))
    sellers = FieldList(FormField(ShareLineForm), label=_l("出售农户及各户所得"))
    need_ids = IdListField(_l("对应的农产品待售需求"))
    note = TextAreaField(_l("说明"), filters=[clean_text], validators=[Length(max=2000)])

    def validate_sellers(self, field) -> None:
        if field.entries and self.household_ids.data:
            raise ValidationError("出售农户请只用 sellers 或 household_ids 其中一种方式填写")
        if not field.entries and not self.household_ids.data:
            raise ValidationError("请填写出售农户")
        ids = [line["household_id"] for line in field.data]
        if len(ids) != len(set(ids)):
            raise ValidationError("同一农户只能填写一行")


class RejectForm(BaseForm):
    reason = StringField(_l("驳回原因"), filters=[clean_text], validators=[
        DataRequired("请填写驳回原因"), Length(max=255)])
