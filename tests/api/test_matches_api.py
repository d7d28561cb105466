"""The matching API: rounds started by an admin, proposals accepted or declined by organizers."""
from datetime import timedelta

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Claim, Match, MatchRun, Need, Offer
from matchmaker.models.base import utcnow
from tests.api.market import error_code, make_need, make_offer, make_org, organizer_headers


def located_offer(org, village, **fields) -> Offer:
    return make_offer(org, region_id=village.id, lat=village.lat, lon=village.lon, radius_km=20,
                      **fields)


def start(client, headers, **body):
    response = client.post("/api/v1/match-runs", json=body, headers=headers)
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def proposals(client, headers) -> list[dict]:
    return client.get("/api/v1/matches?status=proposed", headers=headers).get_json()["items"]


def test_a_round_proposes_the_need_to_the_nearby_offer_with_reasons(
        client, bearer, organizer, household, village, org):
    need = make_need(household)
    offer = located_offer(org, village)
    admin = bearer("admin")
    started = start(client, admin)
    assert started["status"] == "finished"  # no Redis here: the job ran in-process
    run = client.get(f"/api/v1/match-runs/{started['id']}", headers=admin).get_json()
    assert run["proposals"] == 1 and run["needs_considered"] == 1
    assert set(run["timings"]) == {"load", "candidates", "solve", "persist"}

    [match] = proposals(client, organizer)
    assert (match["need_id"], match["offer_id"]) == (need.id, offer.id)
    assert match["distance_km"] == 0 and match["need_title"] == "周末课业辅导"
    labels = {reason["code"]: reason["label"] for reason in match["reasons"]}
    assert labels["distance"] == "距离 0.0 公里" and "fit" in labels
    assert "刘长根" not in str(match)  # no personal data of the household
    assert [m["id"] for m in proposals(client, bearer("cadre"))] == [match["id"]]
    assert proposals(client, organizer_headers(bearer, make_org(village, "上饶市餐饮协会"))) == []


def test_accepting_takes_the_need_and_the_offers_capacity(client, bearer, organizer, household,
                                                          village, org):
    need = make_need(household)
    offer = located_offer(org, village, capacity=2)
    start(client, bearer("admin"))
    [match] = proposals(client, organizer)
    response = client.post(f"/api/v1/matches/{match['id']}/accept", headers=organizer)
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    assert db.session.get(Need, need.id).status == "matched"
    assert db.session.get(Offer, offer.id).capacity_used == 1
    claim = db.session.scalar(select(Claim).where(Claim.need_id == need.id))
    assert claim.status == "active" and claim.offer_id == offer.id
    again = client.post(f"/api/v1/matches/{match['id']}/accept", headers=organizer)
    assert again.status_code == 409 and error_code(again) == "invalid_transition"


def test_a_need_claimed_meanwhile_cannot_be_accepted(client, bearer, organizer, household,
                                                     village, org):
    need = make_need(household)
    located_offer(org, village)
    start(client, bearer("admin"))
    [match] = proposals(client, organizer)
    rival = organizer_headers(bearer, make_org(village, "上饶市餐饮协会"))
    assert client.post(f"/api/v1/needs/{need.id}/claim", headers=rival).status_code == 200
    response = client.post(f"/api/v1/matches/{match['id']}/accept", headers=organizer)
    assert response.status_code == 409 and error_code(response) == "already_claimed"
    assert db.session.get(Match, match["id"]).status == "proposed"


def test_a_declined_pair_is_never_proposed_again_and_reruns_propose_nothing_twice(
        client, bearer, organizer, household, village, org):
    make_need(household)
    located_offer(org, village)
    admin = bearer("admin")
    start(client, admin)
    assert start(client, admin)["status"] == "finished"
    [match] = proposals(client, organizer)
    assert db.session.scalar(select(func.count()).select_from(Match)) == 1
    declined = client.post(f"/api/v1/matches/{match['id']}/decline", headers=organizer)
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    third = start(client, admin)
    assert client.get(f"/api/v1/match-runs/{third['id']}", headers=admin).get_json()[
        "proposals"] == 0


def test_an_expired_proposal_cannot_be_accepted(client, bearer, organizer, household, village,
                                                org):
    make_need(household)
    located_offer(org, village)
    start(client, bearer("admin"))
    [match] = proposals(client, organizer)
    db.session.get(Match, match["id"]).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"/api/v1/matches/{match['id']}/accept", headers=organizer)
    assert response.status_code == 409


def test_only_the_offers_organization_may_answer(client, bearer, organizer, household, village,
                                                 org):
    make_need(household)
    located_offer(org, village)
    start(client, bearer("admin"))
    [match] = proposals(client, organizer)
    rival = organizer_headers(bearer, make_org(village, "上饶市餐饮协会"))
    assert client.post(f"/api/v1/matches/{match['id']}/accept", headers=rival).status_code == 404
    assert client.post(f"/api/v1/matches/{match['id']}/accept",
                       headers=bearer("cadre")).status_code == 403


def test_a_round_over_a_city_is_split_into_one_run_per_county(client, bearer):
    admin = bearer("admin")
    started = start(client, admin, region_code="431100000000")  # 永州市: four counties
    parts = db.session.scalars(select(MatchRun).where(MatchRun.parent_id == started["id"])).all()
    assert len(parts) == 4 and all(part.status == "finished" for part in parts)
    run = client.get(f"/api/v1/match-runs/{started['id']}", headers=admin).get_json()
    assert run["counties"] == 4 and run["status"] == "finished"


def test_a_second_round_while_one_runs_is_refused(client, bearer):
    db.session.add(MatchRun(status="running", created_at=utcnow(), timings={}))
    db.session.commit()
    response = client.post("/api/v1/match-runs", json={}, headers=bearer("admin"))
    assert response.status_code == 409 and error_code(response) == "match_run_in_progress"


def test_rounds_are_for_admins_and_an_unknown_region_is_404(client, bearer, organizer):
    assert client.post("/api/v1/match-runs", json={}, headers=organizer).status_code == 403
    response = client.post("/api/v1/match-runs", json={"region_code": "999999999999"},
                           headers=bearer("admin"))
    assert response.status_code == 404



def test_the_pages_start_a_round_show_the_reasons_and_accept(client, login_as, household,
                                                             village, org):
    need = make_need(household)
    located_offer(org, village)
    login_as("admin")
    page = client.get("/admin/match-runs")
    assert page.status_code == 200 and "还没有发起过匹配" in page.text
    started = client.post("/admin/match-runs", data={"region_code": "360302000000"},
                          follow_redirects=True)
    assert "已发起第" in started.text and "已完成" in started.text and "安源区" in started.text

    client.post("/logout")
    login_as("cadre")
    cadre = client.get("/cadre/matches")
    assert "周末课业辅导" in cadre.text and "距离 0.0 公里" in cadre.text

    client.post("/logout")
    organizer = login_as("organizer")
    organizer.organization_id = org.id
    db.session.commit()
    workbench = client.get("/organizer/")
    assert "系统匹配建议" in workbench.text and "距离 0.0 公里" in workbench.text
    [match] = db.session.scalars(select(Match)).all()
    accepted = client.post(f"/organizer/matches/{match.id}/accept", follow_redirects=True)
    assert "已接受匹配建议" in accepted.text
    assert db.session.get(Need, need.id).status == "matched"
