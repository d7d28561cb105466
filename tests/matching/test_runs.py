"""Match runs on SQLite and PostgreSQL: what is loaded, persisted, skipped and expired."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.geo import geodesic_km
from matchmaker.services.market import match_runs as runs
from matchmaker.models import (
    Branch, Claim, Match, MatchRun, Need, Offer, Organization, Region, Team,
)
from matchmaker.models.base import utcnow
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE


class Market:
    """Builders of needs and offers straight on the models, around one household."""

    def __init__(self, household):
        self.household = household
        self.village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
        self.org = Organization(name="赣鄱建材有限公司", kind="enterprise",
                                region_id=self.village.id)
        db.session.add(self.org)
        db.session.flush()
        branch = Branch(organization_id=self.org.id, name="党支部", level="branch",
                        formation="standalone")
        db.session.add(branch)
        db.session.flush()
        self.team = Team(branch_id=branch.id, name="青年志愿服务队", categories=["tutoring"],
                         region_id=self.village.id, lat=27.59, lon=113.90)
        db.session.add(self.team)
        db.session.commit()

    def need(self, household=None, kind="service", **fields) -> Need:
        household = household or self.household
        values = {"category": "tutoring", "title": "周末课业辅导", "status": "open", **fields}
        need = Need(household_id=household.id, village_id=household.village_id, kind=kind,
                    **values)
        db.session.add(need)
        db.session.commit()
        return need

    def offer(self, kind="service", capacity=5, **fields) -> Offer:
        values = {"category": "tutoring", "title": "大学生暑期支教", "team_id": self.team.id,
                  "region_id": self.village.id, "radius_km": 20.0, **fields}
        offer = Offer(organization_id=self.org.id, kind=kind, capacity=capacity,
                      capacity_used=0, **values)
        db.session.add(offer)
        db.session.commit()
        return offer


@pytest.fixture
def market(app, make_household):
    return Market(make_household())


def run(region_id=None) -> MatchRun:
    made = runs.create_run(region_id)
    db.session.commit()
    runs.execute_run(made.id)
    db.session.expire_all()
    return db.session.get(MatchRun, made.id)


def matches() -> list[Match]:
    return list(db.session.scalars(select(Match).order_by(Match.id)))


def test_a_run_proposes_and_records_counts_timings_and_reasons(market):
    need = market.need()
    offer = market.offer()
    finished = run()
    assert finished.status == "finished" and finished.started_at and finished.finished_at
    assert (finished.needs_considered, finished.offers_considered, finished.proposals) == (1, 1, 1)
    assert set(finished.timings) == {"load", "candidates", "solve", "persist"}
    [match] = matches()
    assert (match.need_id, match.offer_id, match.run_id) == (need.id, offer.id, finished.id)
    assert match.status == "proposed" and match.quantity == 1
    assert match.expires_at - match.created_at == timedelta(days=14)
    assert match.distance_km == pytest.approx(geodesic_km((27.588, 113.903), (27.59, 113.90)),
                                              abs=1e-3)
    assert [r["code"] for r in match.reasons][0] == "distance"
    assert match.reasons[0]["label"] == f"距离 {match.distance_km:.1f} 公里"
    assert sum(r["value"] for r in match.reasons) == pytest.approx(match.score, abs=1e-3)
    assert finished.total_score == pytest.approx(match.score)


def test_running_again_proposes_nothing_twice(market):
    market.need()
    market.offer()
    run()
    again = run()
    assert again.proposals == 0 and len(matches()) == 1


def test_a_declined_pair_is_never_proposed_again_but_another_offer_may_be(market):
    need = market.need()
    first = market.offer()
    run()
    [match] = matches()
    match.status = "declined"
    db.session.commit()
    second = market.offer()
    run()
    assert [(m.need_id, m.offer_id) for m in matches()] == [(need.id, first.id),
                                                            (need.id, second.id)]


def test_claimed_needs_and_needs_with_a_live_match_are_left_alone(market):
    claimed = market.need()
    db.session.add(Claim(need_id=claimed.id, organization_id=market.org.id, status="active",
                         claimed_at=utcnow(), due_at=utcnow() + timedelta(days=30)))
    market.need(status="claimed")
    market.offer(capacity=5)
    db.session.commit()
    assert run().proposals == 0


def test_proposed_matches_reserve_the_offer_capacity_for_later_runs(market):
    market.need()
    offer = market.offer(capacity=1)
    run()
    market.need()
    assert run().proposals == 0
    assert db.session.get(Offer, offer.id).capacity_used == 0  # only accepting draws on it


def test_quantities_and_money_are_taken_whole_within_capacity(market):
    goods = market.need(kind="goods", category="clothing", title="棉被", quantity=3)
    market.need(kind="goods", category="clothing", title="棉被", quantity=4)
    funds = market.need(kind="funds", category="study", title="学费", amount_yuan=800)
    market.offer(kind="goods", category="clothing", title="棉被", capacity=5)
    market.offer(kind="funds", category="study", title="助学金", capacity=1000)
    run()
    taken = {m.need_id: m.quantity for m in matches()}
    assert taken[funds.id] == 800
    assert sum(q for need_id, q in taken.items() if need_id != funds.id) <= 5
    assert goods.id in taken or len(taken) == 2


def test_a_region_run_takes_only_the_needs_and_offers_within_it(market, make_household):
    market.need()
    elsewhere = make_household(village=OTHER_VILLAGE)
    market.need(household=elsewhere)
    market.offer()
    village = db.session.scalar(select(Region.id).where(Region.code == VILLAGE))
    finished = run(village)
    assert finished.needs_considered == 1 and finished.proposals == 1


def test_needs_past_their_deadline_and_offers_not_yet_available_are_not_matched(market):
    market.need(deadline=date.today() - timedelta(days=1))
    market.need(deadline=date.today() + timedelta(days=5))
    market.offer(available_from=date.today() + timedelta(days=30))
    assert run().proposals == 0


def test_a_run_that_is_not_queued_is_left_as_it_is(market):
    finished = run()
    runs.execute_run(finished.id)
    assert db.session.get(MatchRun, finished.id).status == "finished"


def test_a_failing_run_is_marked_failed(market, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs, "propose", broken)
    made = runs.create_run()
    db.session.commit()
    with pytest.raises(RuntimeError):
        runs.execute_run(made.id)
    db.session.expire_all()
    assert db.session.get(MatchRun, made.id).status == "failed"


def test_proposals_past_their_expiry_expire(market):
    market.need()
    market.offer()
    run()
    assert runs.expire_proposals(utcnow()) == 0
    assert runs.expire_proposals(utcnow() + timedelta(days=15)) == 1
    db.session.commit()
    assert matches()[0].status == "expired"


def test_county_ids_for_a_region_lists_its_counties(app):
    county = db.session.scalar(select(Region).where(Region.code == "360302000000"))
    township = db.session.scalar(select(Region.id).where(Region.code == TOWNSHIP))
    city = db.session.get(Region, county.parent_id)
    assert county.id in runs.county_ids_for(city.id)
    assert all(db.session.get(Region, i).level == "county" for i in runs.county_ids_for(city.id))
    assert runs.county_ids_for(county.id) == [county.id]
    assert runs.county_ids_for(township) == [township]


@pytest.mark.parametrize("app_config", [{"MATCH_PROPOSAL_DAYS": 3,
                                         "MATCH_WEIGHTS": {"distance": 0.0}}])
def test_proposal_days_and_weights_come_from_the_configuration(market):
    market.need()
    market.offer()
    run()
    [match] = matches()
    assert match.expires_at - match.created_at == timedelta(days=3)
    assert match.reasons[0] == {"code": "distance", "value": 0.0,
                                "label": f"距离 {match.distance_km:.1f} 公里"}


def test_loading_counts_vulnerable_members_and_recent_help(market, make_household):
    from matchmaker.services.market import match_loading as loading

    household = make_household(members=[
        {"name": "赵奶奶", "relation": "parent", "birth_date": date(1950, 3, 1), "gender": "female"},
        {"name": "赵小明", "relation": "child", "birth_date": date(2015, 9, 1), "gender": "male"}])
    helped = market.need(household=household)
    offer = market.offer()
    db.session.add(Match(need_id=helped.id, offer_id=offer.id, score=0.5, status="accepted",
                         created_at=utcnow(), decided_at=utcnow()))
    waiting = market.need(household=household)
    db.session.commit()
    now = utcnow()
    needs = loading.load_needs(None, now.date(), loading.fairness_start(now, 6))
    [position] = [i for i, need_id in enumerate(needs.id) if need_id == waiting.id]
    # the head (born 1960, from the ID number), the grandmother and the child
    assert needs.vulnerable[position] == 3 and needs.help_count[position] == 1
    assert helped.id not in needs.id  # its match is accepted


def test_persisted_distances_are_geopy_geodesics():
    import numpy as np

    a, b = (27.588, 113.903), (28.682892, 115.858198)
    found = runs.geodesic_km(np.array([a[0]]), np.array([a[1]]), np.array([b[0]]),
                             np.array([b[1]]))
    assert found[0] == pytest.approx(geodesic_km(a, b), abs=1e-9)
