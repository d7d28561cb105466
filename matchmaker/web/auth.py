"""Login and logout pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.forms.accounts import LoginForm
from matchmaker.services import accounts

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        db.session.commit()
        if user is not None:
            throttle.forget_failures()
            _start_session()
            login_user(user)
            flash(_("登录成功"), "success")  # no name: the cookie carries no personal data
            return redirect(_safe_next(request.args.get("next")))
        throttle.record_failure()
        flash(_("用户名或密码不正确"), "error")
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


def _start_session() -> None:
    """A fresh session at login (no fixation): only the chosen language carries over."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(
            target).netloc:
        return target
    return url_for("main.home")


@bp.post("/logout")
@login_required
def logout():
    """Ends every session cookie of the account, copies included (its bearer tokens live on)."""
    accounts.end_sessions(current_user)
    db.session.commit()
    logout_user()
    _start_session()
    flash(_("已退出登录"), "success")
    return redirect(url_for("main.home"))
