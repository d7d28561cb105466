"""The form that starts a matching round."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from matchmaker.forms import BaseForm, clean_text


class MatchRunForm(BaseForm):
    region_code = StringField(_l("区划代码(可选,缺省为全部地区)"), filters=[clean_text],
                              validators=[Optional(), Length(max=12)])


class DeclineForm(BaseForm):
    """Why the organizer declines a proposed match: told to whoever reviews the matching."""

    reason = StringField(_l("拒绝原因"), filters=[clean_text], validators=[
        DataRequired("请填写拒绝原因"), Length(max=255)])
