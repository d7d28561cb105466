"""The inbox, told once per event, and the outbox drained through a gateway adapter."""
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.gateways import GatewayError
from matchmaker.jobs import enqueue
from matchmaker.models import (
    JobStatus, Notification, OutboxMessage, OutboxStatus, Region, User,
)
from matchmaker.services import notifications

SENT: list = []


class RecordingGateway:
    """Stands in for an outside SMS provider (none is reachable here)."""

    channel = "sms"

    def __init__(self, config):
        self.fail = config.get("TEST_GATEWAY_FAILS", False)

    def send(self, message):
        if self.fail:
            raise GatewayError("provider said no")
        SENT.append(message)
        return f"provider-{message.key}"


@pytest.fixture
def app_config():
    return {"NOTIFY_CHANNELS": ("sms",),
            "GATEWAYS": {"sms": f"{__name__}:RecordingGateway"}}


@pytest.fixture(autouse=True)
def _clear_sent():
    SENT.clear()


def _village():
    return db.session.scalar(select(Region).where(Region.code == "360302102200"))


def test_an_event_is_told_once_per_user_however_often_it_is_raised(app, make_user):
    user = make_user("cadre")
    for _ in range(2):
        notifications.notify([user.id, user.id], "need.claimed", "您村的微心愿已被认领",
                             obj=_village())
    db.session.commit()
    assert len(db.session.scalars(select(Notification)).all()) == 1
    assert notifications.unread_count(user.id) == 1


def test_the_outbox_is_drained_through_the_gateway_by_a_job(app, make_user):
    user = make_user("cadre")
    notifications.notify([user.id], "need.claimed", "您村的微心愿已被认领", link="/wishes")
    db.session.commit()
    record = enqueue("deliver_outbox")
    assert record.status == JobStatus.FINISHED and record.result == {"sent": 1, "failed": 0}
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.SENT and message.provider_id == f"provider-outbox-{message.id}"
    assert [m.title for m in SENT] == ["您村的微心愿已被认领"]
    assert enqueue("deliver_outbox").result == {"sent": 0, "failed": 0}


def test_a_failing_gateway_leaves_the_message_to_retry(app, make_user):
    app.config["TEST_GATEWAY_FAILS"] = True
    user = make_user("cadre")
    notifications.notify([user.id], "claim.due_soon", "认领即将到期")
    db.session.commit()
    assert notifications.deliver_outbox() == {"sent": 0, "failed": 1}
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.FAILED and message.attempts == 1
    app.config["TEST_GATEWAY_FAILS"] = False
    assert notifications.deliver_outbox() == {"sent": 1, "failed": 0}


def test_inbox_api_lists_only_my_notifications_and_marks_them_read(client, app, make_user,
                                                                   bearer):
    headers = bearer("cadre", username="me-cadre")
    me = db.session.scalar(select(User).where(User.username == "me-cadre"))
    other = make_user("cadre")
    notifications.notify([me.id], "record.verified", "记录已核实")
    notifications.notify([other.id], "record.verified", "别人的消息")
    db.session.commit()
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert [item["title"] for item in body["items"]] == ["记录已核实"] and body["total"] == 1
    mine, theirs = (db.session.scalar(select(Notification.id).where(Notification.user_id == u))
                    for u in (me.id, other.id))
    assert client.post(f"/api/v1/notifications/{theirs}/read", headers=headers).status_code == 404
    assert client.post(f"/api/v1/notifications/{mine}/read", headers=headers).get_json() == {
        "read": 1}
    assert client.get("/api/v1/notifications?unread=1", headers=headers).get_json()["total"] == 0


def test_inbox_api_needs_a_login(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_inbox_page_shows_the_unread_badge_and_reads_all(client, login_as):
    user = login_as("organizer")
    notifications.notify([user.id], "match.proposed", "有新的对接推荐")
    db.session.commit()
    html = client.get("/inbox/").get_data(as_text=True)
    assert "有新的对接推荐" in html and '<span class="badge">1</span>' in html
    client.post("/inbox/read-all")
    assert '<span class="badge">' not in client.get("/inbox/").get_data(as_text=True)
