"""Household and member forms: the same checks for the page, the API and the import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from matchmaker import labels, limits, privacy
from matchmaker.forms import (
    BaseForm, DateField, IdField, ListField, MultiChoiceField, SubForm, choices, clean_text,
    id_number_check, phone_check,
)


def optional_select(label, vocabulary: dict[str, str]) -> SelectField:
    return SelectField(label, choices=choices({"": "—", **vocabulary}),
                       validators=[Optional()], filters=[lambda value: value or None])


class MemberForm(SubForm):
    name = StringField(_l("姓名"), filters=[clean_text],
                       validators=[DataRequired("请填写成员姓名"), Length(max=64)])
    id_number = StringField(_l("身份证号"), filters=[clean_text], validators=[id_number_check])
    relation = SelectField(_l("与户主关系"), choices=choices(labels.RELATION),
                           validators=[InputRequired("请选择与户主关系")])
    birth_date = DateField(_l("出生日期"), validators=[Optional()],
                           earliest=limits.EARLIEST_BIRTH_DATE)
    gender = optional_select(_l("性别"), labels.GENDER)
    labour_capacity = optional_select(_l("劳动能力"), labels.LABOUR_CAPACITY)
    is_student = BooleanField(_l("在校生"))
    school_stage = optional_select(_l("就读阶段"), labels.SCHOOL_STAGE)
    skills = ListField(_l("技能"))

    def validate_birth_date(self, field) -> None:
        born = privacy.id_birth_date(self.id_number.data) if self.id_number.data else None
        if field.data and born and field.data != born:
            raise ValidationError("出生日期与身份证号中的不一致")


class HouseholdForm(BaseForm):
    village_code = StringField(_l("所在村(区划代码)"), filters=[clean_text], validators=[
        DataRequired("请选择所在村"), Regexp(r"^\d{12}$", message="区划代码须为12位数字")])
    code = StringField(_l("户编号"), filters=[clean_text], validators=[
        Optional(), Length(max=32), Regexp(r"^[\w\-]+$", message="户编号只能含字母、数字、下划线和连字符")])
    head_name = StringField(_l("户主姓名"), filters=[clean_text],
                            validators=[DataRequired("请填写户主姓名"), Length(max=64)])
    id_number = StringField(_l("户主身份证号"), filters=[clean_text],
                            validators=[DataRequired("请填写户主身份证号"), id_number_check])
    phone = StringField(_l("联系电话"), filters=[clean_text], validators=[phone_check])
    address = StringField(_l("住址"), filters=[clean_text], validators=[Length(max=255)])
    status = SelectField(_l("户类型"), choices=choices(labels.HOUSEHOLD_STATUS),
                         validators=[InputRequired("请选择户类型")])
    poverty_causes = MultiChoiceField(_l("致贫原因"), choices=choices(labels.POVERTY_CAUSES),
                                      widget=ListWidget(prefix_label=False),
                                      option_widget=CheckboxInput())
    members = FieldList(FormField(MemberForm), label=_l("家庭成员"))


class MemberEditForm(MemberForm):
    """A member row of the edit page: which registered member it is, its ID number hidden."""

    member_id = IdField(None, [Optional()], widget=HiddenInput())


class HouseholdEditForm(HouseholdForm):
    """The edit page never shows a stored ID number or phone: left blank, they stay unchanged."""

    id_number = StringField(_l("户主身份证号"), filters=[clean_text],
                            validators=[Optional(), id_number_check])
    members = FieldList(FormField(MemberEditForm), label=_l("家庭成员"))
