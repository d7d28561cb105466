"""The form for adding a region."""
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from matchmaker.forms import BaseForm, NumberField, choices

LEVEL_LABELS = {"province": "省", "city": "市", "county": "县(区)", "township": "乡镇(街道)",
                "village": "村(社区)"}


class RegionForm(BaseForm):
    code = StringField("区划代码", validators=[
        DataRequired("请填写区划代码"), Regexp(r"^\d{12}$", message="区划代码须为12位数字")])
    name = StringField("名称", validators=[DataRequired("请填写名称"), Length(max=64)])
    level = SelectField("级别", choices=choices(LEVEL_LABELS),
                        validators=[InputRequired("请选择级别")])
    parent_code = StringField("上级区划代码", validators=[
        Optional(), Regexp(r"^\d{12}$", message="上级区划代码须为12位数字")])
    lat = NumberField("纬度", [Optional()], kind="float", low=-90, high=90,
                      range_message="纬度须在-90到90之间")
    lon = NumberField("经度", [Optional()], kind="float", low=-180, high=180,
                      range_message="经度须在-180到180之间")
