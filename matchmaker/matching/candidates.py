"""Candidate pairs: a k-d tree over villages finds the needs within each offer's radius.

Needs of one village share its coordinates, so the tree holds villages, not needs. Points are
unit vectors in 3-D, where a great-circle radius r is the chord 2·sin(r / 2R): the tree's
straight-line ball is then exactly the spherical cap. Offers are queried in batches of similar
radius through `sparse_distance_matrix`, which returns plain arrays (no Python list per offer).
Only then are needs expanded, by (village, kind, category) groups, and the pairwise rules
applied: kinds that fit, dates, per-wish cap, job eligibility, demand within capacity.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from matchmaker.config import MATCHING
from matchmaker.geo.distance import EARTH_RADIUS_KM
from matchmaker.matching.types import ANY_CATEGORY, DEMAND, Needs, Offers
from matchmaker.vocabularies import FITS

DEFAULT_RADIUS_KM = MATCHING["MATCH_DEFAULT_RADIUS_KM"]  # the engine's default without an app
#: ages at which a member may take a job post, and the labour capacities that can work
JOB_AGES = (16.0, 60.0)
WORKING_LABOUR = ("strong", "weak")
RADIUS_BATCH_GROWTH = 1.5  # radii within a batch differ by at most this factor


@dataclass
class Candidates:
    """Feasible (need, offer) pairs as parallel arrays of positions in Needs and Offers."""

    need: np.ndarray  # int32 positions in Needs
    offer: np.ndarray  # int32 positions in Offers
    distance_km: np.ndarray  # float64, great-circle on the mean sphere
    units: np.ndarray  # int64, what the need takes from the offer's capacity

    def __len__(self) -> int:
        return len(self.need)

    def take(self, mask_or_index) -> Candidates:
        return Candidates(self.need[mask_or_index], self.offer[mask_or_index],
                          self.distance_km[mask_or_index], self.units[mask_or_index])


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, one row per (lat, lon) in degrees."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def chord(radius_km: np.ndarray | float) -> np.ndarray:
    return 2.0 * np.sin(np.asarray(radius_km) / (2.0 * EARTH_RADIUS_KM))


def arc_km(chord_length: np.ndarray) -> np.ndarray:
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, chord_length / 2.0))


def effective_radius(offers: Offers, default_km: float = DEFAULT_RADIUS_KM) -> np.ndarray:
    """The offer's radius, or the documented default where it has none."""
    return np.where(np.isnan(offers.radius_km), default_km, offers.radius_km)


def find_candidates(needs: Needs, offers: Offers, today: int,
                    default_radius_km: float = DEFAULT_RADIUS_KM,
                    excluded: np.ndarray | None = None) -> Candidates:
    """Every feasible pair, in no particular order (the engine ranks them);
    `excluded` holds need_id << 32 | offer_id keys never to propose."""
    live_needs = _live_needs(needs, today)
    village, village_points = _villages(needs)
    radius = effective_radius(offers, default_radius_km)
    live_offers = (offers.capacity > 0) & (offers.available_until >= today)
    offer_at, village_at, chord_at = _within_radius(offers, radius, village_points, live_offers)
    pairs = _expand(needs, offers, village, live_needs, offer_at, village_at, chord_at)
    pairs = pairs.take(_pairwise_ok(needs, offers, pairs, excluded))
    pairs.distance_km = arc_km(pairs.distance_km)
    return pairs


def _live_needs(needs: Needs, today: int) -> np.ndarray:
    """Needs still within their deadline; job needs only for members able to take a post.

    Job posts carry no requirements of their own yet, so the rule is the platform's: working
    age (JOB_AGES) and a labour capacity that can work. Where either is unknown the need stays
    in, and the organizer decides on the proposal.
    """
    ok = needs.deadline >= today
    job = needs.kind == "job"
    age = needs.member_age
    age_ok = np.isnan(age) | ((age >= JOB_AGES[0]) & (age <= JOB_AGES[1]))
    labour_ok = (needs.labour == "") | np.isin(needs.labour, WORKING_LABOUR)
    return ok & (~job | (age_ok & labour_ok))


def _villages(needs: Needs) -> tuple[np.ndarray, np.ndarray]:
    """Each need's village position, and the villages' unit vectors (needs share coordinates)."""
    coordinates = np.column_stack((needs.lat, needs.lon))
    unique, village = np.unique(coordinates, axis=0, return_inverse=True)
    return village.reshape(-1), unit_vectors(unique[:, 0], unique[:, 1])


def _within_radius(offers: Offers, radius: np.ndarray, village_points: np.ndarray,
                   live: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offer position, village position, chord) for every village inside the offer's radius."""
    if not len(village_points) or not live.any():
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0)
    villages = cKDTree(village_points)
    offer_points = unit_vectors(offers.lat, offers.lon)
    found_offers, found_villages, found_chords = [], [], []
    for batch in _radius_batches(radius, live):
        tree = cKDTree(offer_points[batch])
        found = tree.sparse_distance_matrix(villages, chord(radius[batch].max()),
                                            output_type="ndarray")
        inside = found["v"] <= chord(radius[batch][found["i"]])
        found_offers.append(batch[found["i"][inside]].astype(np.int32))
        found_villages.append(found["j"][inside].astype(np.int32))
        found_chords.append(found["v"][inside])
    return (np.concatenate(found_offers), np.concatenate(found_villages),
            np.concatenate(found_chords))


