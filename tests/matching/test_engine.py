"""propose(): scores, reasons, pruning and determinism of the whole engine, without the app."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from matchmaker.matching.candidates import find_candidates
from matchmaker.matching.engine import Settings, best_per_need, propose
from matchmaker.matching.scoring import DEFAULT_WEIGHTS, exact_fit, reasons, weights_from
from matchmaker.matching.types import needs_from_rows, offers_from_rows

TODAY = date(2024, 6, 1).toordinal()


def need(id, lat=28.0, **extra) -> dict:
    return {"id": id, "lat": lat, "lon": 115.0, "kind": "service", "category": "tutoring",
            **extra}


def offer(id, capacity=1, **extra) -> dict:
    return {"id": id, "lat": 28.0, "lon": 115.0, "kind": "service", "category": "tutoring",
            "capacity": capacity, "radius_km": 30.0, **extra}


def test_default_weights_sum_to_one_and_config_replaces_some():
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    weights = weights_from({"distance": 0.5})
    assert weights["distance"] == 0.5 and weights["fit"] == DEFAULT_WEIGHTS["fit"]
    settings = Settings.from_config({"MATCH_WEIGHTS": {"fairness": 0.4},
                                     "MATCH_DEFAULT_RADIUS_KM": 20})
    assert settings.weights["fairness"] == 0.4 and settings.default_radius_km == 20.0


def test_the_more_urgent_household_gets_the_only_place():
    needs = needs_from_rows([need(1, status="lifted", causes=1, waiting_days=3),
                             need(2, status="poor", causes=3, vulnerable=2, waiting_days=40)])
    proposals = propose(needs, offers_from_rows([offer(10)]), TODAY)
    assert proposals.need_id.tolist() == [2]


def test_help_already_received_counts_against_a_household():
    needs = needs_from_rows([need(1, help_count=2), need(2, help_count=0)])
    proposals = propose(needs, offers_from_rows([offer(10)]), TODAY)
    assert proposals.need_id.tolist() == [2]


def test_the_nearer_offer_is_proposed_and_the_components_add_up_to_the_score():
    needs = needs_from_rows([need(1)])
    offers = offers_from_rows([offer(10, lat=28.2), offer(11, lat=28.05)])
    proposals = propose(needs, offers, TODAY)
    assert proposals.offer_id.tolist() == [11]
    total = sum(values[0] for values in proposals.components.values())
    assert total == pytest.approx(proposals.score[0])


def test_reasons_carry_codes_values_and_chinese_labels():
    needs = needs_from_rows([need(1, causes=2, vulnerable=1, waiting_days=12, help_count=1)])
    offers = offers_from_rows([offer(10, lat=28.1, team_covers_category=True)])
    proposals = propose(needs, offers, TODAY)
    values = {code: float(v[0]) for code, v in proposals.components.items()}
    listed = reasons(needs, offers, 0, 0, values, True, 11.06, 6)
    labels = {r["code"]: r["label"] for r in listed}
    assert [r["code"] for r in listed] == list(DEFAULT_WEIGHTS)
    assert labels["distance"] == "距离 11.1 公里"
    assert labels["status"] == "贫困户"
    assert labels["causes"] == "致贫原因 2 项"
    assert labels["waiting"] == "已等待 12 天"
    assert labels["fairness"] == "近 6 个月已获帮扶 1 次"
    assert labels["fit"] == "服务队擅长该类服务"
    assert sum(r["value"] for r in listed) == pytest.approx(proposals.score[0], abs=1e-3)


def test_item_and_skill_decide_an_exact_fit():
    needs = needs_from_rows([need(1, kind="goods", category="clothing", item="棉被"),
                             need(2, kind="job", category="factory", skill_mask=0b10)])
    offers = offers_from_rows([offer(10, kind="goods", category="clothing", item="棉被"),
                               offer(11, kind="job", category="construction")])
    found = find_candidates(needs, offers, TODAY)
    assert exact_fit(needs, offers, found).tolist() == [True, True]


def test_each_need_keeps_only_its_best_candidates_in_need_then_offer_order():
    need_positions = np.array([1, 0, 0, 0, 1])
    offer_positions = np.array([2, 0, 1, 2, 0])
    score = np.array([0.3, 0.1, 0.9, 0.5, 0.3])
    assert best_per_need(need_positions, offer_positions, score, 2, 3).tolist() == [2, 3, 4, 0]
    # ties go to the lower offer
    assert best_per_need(need_positions, offer_positions, score, 1, 3).tolist() == [2, 4]


def test_the_same_input_gives_the_same_proposals():
    rng = np.random.default_rng(7)
    needs = needs_from_rows([need(i, lat=28 + rng.random() * 0.3, waiting_days=int(i % 5))
                             for i in range(1, 60)])
    offers = offers_from_rows([offer(100 + j, capacity=4, lat=28 + rng.random() * 0.3)
                               for j in range(8)])
    first, second = propose(needs, offers, TODAY), propose(needs, offers, TODAY)
    assert first.need_id.tolist() == second.need_id.tolist()
    assert first.offer_id.tolist() == second.offer_id.tolist()
    assert len(first) == 32  # every place is taken: 8 offers × 4
