"""The cadre's verification queue: what must be judged is on the page, and cadres are told."""
from datetime import date, timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.models import Household, Need
from tests.api.market import hold_need
from tests.api.test_records import activity_body, build_world
from tests.api.test_records_deliveries import hire, make_offer
from tests.conftest import VILLAGE, valid_id_number


@pytest.fixture
def world(app, bearer, make_household):
    return build_world(bearer, make_household)


def hire_through_a_claim(client, world):
    """The head hired to a job offer through the job need the organization claimed."""
    offer = make_offer(world, capacity=2)
    need = Need(household_id=world.home.id, village_id=world.home.village_id, kind="job",
                category="factory", title="包装工岗位", member_id=world.home.members[0].id)
    db.session.add(need)
    db.session.commit()
    claimed = client.post(f"/api/v1/needs/{need.id}/claim", json={"offer_id": offer.id},
                          headers=world.organizer)
    assert claimed.status_code == 200, claimed.get_json()
    return hire(client, world, offer, need_id=need.id)


def record_all(client, world) -> dict[str, int]:
    """One pending record of each kind that names people, through the API as an organizer."""
    late = (date.today() - timedelta(days=45)).isoformat()
    activity = client.post("/api/v1/activities", headers=world.organizer, json=activity_body(
        world, date=late, note="雨天改在村部活动室",
        hours=[{"volunteer_id": world.ours.volunteers[0].id, "hours": 3},
               {"volunteer_id": world.ours.volunteers[1].id, "hours": 2.5}]))
    hold_need(world.ours.org.id, world.home, "goods")  # a donation goes through a held need
    donation = client.post("/api/v1/donations", headers=world.organizer, json={
        "village_code": VILLAGE, "date": date.today().isoformat(), "note": "入户发放",
        "goods": [{"item": "棉被", "unit": "床", "quantity": 20, "value_yuan": 3000}],
        "household_ids": [world.home.id]})
    placement = hire_through_a_claim(client, world)
    made = {"activity": activity, "donation": donation, "placement": placement}
    for kind, response in made.items():
        assert response.status_code == 201, (kind, response.get_json())
    return {kind: response.get_json()["id"] for kind, response in made.items()}


def row_of(page: str, kind: str, record_id: int) -> str:
    return page.split(f'data-record="{kind}-{record_id}"')[1].split("</tr>")[0]


def test_the_queue_shows_volunteers_people_goods_note_and_the_late_flag(client, world,
                                                                        login_as):
    ids = record_all(client, world)
    login_as("cadre")
    page = client.get("/cadre/verification").get_data(as_text=True)
    household = db.session.get(Household, world.home.id)
    child, head = household.members[1].name, household.members[0].name
    volunteers = [v.name for v in world.ours.volunteers]
    activity = row_of(page, "activity", ids["activity"])
    assert f"{volunteers[0]} 3小时" in activity and f"{volunteers[1]} 2.5小时" in activity
    assert f"{child}(户 {household.code})" in activity and "雨天改在村部活动室" in activity
    assert "补录" in activity and "另有未登记的受益人 2 人" in activity
    donation = row_of(page, "donation", ids["donation"])
    assert "棉被 20床" in donation and f"{household.head_name}(户 {household.code})" in donation
    assert "入户发放" in donation and "补录" not in donation
    placement = row_of(page, "placement", ids["placement"])
    assert f"{head}(户 {household.code})" in placement and "岗位:包装工" in placement
    assert "包装工岗位" in placement  # the job need it meets
    assert valid_id_number("20160909", 301) not in page  # the child's, as build_world made it
    assert "20160909" not in page


def test_the_places_cadres_are_told_once_of_each_record_waiting(client, world, bearer):
    ids = record_all(client, world)
    for headers, expected in ((world.cadre, 3), (world.township_cadre, 3),
                              (world.other_cadre, 0)):
        inbox = client.get("/api/v1/notifications", headers=headers).get_json()["items"]
        waiting = [n for n in inbox if n["kind"] == "record.pending"]
        assert len(waiting) == expected
    inbox = client.get("/api/v1/notifications", headers=world.cadre).get_json()["items"]
    titles = {n["title"] for n in inbox if n["kind"] == "record.pending"}
    assert any("活动记录待核实(补录)" in title for title in titles)
    assert any(title.startswith("有就业记录待核实") for title in titles)
    links = {n["link"] for n in inbox if n["kind"] == "record.pending"}
    assert links == {"/cadre/verification"} and len(ids) == 3
