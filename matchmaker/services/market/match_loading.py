"""Reading a run's needs and offers from the database into the pure engine's columns.

A need is loaded when it is open, has no active claim and no proposed or accepted match, and
its village (or, lacking coordinates, the village's parent) is located. An offer is loaded when
it is open and located (its own point, its team's base, its region, its team's region); its
capacity is what is left after capacity_used and after the units that proposed matches reserve
(proposals do not touch capacity_used: accepting one does, through offers.use_capacity).
"""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from matchmaker.extensions import db
from matchmaker.labels import JOB_CATEGORY
from matchmaker.matching.candidates import pair_keys
from matchmaker.matching.types import NO_DATE, NO_START, Needs, Offers
from matchmaker.models import (
    Claim, ClaimStatus, Donation, Household, Match, MatchStatus, Member, Need, NeedStatus, Offer,
    OfferStatus, Placement, Region, Team, VerificationStatus, donation_households,
)
from matchmaker.vocabularies import JOB_CATEGORIES

VULNERABLE_AGES = (16, 60)  # under 16, or 60 and over
SKILL_BITS = {**{code: i for i, code in enumerate(JOB_CATEGORIES)},
              **{JOB_CATEGORY[code]: i for i, code in enumerate(JOB_CATEGORIES)}}


def _raw(column) -> sa.ColumnElement:
    """A scaled-integer money column as its stored whole fen (no Decimal per row)."""
    return sa.type_coerce(column, sa.BigInteger())


def _text(column) -> sa.ColumnElement:
    """An enum or date column as the driver gives it, without SQLAlchemy's per-row processing
    (a string on SQLite; PostgreSQL's driver still gives dates as dates)."""
    return sa.type_coerce(column, sa.String())


def _rows(statement) -> list:
    """Rows through the Core connection: the ORM's result machinery costs seconds per million."""
    return db.session.connection().execute(statement).all()


def _ordinal(value) -> int | None:
    """A date, a datetime or their ISO text as a day ordinal (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10]).toordinal()
    return value.toordinal()


def _in_scope(path_column, region_path: str | None):
    return sa.true() if region_path is None else path_column.startswith(region_path)


def load_needs(region_path: str | None, today: date, fairness_since: datetime) -> Needs:
    """The needs the run may match, in id order, with their households' urgency and help."""
    village, parent = aliased(Region), aliased(Region)
    rows = _rows(
        sa.select(Need.id, Need.household_id, _text(Need.kind), Need.category, Need.title,
                  Need.quantity, _raw(Need.amount_yuan), _text(Need.deadline),
                  _text(Need.created_at), sa.func.coalesce(village.lat, parent.lat),
                  sa.func.coalesce(village.lon, parent.lon), _text(Household.status),
                  sa.func.json_array_length(Household.poverty_causes),
                  _text(Member.birth_date), _text(Member.labour_capacity),
                  _text(sa.case((Need.kind == "job", Member.skills))))
        .join(village, village.id == Need.village_id)
        .outerjoin(parent, parent.id == village.parent_id)
        .join(Household, Household.id == Need.household_id)
        .outerjoin(Member, Member.id == Need.member_id)
        .where(Need.status == NeedStatus.OPEN, _in_scope(village.path, region_path),
               ~_has_active_claim(), ~_has_live_match())
        .order_by(Need.id))
    rows = [row for row in rows if row[9] is not None and row[10] is not None]
    households = np.array([row[1] for row in rows], dtype=np.int64)
    return Needs(**_need_columns(rows, today),
                 vulnerable=_per_household(households, _vulnerable_counts(region_path, today)),
                 help_count=_per_household(households, _help_counts(region_path,
                                                                    fairness_since)))


def _has_active_claim():
    return sa.exists().where(Claim.need_id == Need.id, Claim.status == ClaimStatus.ACTIVE)


def _has_live_match():
    return sa.exists().where(Match.need_id == Need.id,
                             Match.status.in_((MatchStatus.PROPOSED, MatchStatus.ACCEPTED)))


