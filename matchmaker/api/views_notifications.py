"""GET /api/v1/notifications and marking them read: the caller's own inbox."""
from flask import jsonify, request
from flask_login import current_user, login_required

from matchmaker.api import bp
from matchmaker.api.io import paginate, require
from matchmaker.api.spec import documented, integer, obj, page_of, string
from matchmaker.extensions import db
from matchmaker.models import Notification
from matchmaker.services import notifications

NOTIFICATION = obj(("id", "kind", "title", "created_at", "read"), id=integer(), kind=string(),
                   title=string(), body={"type": ["string", "null"]},
                   link={"type": ["string", "null"]}, created_at=string(format="date-time"),
                   read={"type": "boolean"})


def notification_to_dict(note: Notification) -> dict:
    return {"id": note.id, "kind": note.kind, "title": note.title, "body": note.body,
            "link": note.link, "created_at": note.created_at.isoformat(timespec="seconds") + "Z",
            "read": note.read_at is not None}


@bp.get("/notifications")
@login_required
@documented("我的消息(unread=1 只看未读)", response=page_of(NOTIFICATION),
            query={"unread": "1: 只看未读", "page": "页码", "per_page": "每页条数(≤200)"})
def list_notifications():
    query = notifications.inbox_query(current_user.id, request.args.get("unread") == "1")
    return jsonify(paginate(query, notification_to_dict))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
@documented("标记一条消息为已读", response=obj(("read",), read=integer()), errors=(404,))
def read_notification(notification_id: int):
    note = db.session.get(Notification, notification_id)
    require(note is not None and note.user_id == current_user.id)
    count = notifications.mark_read(current_user.id, notification_id)
    db.session.commit()
    return jsonify(read=count)


@bp.post("/notifications/read-all")
@login_required
@documented("全部标记为已读", response=obj(("read",), read=integer()))
def read_all_notifications():
    count = notifications.mark_read(current_user.id)
    db.session.commit()
    return jsonify(read=count)
