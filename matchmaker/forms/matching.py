"""The form that starts a matching round."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

from matchmaker.forms import BaseForm, clean_text


class MatchRunForm(BaseForm):
    region_code = StringField(_l("区划代码(可选,缺省为全部地区)"), filters=[clean_text],
                              validators=[Optional(), Length(max=12)])
