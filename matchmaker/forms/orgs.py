"""Forms for organizations, their Party branches, volunteer teams and volunteers."""
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from matchmaker import labels
from matchmaker.forms import (
    BaseForm, IdField, ListField, MultiChoiceField, NumberField, choices, phone_check,
)
from matchmaker.labels import BRANCH_FORMATION, BRANCH_LEVEL, ORGANIZATION_KIND
from matchmaker.validation import credit_code_problem, normalise_credit_code, normalise_text


class OrganizationForm(BaseForm):
    name = StringField("组织名称", filters=[normalise_text], validators=[
        DataRequired("请填写组织名称"), Length(max=128)])
    kind = SelectField("组织类型", choices=choices(ORGANIZATION_KIND),
                       validators=[InputRequired("请选择组织类型")])
    credit_code = StringField("统一社会信用代码", filters=[normalise_credit_code],
                              validators=[Optional()])
    region_code = StringField("所在区划代码", filters=[normalise_text], validators=[
        DataRequired("请填写所在区划代码")])
    address = StringField("地址", filters=[normalise_text], validators=[Length(max=255)])

    def validate_credit_code(self, field):
        problem = credit_code_problem(field.data)
        if problem:
            raise ValidationError(problem)


class BranchForm(BaseForm):
    name = StringField("党组织名称", filters=[normalise_text], validators=[
        DataRequired("请填写党组织名称"), Length(max=128)])
    level = SelectField("党组织类别", choices=choices(BRANCH_LEVEL),
                        validators=[InputRequired("请选择党组织类别")])
    formation = SelectField("组建方式", choices=choices(BRANCH_FORMATION),
                            validators=[InputRequired("请选择组建方式")])


class TeamForm(BaseForm):
    branch_id = IdField("所属党组织", [InputRequired("请选择所属党组织")])
    name = StringField("服务队名称", filters=[normalise_text], validators=[
        DataRequired("请填写服务队名称"), Length(max=128)])
    categories = MultiChoiceField(
        "服务类别", choices=choices(labels.SERVICE_CATEGORY),
        validators=[DataRequired("请至少选择一个服务类别")],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    region_code = StringField("驻地区划代码", filters=[normalise_text], validators=[
        DataRequired("请填写驻地区划代码")])
    lat = NumberField("纬度(不填则取区划位置)", [Optional()], kind="float", low=-90, high=90,
                      range_message="纬度须在-90到90之间")
    lon = NumberField("经度(不填则取区划位置)", [Optional()], kind="float", low=-180, high=180,
                      range_message="经度须在-180到180之间")
    radius_km = NumberField("服务半径(公里)", [InputRequired("请填写服务半径")], kind="float",
                            low=0.1, high=1000, range_message="服务半径须在0.1到1000公里之间")

    def validate_lon(self, field):
        if (field.data is None) != (self.lat.data is None):
            raise ValidationError("经度和纬度须同时填写或同时留空")


class VolunteerForm(BaseForm):
    name = StringField("姓名", filters=[normalise_text], validators=[
        DataRequired("请填写姓名"), Length(max=64)])
    phone = StringField("联系电话", validators=[Optional(), phone_check])
    is_party_member = BooleanField("党员")
    skills = ListField("特长(用逗号分隔)")
