"""Login and token forms."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from matchmaker.forms import BaseForm


class LoginForm(BaseForm):
    username = StringField(_l("用户名"), validators=[DataRequired("请填写用户名"), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired("请填写密码"), Length(max=256)])


class TokenForm(LoginForm):
    """POST /api/v1/auth/token takes the same fields as the login page."""


class RevealForm(BaseForm):
    """Showing a full ID number asks for the password again."""

    password = PasswordField(_l("请再次输入您的密码"), validators=[DataRequired("请输入密码")])
