"""Plain serialisers shared by the JSON API and the pages: a need as the public and organizers
see it (no personal data: a pseudonym, an age band, a keyed household reference) and as cadres
see it; a household and its members as cadres see them (the 6+4 mask). The API's OpenAPI shapes
of these dicts stay in api/schemas_needs.py and api/schemas_households.py.

Here, not in api/, so that a page need not import the API package (importing any module of
matchmaker.api loads every API view).
"""
from __future__ import annotations

from datetime import date

from matchmaker import privacy
from matchmaker.models import Household, Member, Need, NeedKind
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


def household_item(household: Household) -> dict:
    """A household in a list: no ID digits."""
    return {"id": household.id, "code": household.code, "village_code": household.village.code,
            "village_name": household.village.name, "head_name": household.head_name,
            "status": household.status.value, "poverty_causes": household.poverty_causes,
            "member_count": len(household.members)}


def _masked(encrypted: str | None, mask) -> str | None:
    return mask(privacy.decrypt(encrypted)) if encrypted else None


def member_to_dict(member: Member) -> dict:
    return {"id": member.id, "name": member.name, "relation": member.relation,
            "id_number_masked": _masked(member.id_number_encrypted, privacy.mask_id_number),
            "age": age(member), "gender": member.gender,
            "labour_capacity": member.labour_capacity and member.labour_capacity.value,
            "is_student": member.is_student, "school_stage": member.school_stage,
            "skills": member.skills}


def household_detail(household: Household) -> dict:
    """One household with masked ID and phone and its members."""
    return {**household_item(household),
            "id_number_masked": _masked(household.id_number_encrypted, privacy.mask_id_number),
            "phone_masked": _masked(household.phone_encrypted, privacy.mask_phone),
            "address": household.address,
            "members": [member_to_dict(member) for member in household.members]}
