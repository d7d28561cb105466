"""The assignment is optimal and feasible: checked against exhaustive search on small instances."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.assignment import Arcs, assign, total_gain

PROPERTY = settings(max_examples=300, deadline=None, database=None)


@st.composite
def instances(draw, max_units: int = 1):
    """≤ 6 needs, ≤ 4 offers, a random subset of their pairs, capacities and gains."""
    needs, offers = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    pairs = [p for p in itertools.product(range(needs), range(offers)) if draw(st.booleans())]
    units = [draw(st.integers(1, max_units)) for _ in pairs]
    gains = [draw(st.integers(1, 1000)) for _ in pairs]
    capacity = np.array([draw(st.integers(0, 3 * max_units)) for _ in range(offers)], np.int64)
    arcs = Arcs(np.array([n for n, _ in pairs], np.int64),
                np.array([o for _, o in pairs], np.int64),
                np.array(units, np.int64), np.array(gains, np.int64))
    return arcs, capacity


def optimum(arcs: Arcs, capacity: np.ndarray) -> int:
    """Exhaustive search: each need takes none or one of its arcs, within every capacity."""
    by_need: dict[int, list[int]] = {}
    for index, need in enumerate(arcs.need.tolist()):
        by_need.setdefault(need, []).append(index)
    best = 0
    for choice in itertools.product(*[[None, *arcs_of] for arcs_of in by_need.values()]):
        taken = [i for i in choice if i is not None]
        used = np.zeros(len(capacity), np.int64)
        np.add.at(used, arcs.offer[taken], arcs.units[taken])
        if (used <= capacity).all():
            best = max(best, int(arcs.gain[taken].sum()))
    return best


def assert_feasible(arcs: Arcs, capacity: np.ndarray, chosen: np.ndarray) -> None:
    assert len(set(arcs.need[chosen].tolist())) == int(chosen.sum()), "a need matched twice"
    used = np.zeros(len(capacity), np.int64)
    np.add.at(used, arcs.offer[chosen], arcs.units[chosen])
    assert (used <= capacity).all(), "an offer over-spent"


@PROPERTY
@given(instances(max_units=1))
def test_unit_pairs_by_min_cost_flow_reach_the_exhaustive_optimum(instance):
    arcs, capacity = instance
    chosen, stats = assign(arcs, capacity)
    assert stats["varying_components"] == 0  # the flow alone is exact here
    assert_feasible(arcs, capacity, chosen)
    assert total_gain(arcs, chosen) == optimum(arcs, capacity)


@PROPERTY
@given(instances(max_units=5))
def test_quantity_pairs_reach_the_exhaustive_optimum(instance):
    arcs, capacity = instance
    chosen, stats = assign(arcs, capacity)
    assert_feasible(arcs, capacity, chosen)
    assert total_gain(arcs, chosen) == optimum(arcs, capacity)
    assert stats["proven_optimal"] == stats["varying_components"]


@PROPERTY
@given(instances(max_units=5))
def test_the_relaxation_for_large_components_never_breaks_a_constraint(instance):
    arcs, capacity = instance
    chosen, stats = assign(arcs, capacity, exact_max_arcs=0)
    assert stats["proven_optimal"] == 0
    assert_feasible(arcs, capacity, chosen)
    assert total_gain(arcs, chosen) <= optimum(arcs, capacity)


@PROPERTY
@given(instances(max_units=5))
def test_the_same_input_gives_the_same_assignment(instance):
    arcs, capacity = instance
    first, _ = assign(arcs, capacity)
    second, _ = assign(arcs, capacity)
    assert (first == second).all()


def test_a_wish_counted_in_wishes_and_in_goods_is_still_matched_once():
    # need 0 may take 1 wish from offer 0 or its 3 units from offer 1
    arcs = Arcs(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 3, 3]),
                np.array([500, 900, 400]))
    chosen, _ = assign(arcs, np.array([1, 3]), exact_max_arcs=0)
    assert chosen.tolist() == [False, True, False] or chosen.tolist() == [True, False, True]
    assert_feasible(arcs, np.array([1, 3]), chosen)


def test_an_empty_problem_chooses_nothing():
    empty = np.zeros(0, np.int64)
    chosen, stats = assign(Arcs(empty, empty, empty, empty), np.zeros(0, np.int64))
    assert chosen.size == 0 and stats["components"] == 0
