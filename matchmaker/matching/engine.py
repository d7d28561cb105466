"""propose(): candidates, scores, pruning and assignment, from Needs and Offers to Proposals.

Pure: no Flask, no database. The same input gives the same proposals (ties go to lower ids).
Its settings come from the caller (services.match_runs reads them from the app's config);
called without, it takes config.MATCHING, where the defaults are written once.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.assignment import SCORE_SCALE, Arcs, assign
from matchmaker.config import MATCHING
from matchmaker.matching.candidates import Candidates, find_candidates
from matchmaker.matching.scoring import components, scores, weights_from
from matchmaker.matching.types import Needs, Offers, Proposals


@dataclass(frozen=True)
class Settings:
    """The engine's knobs: the app config's MATCH_* keys, passed in by the caller.

    max_offers_per_need keeps, for each need, only its best-scoring candidate offers: the
    assignment is exact over that pruned set, which bounds the solver's size at a province's
    scale (a million needs). exact_max_arcs is the size up to which a component with
    quantity- or money-measured pairs is solved exactly (see assignment.py).
    """

    weights: dict[str, float]
    default_radius_km: float
    max_offers_per_need: int
    exact_max_arcs: int

    @classmethod
    def from_config(cls, config: Mapping) -> Settings:
        """From a configuration; keys it lacks take their value from config.MATCHING."""
        config = {**MATCHING, **config}
        return cls(weights=weights_from(config.get("MATCH_WEIGHTS")),
                   default_radius_km=float(config["MATCH_DEFAULT_RADIUS_KM"]),
                   max_offers_per_need=int(config["MATCH_MAX_OFFERS_PER_NEED"]),
                   exact_max_arcs=int(config["MATCH_EXACT_MAX_ARCS"]))


def propose(needs: Needs, offers: Offers, today: int, settings: Settings | None = None,
            excluded: np.ndarray | None = None) -> Proposals:
    """The best set of proposals for these needs and offers on day `today` (an ordinal).

    `excluded` holds candidates.pair_keys of pairs never to propose (they exist already).
    """
    settings = settings or Settings.from_config({})
    started = time.perf_counter()
    pairs = find_candidates(needs, offers, today, settings.default_radius_km, excluded)
    found = len(pairs)
    score = scores(needs, offers, pairs, settings.weights, settings.default_radius_km)
    keep = best_per_need(pairs.need, pairs.offer, score, settings.max_offers_per_need,
                         len(offers))
    pairs, score = pairs.take(keep), score[keep]
    picked = time.perf_counter()
    gain = np.maximum(1, np.rint(score * SCORE_SCALE)).astype(np.int64)
    chosen, stats = assign(Arcs(pairs.need, pairs.offer, pairs.units, gain), offers.capacity,
                           settings.exact_max_arcs)
    solved = time.perf_counter()
    stats.update(candidates=found, kept_candidates=len(pairs),
                 timings={"candidates": picked - started, "solve": solved - picked})
    return _proposals(needs, offers, pairs.take(chosen), score[chosen], settings, stats)


def best_per_need(need: np.ndarray, offer: np.ndarray, score: np.ndarray, limit: int,
                  offers: int) -> np.ndarray:
    """Positions of each need's `limit` best-scoring pairs (ties: the lower offer id), in
    (need id, offer id) order. Needs and offers are numbered in id order, so one argsort of
    a packed int64 key (need, descending score, offer) ranks forty million pairs in seconds.
    """
    if not len(need):
        return np.zeros(0, dtype=np.int64)
    offer_bits, need_bits = int(offers).bit_length(), int(need.max() + 1).bit_length()
    score_bits = 62 - offer_bits - need_bits
    top = max(float(score.max()), 1e-12)
    inverse = np.rint((1.0 - score / top) * (2 ** score_bits - 1)).astype(np.int64)
    order = np.argsort((need.astype(np.int64) << (score_bits + offer_bits))
                       | (inverse << offer_bits) | offer)
    sorted_need = need[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_need[1:] != sorted_need[:-1]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    kept = order[np.arange(len(order)) - starts < limit]
    return kept[np.argsort((need[kept].astype(np.int64) << offer_bits) | offer[kept])]


def _proposals(needs: Needs, offers: Offers, pairs: Candidates, score: np.ndarray,
               settings: Settings, stats: dict) -> Proposals:
    return Proposals(
        need_id=needs.id[pairs.need], offer_id=offers.id[pairs.offer], units=pairs.units,
        score=score, distance_km=pairs.distance_km,
        components=components(needs, offers, pairs, settings.weights,
                              settings.default_radius_km),
        need_index=pairs.need, offer_index=pairs.offer, stats=stats)
