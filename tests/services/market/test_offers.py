"""The offer lifecycle in the service: capacity used and released, exhausted, closed, expired."""
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker import jobs
from matchmaker.errors import Invalid, InvalidTransition
from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Offer, OfferStatus, Region
from matchmaker.services.market import offers
from matchmaker.services.market.offers import CapacityExhausted
from tests.conftest import TOWNSHIP


@pytest.fixture
def organizer(make_user):
    from matchmaker.services.registry import orgs

    user = make_user("organizer")
    orgs.create_organization({"name": "萍乡市星火公益服务中心", "kind": "social_org",
                              "region_code": TOWNSHIP}, user)
    db.session.commit()
    return user


def offer_of(user, **fields) -> Offer:
    data = {"kind": "goods", "category": "daily_life", "title": "冬季棉被", "quantity": 10,
            "unit": "床", **fields}
    offer = offers.create_offer(data, user)
    db.session.commit()
    return offer


def actions(offer_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "offers", AuditEvent.object_id == offer_id)
        .order_by(AuditEvent.id)))


def test_using_all_the_capacity_exhausts_the_offer(app, organizer):
    offer = offer_of(organizer)
    offers.use_capacity(offer.id, 4)
    assert (offer.capacity_used, offer.capacity_left, offer.status) == (4, 6, OfferStatus.OPEN)
    offers.use_capacity(offer.id, 6)
    assert (offer.capacity_left, offer.status) == (0, OfferStatus.EXHAUSTED)
    assert actions(offer.id) == ["offer.create", "offer.exhaust"]


def test_using_more_than_is_left_is_refused_and_changes_nothing(app, organizer):
    offer = offer_of(organizer)
    offers.use_capacity(offer.id, 8)
    with pytest.raises(CapacityExhausted):
        offers.use_capacity(offer.id, 3)
    db.session.refresh(offer)
    assert (offer.capacity_used, offer.status) == (8, OfferStatus.OPEN)


def test_an_exhausted_or_closed_offer_gives_nothing(app, organizer):
    offer = offer_of(organizer, quantity=1)
    offers.use_capacity(offer.id, 1)
    with pytest.raises(CapacityExhausted):
        offers.use_capacity(offer.id, 1)
    other = offer_of(organizer, title="大米")
    offers.close_offer(other, organizer)
    with pytest.raises(CapacityExhausted):
        offers.use_capacity(other.id, 1)


def test_releasing_capacity_reopens_an_exhausted_offer(app, organizer):
    offer = offer_of(organizer, quantity=2)
    offers.use_capacity(offer.id, 2)
    offers.release_capacity(offer.id, 1)
    assert (offer.capacity_used, offer.status) == (1, OfferStatus.OPEN)
    assert actions(offer.id) == ["offer.create", "offer.exhaust", "offer.reopen"]


def test_releasing_more_than_was_used_is_refused(app, organizer):
    offer = offer_of(organizer)
    offers.use_capacity(offer.id, 2)
    with pytest.raises(Invalid):
        offers.release_capacity(offer.id, 3)
    with pytest.raises(Invalid):
        offers.use_capacity(offer.id, 0)
    db.session.refresh(offer)
    assert offer.capacity_used == 2


def test_releasing_capacity_of_a_closed_offer_keeps_it_closed(app, organizer):
    offer = offer_of(organizer, quantity=2)
    offers.use_capacity(offer.id, 2)
    offers.close_offer(offer, organizer)
    offers.release_capacity(offer.id, 2)
    assert (offer.capacity_used, offer.status) == (0, OfferStatus.CLOSED)


def test_funds_capacity_is_counted_in_yuan(app, organizer):
    offer = offer_of(organizer, kind="funds", category="study", title="助学金", quantity=None,
                     amount_yuan=1000)
    offers.use_capacity(offer.id, 999.5)
    assert offer.capacity_left == pytest.approx(0.5)
    with pytest.raises(CapacityExhausted):
        offers.use_capacity(offer.id, 0.51)


def test_a_closed_offer_cannot_be_closed_again(app, organizer):
    offer = offer_of(organizer)
    offers.close_offer(offer, organizer)
    with pytest.raises(InvalidTransition):
        offers.close_offer(offer, organizer)


def test_offers_past_their_last_day_expire_and_others_stay(app, organizer):
    old = offer_of(organizer, title="旧棉被", available_until=date(2026, 3, 31))
    spent = offer_of(organizer, title="旧大米", quantity=1, available_until=date(2026, 3, 1))
    offers.use_capacity(spent.id, 1)
    current = offer_of(organizer, title="新棉被", available_until=date(2026, 4, 1))
    closed = offer_of(organizer, title="已关闭", available_until=date(2026, 1, 1))
    offers.close_offer(closed, organizer)
    assert offers.expire_offers(date(2026, 4, 1)) == 2
    db.session.expire_all()
    assert [o.status for o in (old, spent, current, closed)] == [
        OfferStatus.EXPIRED, OfferStatus.EXPIRED, OfferStatus.OPEN, OfferStatus.CLOSED]
    assert actions(old.id)[-1] == "offer.expire"
    assert offers.expire_offers(date(2026, 4, 1)) == 0


def test_an_offer_without_a_region_of_its_own_takes_the_organizations(app, organizer):
    offer = offer_of(organizer)
    township = db.session.scalar(select(Region).where(Region.code == TOWNSHIP))
    assert (offer.region_id, offer.lat, offer.lon) == (township.id, township.lat, township.lon)


def test_simultaneous_uses_never_overspend_the_offer(app, organizer):
    """Ten sessions take one unit each of a five-unit offer at once: exactly five succeed."""
    offer = offer_of(organizer, quantity=5)
    barrier, outcomes = threading.Barrier(10), []

    def take():
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                offers.use_capacity(offer.id, 1)
                db.session.commit()
                outcomes.append("used")
            except CapacityExhausted:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    assert sorted(outcomes) == ["refused"] * 5 + ["used"] * 5
    assert (offer.capacity_used, offer.status) == (5, OfferStatus.EXHAUSTED)


def test_the_expire_offers_job_expires_yesterdays_offers(app, organizer):
    offer = offer_of(organizer, available_until=date.today() - timedelta(days=1))
    record = jobs.enqueue("expire_offers")
    db.session.expire_all()
    assert (record.status, offer.status) == ("finished", OfferStatus.EXPIRED)
