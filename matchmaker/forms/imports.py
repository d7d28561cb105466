"""The ledger upload form."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField

from matchmaker.forms import BaseForm


class ImportForm(BaseForm):
    file = FileField(_l("台账文件(.xlsx 或 .csv,不超过10MB)"), validators=[
        FileRequired("请选择要导入的文件"), FileAllowed(["xlsx", "csv"], "请上传 .xlsx 或 .csv 文件")])
    village_code = SelectField(_l("表中未填村代码的行属于"), choices=[], validate_choice=False)
