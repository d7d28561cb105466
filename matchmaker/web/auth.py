"""Login and logout pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.forms.accounts import LoginForm
from matchmaker.models import Role
from matchmaker.services import accounts

bp = Blueprint("auth", __name__)
#: where each role starts its work after login (the public dashboard is for the public)
WORK_PAGES = {Role.ORGANIZER: "organizer.workbench", Role.CADRE: "cadre.home",
              Role.ADMIN: "admin.list_match_runs"}


def work_page(user) -> str:
    """The page a logged-in user works from: its role's start page, else the dashboard."""
    return url_for(WORK_PAGES.get(user.role, "main.home"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(work_page(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        db.session.commit()
        if user is not None:
            throttle.forget_failures()
            _start_session()
            login_user(user)
            flash(_("登录成功"), "success")  # no name: the cookie carries no personal data
            return redirect(_safe_next(request.args.get("next")) or work_page(user))
        throttle.record_failure()
        flash(_("用户名或密码不正确"), "error")
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


def _start_session() -> None:
    """A fresh session at login (no fixation): only the chosen language carries over."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (never an open redirect); None when there is no such path."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(
            target).netloc and "\\" not in target:
        return target
    return None


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
