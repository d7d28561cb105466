"""Assignment: the pairs of greatest total score within every offer's capacity, each need once.

The candidate graph falls apart into connected components, solved independently:

- components where every pair takes one unit (service, job, wish adoption) are a bipartite
  b-matching, solved exactly by one min-cost flow (OR-Tools SimpleMinCostFlow):
  source → offer (capacity left) → need (1) → sink, plus a free source → sink bypass so that
  leaving a need unmatched costs nothing; arc costs are −round(score × SCORE_SCALE);
- components where a pair takes a quantity or an amount (goods, purchase, funds) and a need
  must be served whole by one offer are a generalised assignment problem, NP-hard. The same
  flow solves their linear relaxation (cost per unit = score / units); a repair keeps the pairs
  the flow serves whole by one offer, then adds the rest greedily by score within the capacity
  left. Small components (≤ exact_max_arcs pairs) then go to CP-SAT, started from the repaired
  solution and limited in deterministic time: it proves the optimum on small ones (every
  instance of the property tests), and on harder ones keeps whichever solution is better.

Every path is deterministic: arcs come in (need id, offer id) order, CP-SAT runs on one worker
with a deterministic time limit, and greedy ties go to the lower position.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matchmaker.config import MATCHING

SCORE_SCALE = 1_000_000  # integer costs: scores in [0, 1] keep six decimals
EXACT_DETERMINISTIC_SECONDS = 0.2
SOURCE, SINK = 0, 1


@dataclass
class Arcs:
    """Candidate pairs for the solver, in (need id, offer id) order."""

    need: np.ndarray  # int64 positions of needs
    offer: np.ndarray  # int64 positions of offers
    units: np.ndarray  # int64 taken from the offer's capacity (≥ 1)
    gain: np.ndarray  # int64 scaled score (≥ 1)

    def __len__(self) -> int:
        return len(self.need)

    def take(self, index) -> Arcs:
        return Arcs(self.need[index], self.offer[index], self.units[index], self.gain[index])


def assign(arcs: Arcs, capacity: np.ndarray,
           exact_max_arcs: int | None = None) -> tuple[np.ndarray, dict]:
    """The chosen arcs (a boolean mask) and counts of how the components were solved.

    exact_max_arcs defaults to config.MATCHING's MATCH_EXACT_MAX_ARCS.
    """
    if exact_max_arcs is None:
        exact_max_arcs = MATCHING["MATCH_EXACT_MAX_ARCS"]
    if not len(arcs):
        return np.zeros(0, dtype=bool), {"components": 0, "varying_components": 0,
                                         "proven_optimal": 0}
    component, count = _components(arcs)
    varying = np.zeros(count, dtype=bool)
    varying[component[arcs.units > 1]] = True
    chosen = np.zeros(len(arcs), dtype=bool)
    for index in _members(component, np.arange(count)):  # one flow each: much faster than one
        chosen[index] = _flow(arcs.take(index), capacity)  # network with every supply summed
    chosen = _repair(arcs, capacity, chosen, np.flatnonzero(varying[component]))
    small = np.flatnonzero(varying & (np.bincount(component, minlength=count) <= exact_max_arcs))
    proven = 0
    for index in _members(component, small):
        chosen[index], optimal = _exact(arcs.take(index), capacity, chosen[index])
        proven += optimal
    return chosen, {"components": int(count), "varying_components": int(varying.sum()),
                    "proven_optimal": proven}


def total_gain(arcs: Arcs, chosen: np.ndarray) -> int:
    return int(arcs.gain[chosen].sum())


def _components(arcs: Arcs) -> tuple[np.ndarray, int]:
    """The connected component of each arc in the bipartite need–offer graph."""
    needs = int(arcs.need.max()) + 1
    size = needs + int(arcs.offer.max()) + 1
    graph = coo_matrix((np.ones(len(arcs)), (arcs.need, needs + arcs.offer)), shape=(size, size))
    count, label = connected_components(graph, directed=False)
    used, component = np.unique(label[arcs.need], return_inverse=True)
    return component.reshape(-1), len(used)


def _members(component: np.ndarray, wanted: np.ndarray) -> list[np.ndarray]:
    """The arc positions of each wanted component, in component order."""
    order = np.argsort(component, kind="stable")
    starts = np.searchsorted(component[order], wanted, side="left")
    ends = np.searchsorted(component[order], wanted, side="right")
    return [order[a:b] for a, b in zip(starts, ends)]


def _flow(arcs: Arcs, capacity: np.ndarray) -> np.ndarray:
    """Min-cost flow; the arcs it serves whole, at most one per need (the best one)."""
    if not len(arcs):
        return np.zeros(0, dtype=bool)
    offers, offer_node = np.unique(arcs.offer, return_inverse=True)
    offer_node = offer_node.reshape(-1)
    usable = np.minimum(capacity[offers], np.bincount(offer_node, weights=arcs.units).astype(
        np.int64))  # no offer can give more than its arcs take
    slot, slot_units = _slots(arcs)
    offer_node, slot_node = offer_node + 2, slot + 2 + len(offers)
    supply = int(usable.sum())
    unit_cost = -np.maximum(1, np.rint(arcs.gain / arcs.units)).astype(np.int64)
    tails = np.concatenate(([SOURCE], np.full(len(offers), SOURCE), offer_node,
                            2 + len(offers) + np.arange(len(slot_units))))
    heads = np.concatenate(([SINK], 2 + np.arange(len(offers)), slot_node,
                            np.full(len(slot_units), SINK)))
    capacities = np.concatenate(([supply], usable, arcs.units, slot_units))
    costs = np.concatenate((np.zeros(1 + len(offers), np.int64), unit_cost,
                            np.zeros(len(slot_units), np.int64)))
    solver = min_cost_flow.SimpleMinCostFlow()
    ids = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_node_supply(SOURCE, supply)
    solver.set_node_supply(SINK, -supply)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows = solver.flows(ids[1 + len(offers):1 + len(offers) + len(arcs)])
    return _best_per_need(arcs, flows == arcs.units)


def _slots(arcs: Arcs) -> tuple[np.ndarray, np.ndarray]:
    """One flow node per (need, units): a wish takes 1 from an adoption but its quantity from
    goods, and a node can only conserve one unit. Returns each arc's slot and slot sizes."""
    order = np.lexsort((arcs.units, arcs.need))
    need, units = arcs.need[order], arcs.units[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (need[1:] != need[:-1]) | (units[1:] != units[:-1])
    slot = np.empty(len(order), dtype=np.int64)
    slot[order] = np.cumsum(new) - 1
    return slot, units[new]


def _best_per_need(arcs: Arcs, whole: np.ndarray) -> np.ndarray:
    """Of the arcs served whole, keep the highest-gain one of each need (first on ties)."""
    index = np.flatnonzero(whole)
    order = index[np.lexsort((index, -arcs.gain[index], arcs.need[index]))]
    first = np.ones(len(order), dtype=bool)
    first[1:] = arcs.need[order][1:] != arcs.need[order][:-1]
    kept = np.zeros(len(arcs), dtype=bool)
    kept[order[first]] = True
    return kept


def _exact(arcs: Arcs, capacity: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, bool]:
    """CP-SAT on one small component, from the repaired relaxation `start`: the optimum, or
    the better of `start` and the best found within the deterministic time limit."""
    model = cp_model.CpModel()
    take = [model.new_bool_var(f"a{i}") for i in range(len(arcs))]
    for group in _groups(arcs.need):
        model.add_at_most_one(take[i] for i in group)
    for group in _groups(arcs.offer):
        model.add(sum(int(arcs.units[i]) * take[i] for i in group)
                  <= int(capacity[arcs.offer[group[0]]]))
    model.maximize(sum(int(arcs.gain[i]) * take[i] for i in range(len(arcs))))
    for variable, value in zip(take, start.tolist()):
        model.add_hint(variable, value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = EXACT_DETERMINISTIC_SECONDS
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, False
    found = np.array([solver.boolean_value(t) for t in take], dtype=bool)
    if arcs.gain[found].sum() < arcs.gain[start].sum():
        return start, False
    return found, status == cp_model.OPTIMAL


def _groups(values: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(values, kind="stable")
    cuts = np.flatnonzero(np.diff(values[order])) + 1
    return np.split(order, cuts)


def _repair(arcs: Arcs, capacity: np.ndarray, chosen: np.ndarray,
            candidates: np.ndarray) -> np.ndarray:
    """Add relaxed-component arcs greedily, best gain first, where need and capacity allow."""
    if not len(candidates):
        return chosen
    left = capacity.astype(np.int64).copy()
    np.subtract.at(left, arcs.offer[chosen], arcs.units[chosen])
    served = np.zeros(int(arcs.need.max()) + 1, dtype=bool)
    served[arcs.need[chosen]] = True
    candidates = candidates[~served[arcs.need[candidates]]
                            & (arcs.units[candidates] <= left[arcs.offer[candidates]])]
    served = set(arcs.need[chosen].tolist())
    order = candidates[np.lexsort((candidates, -arcs.gain[candidates]))]
    for arc, need, offer, units in zip(order.tolist(), arcs.need[order].tolist(),
                                       arcs.offer[order].tolist(), arcs.units[order].tolist()):
        if need not in served and units <= left[offer]:
            chosen[arc] = True
            served.add(need)
            left[offer] -= units
    return chosen
