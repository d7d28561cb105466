"""Plain serialisers shared by the JSON API and the pages: a need as the public and organizers
see it (no personal data: a pseudonym, an age band, a keyed household reference) and as cadres
see it. The API's OpenAPI shapes of these dicts stay in api/schemas_needs.py.

Here, not in api/, so that a page need not import the API package (importing any module of
matchmaker.api loads every API view).
"""
from __future__ import annotations

from datetime import date

from matchmaker import privacy
from matchmaker.models import Member, Need, NeedKind
from matchmaker.services.registry.households import age


def age_band(years: int | None) -> str | None:
    if years is None:
        return None
    for upper, band in ((6, "0-6"), (13, "7-13"), (17, "14-17"), (59, "18-59")):
        if years <= upper:
            return band
    return "60+"


def pseudonym(member: Member | None) -> str | None:
    """The surname and a polite form, never the given name: 张同学, 李奶奶."""
    if member is None:
        return None
    years, surname = age(member), member.name[:1]
    if years is not None and years < 18:
        return surname + "同学"
    if years is not None and years >= 60:
        return surname + ("爷爷" if member.gender == "male" else "奶奶")
    return surname + {"male": "先生", "female": "女士"}.get(member.gender or "", "家")


def household_ref(household_id: int) -> str:
    """A stable pseudonymous reference: the same household, the same code; not reversible."""
    return privacy.keyed_hash("household_ref", str(household_id))[:8]


def _ancestor(need: Need, level: str) -> str | None:
    region = need.household.village.ancestor(level)
    return region.name if region else None


def _money(value) -> float | None:
    return float(value) if value is not None else None


def public_need(need: Need) -> dict:
    village = need.household.village
    return {"id": need.id, "kind": need.kind.value, "category": need.category,
            "title": need.title, "description": need.description, "quantity": need.quantity,
            "unit": need.unit, "amount_yuan": _money(need.amount_yuan),
            "deadline": need.deadline.isoformat() if isinstance(need.deadline, date) else None,
            "status": need.status.value, "village": {"code": village.code, "name": village.name},
            "township": _ancestor(need, "township"), "county": _ancestor(need, "county"),
            "household_ref": household_ref(need.household_id),
            "age_band": age_band(age(need.member)) if need.member else None,
            "pseudonym": pseudonym(need.member) if need.kind == NeedKind.WISH else None}


def cadre_need(need: Need) -> dict:
    return {**public_need(need), "household_id": need.household_id,
            "household_code": need.household.code, "member_id": need.member_id,
            "guardian_consent": need.guardian_consent, "receipt_note": need.receipt_note}
