"""The engine's settings are written once, in config.MATCHING (part of config.defaults()): the
pure engine called without the app's configuration uses the same values as a run does."""
from __future__ import annotations

import numpy as np

from matchmaker.config import MATCHING, defaults
from matchmaker.matching.assignment import Arcs, assign
from matchmaker.matching.candidates import effective_radius
from matchmaker.matching.engine import Settings


def test_the_configuration_holds_every_matching_default():
    assert MATCHING.items() <= defaults("/nowhere").items()
    assert {"MATCH_EXACT_MAX_ARCS", "MATCH_PROPOSAL_DAYS", "MATCH_FAIRNESS_MONTHS",
            "MATCH_RUN_STALE_MINUTES", "MATCH_DEFAULT_RADIUS_KM"} <= MATCHING.keys()


def test_the_engine_without_a_configuration_takes_the_configurations_defaults():
    assert Settings.from_config({}) == Settings.from_config(defaults("/nowhere"))
    assert Settings.from_config({"MATCH_EXACT_MAX_ARCS": 7}).exact_max_arcs == 7


def test_assign_without_a_threshold_solves_components_of_the_configured_size_exactly():
    """One offer and 600 goods needs (2 units each) that all fit: a component of 600 pairs,
    within MATCH_EXACT_MAX_ARCS (2000), so CP-SAT proves it optimal as a run would."""
    size = 600
    assert size < MATCHING["MATCH_EXACT_MAX_ARCS"]
    arcs = Arcs(np.arange(size, dtype=np.int64), np.zeros(size, np.int64),
                np.full(size, 2, np.int64), np.arange(1, size + 1, dtype=np.int64))
    chosen, stats = assign(arcs, np.array([2 * size], np.int64))
    assert chosen.all() and stats["varying_components"] == 1 and stats["proven_optimal"] == 1


def test_an_offer_without_a_radius_reaches_the_configured_default():
    class Offers:
        radius_km = np.array([np.nan, 12.0])

    assert effective_radius(Offers()).tolist() == [MATCHING["MATCH_DEFAULT_RADIUS_KM"], 12.0]
