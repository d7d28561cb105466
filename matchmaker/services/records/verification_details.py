"""What a verifying cadre must judge of a pending record: who helped, whom, with what.

Names are the ones the cadre sees on the household pages of its scope (the record's place is
in it); never an ID number or a phone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Household, Member, Need, Offer, Volunteer, activity_beneficiaries, activity_needs,
    donation_households, donation_needs, purchase_needs,
)
from matchmaker.services.records import verification as records


@dataclass
class Details:
    """The lines of a record for its verifier; empty lists are simply not shown."""

    volunteers: list[tuple[str, float]] = field(default_factory=list)  # (name, hours)
    helped: list[str] = field(default_factory=list)  # "刘德福(户 360302-0001)"
    goods: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # anything else worth a line
    note: str | None = None


def details_of(kind: str, record) -> Details:
    return BUILDERS[kind](record)


def _activity(activity) -> Details:
    names = dict(db.session.execute(select(Volunteer.id, Volunteer.name).where(
        Volunteer.id.in_({line.volunteer_id for line in activity.hours}))).all())
    hours: dict[int, float] = {}
    for line in activity.hours:
        hours[line.volunteer_id] = hours.get(line.volunteer_id, 0) + float(line.hours)
    found = Details(volunteers=[(names.get(v, "?"), h) for v, h in hours.items()],
                    helped=_members(records.linked_ids(activity_beneficiaries, activity.id,
                                                       "member_id")),
                    needs=_needs(records.linked_ids(activity_needs, activity.id, "need_id")),
                    note=activity.note)
    if activity.extra_beneficiaries:
        found.lines.append(f"另有未登记的受益人 {activity.extra_beneficiaries} 人")
    return found


def _donation(donation) -> Details:
    return Details(
        goods=[f"{line.item} {float(line.quantity):g}{line.unit}"
               + (f"(价值 {float(line.value_yuan):g} 元)" if line.value_yuan else "")
               for line in donation.goods],
        helped=_households(records.linked_ids(donation_households, donation.id,
                                              "household_id")),
        needs=_needs(records.linked_ids(donation_needs, donation.id, "need_id")),
        note=donation.note)


def _placement(placement) -> Details:
    offer = db.session.get(Offer, placement.offer_id)
    found = Details(helped=_members([placement.member_id]),
                    needs=_needs([placement.need_id] if placement.need_id else []))
    found.lines.append(f"岗位:{offer.title},{placement.date:%Y-%m-%d} 上岗")
    return found


def _purchase(purchase) -> Details:
    heads = {h.id: h for h in db.session.scalars(select(Household).where(
        Household.id.in_({share.household_id for share in purchase.sellers})))}
    return Details(
        helped=[f"{_household(heads[share.household_id])} 售得 {float(share.yuan):g} 元"
                for share in purchase.sellers],
        needs=_needs(records.linked_ids(purchase_needs, purchase.id, "need_id")),
        note=purchase.note)


def _household(household: Household) -> str:
    return f"{household.head_name}(户 {household.code})"


def _households(ids: list[int]) -> list[str]:
    return [_household(h) for h in db.session.scalars(
        select(Household).where(Household.id.in_(ids)).order_by(Household.code))] if ids else []


def _members(ids: list[int]) -> list[str]:
    if not ids:
        return []
    rows = db.session.execute(select(Member.name, Household.code).join(
        Household, Household.id == Member.household_id).where(Member.id.in_(ids))
        .order_by(Household.code, Member.id)).all()
    return [f"{name}(户 {code})" for name, code in rows]


def _needs(ids: list[int]) -> list[str]:
    return list(db.session.scalars(select(Need.title).where(Need.id.in_(ids))
                                   .order_by(Need.id))) if ids else []


BUILDERS = {"activity": _activity, "donation": _donation, "placement": _placement,
            "purchase": _purchase}
