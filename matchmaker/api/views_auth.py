"""POST /api/v1/auth/token: a bearer token for a username and password."""
from flask import current_app, jsonify

from matchmaker import throttle
from matchmaker.api import bp
from matchmaker.http import error_response
from matchmaker.api.io import json_body
from matchmaker.api.spec import documented, obj, string
from matchmaker.extensions import db
from matchmaker.forms.accounts import TokenForm
from matchmaker.services import accounts

TOKEN = obj(("token", "role", "expires_at"), token=string(), role=string(),
            expires_at=string(format="date-time"))


@bp.post("/auth/token")
@documented("用用户名和密码换取访问令牌", body=TokenForm, response=TOKEN, public=True,
            errors=(401, 429))
def create_token():
    form = TokenForm.from_json(json_body()).validated()
    user = accounts.authenticate(form.username.data, form.password.data)
    if user is None:
        throttle.record_failure()
        db.session.commit()  # keep the failed-login count
        return error_response(401, "用户名或密码不正确", "invalid_credentials")
    throttle.forget_failures()
    token, record = accounts.issue_token(user, current_app.config["TOKEN_HOURS"])
    db.session.commit()
    return jsonify(token=token, role=user.role.value,
                   expires_at=record.expires_at.isoformat(timespec="seconds") + "Z")