def _need_columns(rows: list, today: date) -> dict[str, np.ndarray]:
    (ids, _, kinds, categories, titles, quantities, fen, deadlines, created, lats, lons,
     statuses, causes, births, labours, skills) = (list(c) for c in zip(*rows)) if rows \
        else ([] for _ in range(16))
    today_ordinal = today.toordinal()
    return {
        "id": np.array(ids, dtype=np.int64), "lat": _floats(lats), "lon": _floats(lons),
        "kind": _strings(kinds), "category": _strings(categories), "item": _strings(titles),
        "quantity": _floats(quantities),
        "amount_yuan": _floats([f / 100 if f is not None else None for f in fen]),
        "deadline": np.array([_ordinal(d) or NO_DATE for d in deadlines], dtype=np.int64),
        "member_age": _floats([(today_ordinal - _ordinal(b)) / 365.25 if b else None
                               for b in births]),
        "labour": _strings([str(v) if v else "" for v in labours]),
        "skill_mask": np.array([_skill_mask(s, k, c) for s, k, c in
                                zip(skills, kinds, categories)], dtype=np.int64),
        "status": _strings(statuses), "causes": np.array([c or 0 for c in causes], np.int64),
        "waiting_days": np.array([today_ordinal - _ordinal(c) for c in created], np.int64),
    }


def _skill_mask(skills: list | str | None, kind: str, category: str) -> int:
    """Bits of the job categories the member can do: its skills, and the need's own category."""
    if kind != "job":
        return 0
    mask = 1 << SKILL_BITS[category] if category in SKILL_BITS else 0
    for skill in _json(skills) or ():
        mask |= 1 << SKILL_BITS[skill] if skill in SKILL_BITS else 0
    return mask


def _json(value):
    """A JSON column's value, decoded where the driver left it as text."""
    return json.loads(value) if isinstance(value, str) else value


def _floats(values: list) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def _strings(values: list) -> np.ndarray:
    return np.array([str(v) if v is not None else "" for v in values], dtype=object)


def _per_household(households: np.ndarray, counts: dict[int, int]) -> np.ndarray:
    return np.array([counts.get(h, 0) for h in households.tolist()], dtype=np.int64)


def _households_in_scope(region_path: str | None):
    village = aliased(Region)
    return sa.select(Household.id).join(village, village.id == Household.village_id).where(
        _in_scope(village.path, region_path))


def _vulnerable_counts(region_path: str | None, today: date) -> dict[int, int]:
    """Members under 16, 60 and over, or without labour capacity, per household."""
    young = date(today.year - VULNERABLE_AGES[0], today.month, min(today.day, 28))
    old = date(today.year - VULNERABLE_AGES[1], today.month, min(today.day, 28))
    vulnerable = sa.or_(Member.birth_date > young, Member.birth_date <= old,
                        Member.labour_capacity.in_(("lost", "none")))
    rows = db.session.execute(
        sa.select(Member.household_id, sa.func.count())
        .where(vulnerable, Member.household_id.in_(_households_in_scope(region_path)))
        .group_by(Member.household_id))
    return dict(rows.all())


def _help_counts(region_path: str | None, since: datetime) -> dict[int, int]:
    """Help each household had since `since`: accepted matches, claims not released,
    verified donations to it and verified placements of its members."""
    scope = _households_in_scope(region_path)
    queries = [
        sa.select(Need.household_id).join(Match, Match.need_id == Need.id)
        .where(Match.status == MatchStatus.ACCEPTED, Match.decided_at >= since),
        sa.select(Need.household_id).join(Claim, Claim.need_id == Need.id)
        .where(Claim.status != ClaimStatus.RELEASED, Claim.claimed_at >= since),
        sa.select(donation_households.c.household_id.label("household_id"))
        .join(Donation, Donation.id == donation_households.c.donation_id)
        .where(Donation.status == VerificationStatus.VERIFIED, Donation.date >= since.date()),
        sa.select(Member.household_id).join(Placement, Placement.member_id == Member.id)
        .where(Placement.status == VerificationStatus.VERIFIED, Placement.date >= since.date()),
    ]
    help_given = sa.union_all(*queries).subquery()
    rows = db.session.execute(
        sa.select(help_given.c.household_id, sa.func.count())
        .where(help_given.c.household_id.in_(scope)).group_by(help_given.c.household_id))
    return dict(rows.all())


