"""Candidate pairs: the spatial index finds exactly what a naive all-pairs check finds."""
from __future__ import annotations

import math
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.geo import haversine_km
from matchmaker.matching.candidates import find_candidates, pair_keys
from matchmaker.matching.types import NO_DATE, needs_from_rows, offers_from_rows
from matchmaker.vocabularies import FITS

TODAY = date(2024, 6, 1)
CATEGORIES = ("study", "daily_life", "tutoring")
VILLAGES = [(28.0 + 0.05 * i, 115.0 + 0.07 * (i % 3)) for i in range(6)]


def need(id, village=0, kind="service", category="tutoring", **extra) -> dict:
    lat, lon = VILLAGES[village]
    return {"id": id, "lat": lat, "lon": lon, "kind": kind, "category": category, **extra}


def offer(id, kind="service", category="tutoring", capacity=5, lat=28.0, lon=115.0,
          **extra) -> dict:
    return {"id": id, "lat": lat, "lon": lon, "kind": kind, "category": category,
            "capacity": capacity, **extra}


def pairs(needs: list[dict], offers: list[dict], **kwargs) -> set[tuple[int, int]]:
    n, o = needs_from_rows(needs), offers_from_rows(offers)
    found = find_candidates(n, o, TODAY.toordinal(), **kwargs)
    return set(zip(n.id[found.need].tolist(), o.id[found.offer].tolist()))


def test_service_pairs_need_the_same_category_and_the_radius():
    found = pairs([need(1), need(2, category="medical"), need(3, village=5)],
                  [offer(10, radius_km=10.0)])
    assert found == {(1, 10)}


def test_a_wish_is_served_by_an_adoption_within_its_cap_or_by_goods_of_its_category():
    wishes = [need(1, kind="wish", category="study", amount_yuan=120.0),
              need(2, kind="wish", category="study", amount_yuan=800.0),
              need(3, kind="wish", category="clothing")]
    found = pairs(wishes, [offer(10, "wish_adoption", "study", per_wish_cap_yuan=500.0),
                           offer(11, "goods", "study")])
    assert found == {(1, 10), (1, 11), (2, 11)}


def test_funds_and_jobs_match_any_category_and_jobs_only_members_who_can_work():
    needs = [need(1, kind="funds", category="health", amount_yuan=300.0),
             need(2, kind="funds", category="study"),  # no amount: nothing to measure
             need(3, kind="job", category="factory", member_age=35.0, labour="strong"),
             need(4, kind="job", category="factory", member_age=70.0, labour="strong"),
             need(5, kind="job", category="factory", member_age=40.0, labour="lost")]
    found = pairs(needs, [offer(10, "funds", "study", capacity=1000),
                          offer(11, "job", "construction", capacity=2)])
    assert found == {(1, 10), (3, 11)}


def test_dates_capacity_and_excluded_pairs_leave_pairs_out():
    needs = [need(1, kind="goods", category="study", quantity=3.0),
             need(2, kind="goods", category="study", quantity=9.0),
             need(3, kind="goods", category="study", deadline=date(2024, 5, 1)),
             need(4, kind="goods", category="study", deadline=date(2024, 6, 10))]
    offers = [offer(10, "goods", "study", capacity=5),
              offer(11, "goods", "study", capacity=50, available_from=date(2024, 7, 1)),
              offer(12, "goods", "study", capacity=50, available_until=date(2024, 5, 31))]
    assert pairs(needs, offers) == {(1, 10), (4, 10), (1, 11), (2, 11)}
    assert pairs(needs, offers, excluded=pair_keys([1], [10])) == {(4, 10), (1, 11), (2, 11)}


def test_an_offer_without_radius_reaches_the_default_radius():
    far = need(1, village=5)  # about 29 km from the offer
    assert pairs([far], [offer(10)], default_radius_km=50.0) == {(1, 10)}
    assert pairs([far], [offer(10)], default_radius_km=20.0) == set()


@st.composite
def worlds(draw):
    kinds = st.sampled_from(["service", "goods", "wish", "funds"])
    needs = [need(i, village=draw(st.integers(0, 5)), kind=draw(kinds),
                  category=draw(st.sampled_from(CATEGORIES)),
                  quantity=float(draw(st.integers(1, 4))),
                  amount_yuan=float(draw(st.integers(1, 600)))) for i in range(1, 9)]
    offers = [offer(100 + j, kind=draw(st.sampled_from(["service", "goods", "wish_adoption",
                                                         "funds"])),
                    category=draw(st.sampled_from(CATEGORIES)),
                    capacity=draw(st.integers(0, 600)),
                    lat=28.0 + draw(st.floats(0, 0.3)), lon=115.0 + draw(st.floats(0, 0.2)),
                    radius_km=draw(st.sampled_from([math.nan, 3.0, 12.0, 25.0])),
                    per_wish_cap_yuan=draw(st.sampled_from([math.nan, 300.0])))
              for j in range(draw(st.integers(1, 5)))]
    return needs, offers


def naive(needs: list[dict], offers: list[dict], default_km: float) -> set[tuple[int, int]]:
    """Every pair, checked one by one with haversine (the reference for the k-d tree)."""
    found = set()
    for n in needs:
        for o in offers:
            radius = default_km if math.isnan(o["radius_km"]) else o["radius_km"]
            if haversine_km(n["lat"], n["lon"], o["lat"], o["lon"]) > radius + 1e-6:
                continue
            if o["kind"] not in FITS[n["kind"]]:
                continue
            if n["kind"] != "funds" and n["category"] != o["category"]:
                continue
            units = {"service": 1, "wish_adoption": 1, "goods": math.ceil(n["quantity"]),
                     "funds": math.ceil(n["amount_yuan"])}[o["kind"]]
            over_cap = o["kind"] == "wish_adoption" and n["amount_yuan"] > o["per_wish_cap_yuan"]
            if units <= o["capacity"] and not over_cap:
                found.add((n["id"], o["id"]))
    return found


@settings(max_examples=200, deadline=None, database=None)
@given(worlds())
def test_the_spatial_index_finds_what_checking_every_pair_finds(world):
    needs, offers = world
    assert pairs(needs, offers, default_radius_km=20.0) == naive(needs, offers, 20.0)


def test_candidates_carry_their_great_circle_distance():
    n = needs_from_rows([need(2), need(1, village=1)])
    o = offers_from_rows([offer(11), offer(10)])
    found = find_candidates(n, o, TODAY.toordinal())
    assert len(found) == 4
    for need_index, offer_index, km in zip(found.need, found.offer, found.distance_km):
        expected = haversine_km(n.lat[need_index], n.lon[need_index], o.lat[offer_index],
                                o.lon[offer_index])
        assert np.isclose(km, expected)
    assert n.deadline[0] == NO_DATE
