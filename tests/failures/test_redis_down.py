"""Redis down while a cadre posts a need: the post succeeds, the job record waits, and once
Redis is back the reconciler resubmits it and a real worker runs it."""
import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from matchmaker import jobs
from matchmaker.extensions import db
from matchmaker.models import JobRecord, Need, Notification, Organization, User
from tests.api.market import make_offer
from tests.conftest import VILLAGE
from tests.failures.conftest import burst, closed_redis_url

pytestmark = pytest.mark.redis
NEED = {"kind": "service", "category": "tutoring", "title": "周末课业辅导"}


@pytest.fixture
def organizer(make_user, app):
    """An organizer whose organization has an open tutoring offer reaching the village."""
    from matchmaker.services.regions import region_by_code

    org = Organization(name="赣能电力公司", kind="enterprise",
                       region_id=region_by_code(VILLAGE).id)
    db.session.add(org)
    db.session.commit()
    make_offer(org)
    user = make_user("organizer")
    user.organization_id = org.id
    db.session.commit()
    return user


def announce_jobs() -> list[JobRecord]:
    return list(db.session.scalars(select(JobRecord).where(JobRecord.kind == "announce_need")
                                   .order_by(JobRecord.id)))


def told(user: User) -> list[str]:
    return list(db.session.scalars(select(Notification.body).where(
        Notification.user_id == user.id, Notification.kind == "need.posted")
        .order_by(Notification.id)))


def test_needs_posted_while_redis_is_down_are_announced_once_redis_is_back(
        app, client, bearer, login_as, make_household, organizer, redis_url):
    household = make_household()
    app.config["REDIS_URL"] = closed_redis_url()
    by_api = client.post("/api/v1/needs", json={**NEED, "household_id": household.id},
                         headers=bearer("cadre"))
    assert by_api.status_code == 201, by_api.get_json()
    assert by_api.get_json()["status"] == "open"
    login_as("cadre")
    by_page = client.post(f"/cadre/households/{household.id}/needs/new",
                          data={**NEED, "title": "旧房修缮", "category": "tutoring",
                                "household_id": household.id})
    assert by_page.status_code == 302 and by_page.location.endswith("/cadre/needs")
    assert set(db.session.scalars(select(Need.title))) == {"周末课业辅导", "旧房修缮"}
    records = announce_jobs()
    assert [r.status for r in records] == ["queued", "queued"]
    assert all(r.enqueued_at is not None for r in records)
    assert Queue("default", connection=Redis.from_url(redis_url)).count == 0
    assert told(organizer) == []

    app.config["REDIS_URL"] = redis_url
    assert jobs.reconcile(stale_minutes=0) == [r.id for r in records]
    assert Queue("default", connection=Redis.from_url(redis_url)).count == 2
    done = burst(app, redis_url)
    db.session.expire_all()
    assert [(r.status, r.attempts) for r in records] == [("finished", 1)] * 2, (
        [r.error for r in records], done.stderr[-3000:])
    assert [r.result["told"] for r in records] == [1, 1]
    assert told(organizer) == ["五陂村:周末课业辅导", "五陂村:旧房修缮"]
    assert jobs.reconcile(stale_minutes=0) == []  # nothing left over to run twice
