"""The score of a (need, offer) pair and the reasons that explain it.

score = Σ weight[c] × term[c], every term in [0, 1]:

- ``distance``   closeness: 1 − distance / radius (the offer's, or the default radius)
- ``status``     the household's status: poor 1.0, monitored 0.8, lifted 0.4
- ``causes``     number of poverty causes, min(n, 3) / 3
- ``vulnerable`` members under 16, 60 or over, or without labour capacity, min(n, 3) / 3
- ``waiting``    days since the need was posted, min(days / 60, 1)
- ``fairness``   1 / (1 + help received in the last MATCH_FAIRNESS_MONTHS months), where help
  is an accepted match, a claim (not released) or a verified donation or placement
- ``fit``        1.0 when the offer fits exactly (same item, the team's own category, a skill
  the member has, the same purpose of funds; a wish adoption within its cap), else 0.6

The weights come from the app's MATCH_WEIGHTS (any keys given replace these defaults). With the
defaults they sum to 1, so a score lies in [0, 1]. Each proposal stores its weighted terms as
reasons, ``{"code", "value", "label"}``: the values add up to the score.
"""
from __future__ import annotations

import numpy as np

from matchmaker.labels import HOUSEHOLD_STATUS
from matchmaker.matching.candidates import Candidates, effective_radius
from matchmaker.matching.types import Needs, Offers
from matchmaker.vocabularies import JOB_CATEGORIES

DEFAULT_WEIGHTS = {"distance": 0.30, "status": 0.10, "causes": 0.10, "vulnerable": 0.10,
                   "waiting": 0.10, "fairness": 0.15, "fit": 0.15}
NEED_TERMS = ("status", "causes", "vulnerable", "waiting", "fairness")
STATUS_VALUE = {"poor": 1.0, "monitored": 0.8, "lifted": 0.4}
FULL_COUNT = 3  # causes or vulnerable members that count as the most urgent
FULL_WAIT_DAYS = 60
FIT_PARTIAL = 0.6
#: how each offer kind judges fit, and the labels of an exact and a partial fit
FIT_RULE = {"service": "team", "goods": "item", "purchase": "item", "funds": "category",
            "job": "skill", "wish_adoption": "always"}
RULES = ("team", "item", "category", "skill", "always")
FIT_LABEL = {"team": ("服务队擅长该类服务", "服务类别相符"), "item": ("物品相符", "类别相符"),
             "category": ("用途相符", "资金可用于该需求"), "skill": ("技能相符", "可胜任该岗位"),
             "always": ("在每个心愿价值上限内", "在每个心愿价值上限内")}


def weights_from(config: dict | None) -> dict[str, float]:
    """The defaults with any MATCH_WEIGHTS given in the app's configuration."""
    return {**DEFAULT_WEIGHTS, **(config or {})}


def need_terms(needs: Needs) -> dict[str, np.ndarray]:
    """The terms that depend on the need (its household) alone, each in [0, 1]."""
    status = np.array([STATUS_VALUE.get(s, 1.0) for s in needs.status], dtype=np.float64)
    return {"status": status,
            "causes": np.minimum(needs.causes, FULL_COUNT) / FULL_COUNT,
            "vulnerable": np.minimum(needs.vulnerable, FULL_COUNT) / FULL_COUNT,
            "waiting": np.minimum(needs.waiting_days / FULL_WAIT_DAYS, 1.0),
            "fairness": 1.0 / (1.0 + needs.help_count)}


def pair_terms(needs: Needs, offers: Offers, pairs: Candidates,
               default_radius_km: float) -> dict[str, np.ndarray]:
    """Closeness and fit, for each candidate pair."""
    radius = effective_radius(offers, default_radius_km)[pairs.offer]
    closeness = np.clip(1.0 - pairs.distance_km / radius, 0.0, 1.0)
    return {"distance": closeness, "fit": np.where(exact_fit(needs, offers, pairs), 1.0,
                                                   FIT_PARTIAL)}


def exact_fit(needs: Needs, offers: Offers, pairs: Candidates) -> np.ndarray:
    """True where the offer fits the need exactly, by the offer kind's FIT_RULE."""
    need, offer = pairs.need, pairs.offer
    rule = np.array([RULES.index(FIT_RULE[kind]) for kind in offers.kind], np.int8)[offer]
    item_code, need_item = _codes(offers.item, needs.item)
    category_code, need_category = _codes(offers.category, needs.category)
    bit = np.array([JOB_CATEGORIES.index(c) if c in JOB_CATEGORIES else 63
                    for c in offers.category], dtype=np.int64)[offer]
    return np.select(
        [rule == RULES.index("team"), rule == RULES.index("item"),
         rule == RULES.index("category"), rule == RULES.index("skill")],
        [offers.team_covers_category[offer], need_item[need] == item_code[offer],
         need_category[need] == category_code[offer],
         ((needs.skill_mask[need] >> bit) & 1).astype(bool)],
        default=True)


def _codes(offer_values: np.ndarray, need_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of strings, for comparing millions of pairs: a need's value unknown to
    every offer gets −1, which no offer has."""
    vocabulary = {value: i for i, value in enumerate(dict.fromkeys(offer_values.tolist()))}
    return (np.array([vocabulary[v] for v in offer_values.tolist()], dtype=np.int32),
            np.array([vocabulary.get(v, -1) for v in need_values.tolist()], dtype=np.int32))


def scores(needs: Needs, offers: Offers, pairs: Candidates, weights: dict[str, float],
           default_radius_km: float) -> np.ndarray:
    """The total score of each pair (without keeping the terms of millions of pairs)."""
    per_need = sum(weights[name] * term for name, term in need_terms(needs).items())
    total = np.asarray(per_need, dtype=np.float64)[pairs.need]
    for name, term in pair_terms(needs, offers, pairs, default_radius_km).items():
        total += weights[name] * term
    return total


def components(needs: Needs, offers: Offers, pairs: Candidates, weights: dict[str, float],
               default_radius_km: float) -> dict[str, np.ndarray]:
    """The weighted terms of each pair: they add up to its score."""
    terms = {name: term[pairs.need] for name, term in need_terms(needs).items()}
    terms.update(pair_terms(needs, offers, pairs, default_radius_km))
    return {name: weights[name] * terms[name] for name in DEFAULT_WEIGHTS}


def reasons(needs: Needs, offers: Offers, need: int, offer: int, values: dict[str, float],
            exact: bool, distance_km: float, fairness_months: int) -> list[dict]:
    """The reasons of one proposal: each component's code, weighted value and Chinese label."""
    rule = FIT_RULE[offers.kind[offer]]
    help_count = int(needs.help_count[need])
    labels = {
        "distance": f"距离 {distance_km:.1f} 公里",
        "status": HOUSEHOLD_STATUS.get(needs.status[need], needs.status[need]),
        "causes": f"致贫原因 {int(needs.causes[need])} 项",
        "vulnerable": f"老幼病残成员 {int(needs.vulnerable[need])} 人",
        "waiting": f"已等待 {int(needs.waiting_days[need])} 天",
        "fairness": (f"近 {fairness_months} 个月已获帮扶 {help_count} 次" if help_count
                     else f"近 {fairness_months} 个月未获帮扶"),
        "fit": FIT_LABEL[rule][0 if exact else 1],
    }
    return [{"code": code, "value": round(float(values[code]), 4), "label": labels[code]}
            for code in DEFAULT_WEIGHTS]

