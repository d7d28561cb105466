"""Rejecting a placement always stands, even when its opening is no longer held (issue 19)."""
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Need, Placement
from tests.api.test_records import build_world
from tests.api.test_records_deliveries import hire, make_offer


@pytest.fixture
def world(app, bearer, make_household):
    return build_world(bearer, make_household)


def hired_through_a_released_claim(client, world, offer) -> int:
    """A job need claimed with the offer, the hire recorded against it, then the claim released:
    the claim took the opening and gave it back, the placement never took one of its own."""
    need = Need(household_id=world.home.id, village_id=world.home.village_id, kind="job",
                category="factory", title="包装工岗位", member_id=world.home.members[0].id)
    db.session.add(need)
    db.session.commit()
    claim = client.post(f"/api/v1/needs/{need.id}/claim", json={"offer_id": offer.id},
                        headers=world.organizer).get_json()
    placement_id = hire(client, world, offer, need_id=need.id).get_json()["id"]
    released = client.post(f"/api/v1/claims/{claim['claim_id']}/release",
                           json={"reason": "岗位调整"}, headers=world.organizer)
    assert released.status_code == 200, released.get_json()
    return placement_id


def test_a_placement_whose_claim_was_released_is_rejected_through_the_api(client, world):
    offer = make_offer(world, capacity=2)
    placement_id = hired_through_a_released_claim(client, world, offer)
    db.session.refresh(offer)
    assert offer.capacity_used == 0
    response = client.post(f"/api/v1/placements/{placement_id}/reject",
                           json={"reason": "本人未到岗"}, headers=world.cadre)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "rejected"
    db.session.refresh(offer)
    assert offer.capacity_used == 0 and offer.status == "open"


def test_the_same_placement_is_rejected_on_the_cadres_page(client, world, login_as):
    offer = make_offer(world, capacity=2)
    placement_id = hired_through_a_released_claim(client, world, offer)
    login_as("cadre")
    page = client.post(f"/cadre/records/placement/{placement_id}/reject",
                       data={"reason": "本人未到岗"}, follow_redirects=True)
    assert "已驳回" in page.get_data(as_text=True)
    assert "退回量" not in page.get_data(as_text=True)
    stored = db.session.scalar(select(Placement).where(Placement.id == placement_id))
    assert (stored.status, stored.rejection_reason) == ("rejected", "本人未到岗")