def load_offers(region_path: str | None, today: date) -> Offers:
    """Open offers with capacity left and a location, in id order."""
    region, team_region = aliased(Region), aliased(Region)
    reserved = _reserved_units()
    rows = _rows(
        sa.select(Offer.id, _text(Offer.kind), Offer.category, Offer.title, Offer.capacity,
                  Offer.capacity_used, _raw(Offer.per_wish_cap_yuan), Offer.radius_km,
                  _text(Offer.available_from), _text(Offer.available_until), Offer.lat, Offer.lon,
                  Team.lat, Team.lon, region.lat, region.lon, team_region.lat,
                  team_region.lon, Team.categories)
        .outerjoin(Team, Team.id == Offer.team_id)
        .outerjoin(region, region.id == Offer.region_id)
        .outerjoin(team_region, team_region.id == Team.region_id)
        .where(Offer.status == OfferStatus.OPEN, _in_scope(region.path, region_path))
        .order_by(Offer.id))
    offers = [_offer_row(row, reserved.get(row[0], 0.0)) for row in rows]
    return _offer_columns([o for o in offers if o is not None])


def _reserved_units() -> dict[int, float]:
    rows = db.session.execute(sa.select(Match.offer_id, sa.func.sum(Match.quantity))
                              .where(Match.status == MatchStatus.PROPOSED)
                              .group_by(Match.offer_id))
    return {offer_id: float(units) for offer_id, units in rows}


def _offer_row(row, reserved: float) -> dict | None:
    """The offer as a dict of the engine's fields, or None when it has no location."""
    located = [(lat, lon) for lat, lon in (row[10:12], row[12:14], row[14:16], row[16:18])
               if lat is not None and lon is not None]
    if not located:
        return None
    left = float(row[4] or 0) - float(row[5] or 0) - reserved
    return {"id": row[0], "kind": str(row[1]), "category": row[2], "item": row[3],
            "capacity": max(0, math.floor(left + 1e-9)),
            "per_wish_cap_yuan": row[6] / 100 if row[6] is not None else math.nan,
            "radius_km": row[7] if row[7] is not None else math.nan,
            "available_from": _ordinal(row[8]) or NO_START,
            "available_until": _ordinal(row[9]) or NO_DATE,
            "lat": located[0][0], "lon": located[0][1],
            "team_covers_category": row[2] in (_json(row[18]) or ())}


def _offer_columns(offers: list[dict]) -> Offers:
    def column(name, dtype=None):
        return np.array([o[name] for o in offers], dtype=dtype)

    return Offers(id=column("id", np.int64), lat=column("lat", np.float64),
                  lon=column("lon", np.float64), radius_km=column("radius_km", np.float64),
                  kind=column("kind", object), category=column("category", object),
                  item=column("item", object), capacity=column("capacity", np.int64),
                  per_wish_cap_yuan=column("per_wish_cap_yuan", np.float64),
                  available_from=column("available_from", np.int64),
                  available_until=column("available_until", np.int64),
                  team_covers_category=column("team_covers_category", bool))


def existing_pairs() -> np.ndarray:
    """Keys of every (need, offer) pair that has a match in any status: never proposed again."""
    rows = _rows(sa.select(Match.need_id, Match.offer_id))
    if not rows:
        return np.zeros(0, dtype=np.int64)
    need_ids, offer_ids = zip(*rows)
    return np.sort(pair_keys(np.array(need_ids), np.array(offer_ids)))


def fairness_start(now: datetime, months: int) -> datetime:
    """The start of the fairness window: `months` of 30 days before now."""
    return now - timedelta(days=30 * months)
