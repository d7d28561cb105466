"""The engine's input and output: needs and offers as columns of numpy arrays, and proposals.

Columns rather than one object per row: a province run holds a million needs, and every step
(spatial join, filters, scores) works on whole columns at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

import numpy as np

#: pairs of kinds where the categories need not be equal (the category only adds to the fit)
ANY_CATEGORY = {("funds", "funds"), ("job", "job")}
#: what one need takes from an offer of each kind: one unit, its quantity, or its amount in 元
DEMAND = {"service": "one", "wish_adoption": "one", "job": "one", "goods": "quantity",
          "purchase": "quantity", "funds": "amount"}
NO_DATE = np.iinfo(np.int64).max  # an open end: no deadline, no available_until
NO_START = np.iinfo(np.int64).min  # no available_from


def day(value: date | None, missing: int) -> int:
    """A date as its proleptic ordinal, or the sentinel for a missing one."""
    return value.toordinal() if value is not None else missing


@dataclass
class Needs:
    """Open needs, one entry per need, sorted by id. Ages and amounts are NaN where unknown."""

    id: np.ndarray  # int64
    lat: np.ndarray  # float64, the village's coordinates
    lon: np.ndarray
    kind: np.ndarray  # str (object): a need kind, a key of vocabularies.FITS
    category: np.ndarray  # str
    item: np.ndarray  # str, the normalised title (goods, wish, produce compare it)
    quantity: np.ndarray  # float64, NaN when not given
    amount_yuan: np.ndarray  # float64, NaN when not given
    deadline: np.ndarray  # int64 ordinal, NO_DATE when none
    member_age: np.ndarray  # float64 years, NaN when no member or no birth date
    labour: np.ndarray  # str: strong weak lost none, "" when unknown
    skill_mask: np.ndarray  # int64, bit i: the member can do vocabularies.JOB_CATEGORIES[i]
    status: np.ndarray  # str: the household's status (poor lifted monitored)
    causes: np.ndarray  # int64, number of poverty causes
    vulnerable: np.ndarray  # int64, members under 16, 60 or over, or without labour capacity
    waiting_days: np.ndarray  # int64
    help_count: np.ndarray  # int64, help the household had in the fairness window

    def __len__(self) -> int:
        return len(self.id)


@dataclass
class Offers:
    """Offers with capacity left, one entry per offer, sorted by id."""

    id: np.ndarray  # int64
    lat: np.ndarray  # float64: the offer's, its team's base, or its region's
    lon: np.ndarray
    radius_km: np.ndarray  # float64, NaN when the offer has none (the default applies)
    kind: np.ndarray  # str: an offer kind (vocabularies.OFFER_CATEGORIES's keys)
    category: np.ndarray  # str
    item: np.ndarray  # str, the normalised title
    capacity: np.ndarray  # int64 units left: wishes, households, openings, units or whole 元
    per_wish_cap_yuan: np.ndarray  # float64, NaN when none
    available_from: np.ndarray  # int64 ordinal, NO_START when none
    available_until: np.ndarray  # int64 ordinal, NO_DATE when none
    team_covers_category: np.ndarray  # bool: the offer's team lists the offer's category

    def __len__(self) -> int:
        return len(self.id)


@dataclass
class Proposals:
    """What the engine proposes: parallel arrays, one entry per proposed pair."""

    need_id: np.ndarray
    offer_id: np.ndarray
    units: np.ndarray  # int64, what the pair takes from the offer's capacity
    score: np.ndarray  # float64
    distance_km: np.ndarray  # float64 on the sphere (the persisted figure is the geodesic)
    components: dict[str, np.ndarray]  # the weighted score components, summing to score
    need_index: np.ndarray  # positions in Needs, for building reasons
    offer_index: np.ndarray
    stats: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.need_id)


STRINGS = {"kind", "category", "item", "labour", "status"}
NEED_DEFAULTS = {"quantity": np.nan, "amount_yuan": np.nan, "deadline": None,
                 "member_age": np.nan, "labour": "", "skill_mask": 0, "status": "poor",
                 "causes": 1, "vulnerable": 0, "waiting_days": 0, "help_count": 0, "item": ""}
OFFER_DEFAULTS = {"radius_km": np.nan, "item": "", "per_wish_cap_yuan": np.nan,
                  "available_from": None, "available_until": None, "team_covers_category": False}
FLOATS = {"lat", "lon", "quantity", "amount_yuan", "member_age", "radius_km", "per_wish_cap_yuan"}


def needs_from_rows(rows: list[dict]) -> Needs:
    """Build Needs from plain dicts (tests, small runs); missing keys take NEED_DEFAULTS."""
    return _table(Needs, sorted(rows, key=lambda r: r["id"]), NEED_DEFAULTS,
                  {"deadline": NO_DATE})


def offers_from_rows(rows: list[dict]) -> Offers:
    """Build Offers from plain dicts; missing keys take OFFER_DEFAULTS."""
    return _table(Offers, sorted(rows, key=lambda r: r["id"]), OFFER_DEFAULTS,
                  {"available_from": NO_START, "available_until": NO_DATE})


def _table(cls, rows: list[dict], defaults: dict, dates: dict):
    columns = {}
    for column in fields(cls):
        name = column.name
        values = [row.get(name, defaults.get(name)) for row in rows]
        if name in dates:
            values = [day(v, dates[name]) for v in values]
        dtype = object if name in STRINGS else np.float64 if name in FLOATS else None
        columns[name] = np.array(values, dtype=dtype) if rows or dtype else np.zeros(0, np.int64)
    return cls(**columns)
