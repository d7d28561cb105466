"""The in-app inbox page of every logged-in user."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.services import notifications

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.get("/")
@login_required
def show_inbox():
    items = db.session.scalars(notifications.inbox_query(current_user.id).limit(200)).all()
    return render_template("inbox/inbox.html", items=items)


@bp.post("/read-all")
@login_required
def read_all():
    notifications.mark_read(current_user.id)
    db.session.commit()
    return redirect(url_for("inbox.show_inbox"))


@bp.app_context_processor
def unread_badge() -> dict:
    """The unread count in the header, for logged-in users only."""
    if not current_user.is_authenticated:
        return {"unread_count": 0}
    return {"unread_count": notifications.unread_count(current_user.id)}