def _radius_batches(radius: np.ndarray, live: np.ndarray) -> list[np.ndarray]:
    """Live offers in batches whose largest radius is at most RADIUS_BATCH_GROWTH × smallest."""
    positions = np.flatnonzero(live)
    positions = positions[np.argsort(radius[positions], kind="stable")]
    bounds = np.log(radius[positions]) // np.log(RADIUS_BATCH_GROWTH)
    cuts = np.flatnonzero(np.diff(bounds)) + 1
    return np.split(positions, cuts)


def _targets(needs_kind: str, offer_kind: str, category: str) -> str:
    """The group key a need must have to be served by an offer: kind and, mostly, category."""
    if (needs_kind, offer_kind) in ANY_CATEGORY:
        return f"{needs_kind}|*"
    return f"{needs_kind}|{category}"


def _need_keys(needs: Needs) -> list[str]:
    return [f"{k}|*" if (k, k) in ANY_CATEGORY else f"{k}|{c}"
            for k, c in zip(needs.kind, needs.category)]


def _expand(needs: Needs, offers: Offers, village: np.ndarray, live: np.ndarray,
            offer_at: np.ndarray, village_at: np.ndarray, chord_at: np.ndarray) -> Candidates:
    """Turn (offer, village) pairs into (offer, need) pairs for the needs the offer may serve;
    the distance field holds the chord until find_candidates turns it into km."""
    keys, code = np.unique(np.array(_need_keys(needs), dtype=object), return_inverse=True)
    width = len(keys) + 1
    key_code = {key: i for i, key in enumerate(keys)}
    group = np.where(live, village * width + code.reshape(-1), -1)
    order = np.argsort(group, kind="stable")
    groups, starts, counts = np.unique(group[order], return_index=True, return_counts=True)
    found_offer, found_need, found_chord = [], [], []
    for slot in range(2):  # an offer serves needs of at most two kinds (goods: goods and wish)
        target = _offer_targets(offers, key_code, slot)[offer_at]
        wanted = np.where(target >= 0, village_at.astype(np.int64) * width + target, -2)
        at = np.clip(np.searchsorted(groups, wanted), 0, max(len(groups) - 1, 0))
        hit = (groups[at] == wanted) if len(groups) else np.zeros(len(wanted), bool)
        count = counts[at[hit]]
        offer_index, need_index = _spread(offer_at[hit], starts[at[hit]], count)
        found_offer.append(offer_index)
        found_need.append(order[need_index].astype(np.int32))
        found_chord.append(np.repeat(chord_at[hit], count))
    need, offer = np.concatenate(found_need), np.concatenate(found_offer)
    return Candidates(need, offer, np.concatenate(found_chord), np.zeros(len(need), np.int64))


def _offer_targets(offers: Offers, key_code: dict[str, int], slot: int) -> np.ndarray:
    """Each offer's slot-th target group code, or -1 when it has none among the needs."""
    codes = []
    for kind, category in zip(offers.kind, offers.category):
        served = [need_kind for need_kind, kinds in FITS.items() if kind in kinds]
        keys = [_targets(need_kind, kind, category) for need_kind in served]
        codes.append(key_code.get(keys[slot], -1) if slot < len(keys) else -1)
    return np.array(codes, dtype=np.int64)


def _spread(owner: np.ndarray, starts: np.ndarray, counts: np.ndarray):
    """Repeat each owner over its run [start, start + count) of positions."""
    total = int(counts.sum())
    owners = np.repeat(owner, counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owners, np.repeat(starts, counts) + offsets


def demand_units(needs: Needs, offers: Offers, need: np.ndarray, offer: np.ndarray) -> np.ndarray:
    """What each need takes from its offer: 1, its quantity (whole units up) or its 元 (up).

    A quantity-measured need without a quantity counts as 1; a funds need without an amount
    takes nothing measurable and is left out (0), for organizers to claim directly.
    """
    rule = np.array([DEMAND[kind] for kind in offers.kind], dtype=object)
    by_quantity, by_amount = (rule == "quantity")[offer], (rule == "amount")[offer]
    quantity = np.ceil(np.nan_to_num(needs.quantity[need], nan=1.0))
    amount = np.ceil(np.nan_to_num(needs.amount_yuan[need], nan=0.0))
    return np.where(by_quantity, quantity, np.where(by_amount, amount, 1.0)).astype(np.int64)


def _pairwise_ok(needs: Needs, offers: Offers, pairs: Candidates,
                 excluded: np.ndarray | None) -> np.ndarray:
    """Demand within capacity, offer started by the deadline, per-wish cap, not excluded."""
    need, offer = pairs.need, pairs.offer
    pairs.units = demand_units(needs, offers, need, offer)
    ok = (pairs.units > 0) & (pairs.units <= offers.capacity[offer])
    ok &= offers.available_from[offer] <= needs.deadline[need]
    capped = (offers.kind == "wish_adoption") & ~np.isnan(offers.per_wish_cap_yuan)
    over_cap = needs.amount_yuan[need] > offers.per_wish_cap_yuan[offer]  # False for NaN
    ok &= ~(capped[offer] & over_cap)
    if excluded is not None and len(excluded):
        ok &= ~np.isin(pair_keys(needs.id[need], offers.id[offer]), excluded)
    return ok


def pair_keys(need_id: np.ndarray, offer_id: np.ndarray) -> np.ndarray:
    """One int64 per (need id, offer id) pair, for set operations on pairs."""
    return (np.asarray(need_id, np.int64) << 32) | np.asarray(offer_id, np.int64)

