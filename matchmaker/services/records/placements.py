"""Placements (就业): a member hired to a job offer's opening, and the follow-up months later."""
from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from matchmaker.errors import Duplicate, Invalid
from matchmaker.extensions import db
from matchmaker.models import (
    HOLDING_CLAIM, Claim, Member, Need, NeedKind, Offer, OfferKind, OfferStatus, Placement,
    User, VerificationStatus,
)
from matchmaker.services import audit
from matchmaker.services.market import offers
from matchmaker.services.records import verification as records
from matchmaker.services.records import rules
from matchmaker.services.records.delivery_choices import held_needs
from matchmaker.services.registry.orgs import organization_of

FIELDS = ("date", "wage_yuan_month", "need_id")
NOT_HELD_MEMBER = "只能为本组织认领或对接的就业需求所帮扶的人员记录就业"
NOT_HELD_NEED = "只能选择本组织认领或对接的、该人员的就业需求"


def create_placement(data: dict, user: User) -> Placement:
    """Record a hire to one of the organization's job offers; it takes one opening.

    The opening is taken with the offers service's conditional update (never over-spent),
    unless a claim of the job need already holds it.
    """
    organization_id = organization_of(user, records.RECORDING)
    offer = _job_offer(organization_id, data["offer_id"])
    member = db.session.get(Member, data["member_id"])
    if member is None:
        raise Invalid({"member_id": "找不到该人员"})
    data = {**data, "need_id": _held_job_need(organization_id, member, data.get("need_id"))}
    _refuse_second(offer.id, member.id)
    placement = Placement(offer_id=offer.id, organization_id=organization_id,
                          member_id=member.id, village_id=member.household.village_id,
                          created_by_id=user.id, late_entry=rules.is_late(data["start_date"]))
    _apply(placement, member, data)
    _take_opening(placement, user)
    db.session.add(placement)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # the unique (offer, member) is the backstop of two at once
        raise Duplicate("该人员在这一岗位已有就业记录", {"member_id": "已有就业记录"}) from exc
    audit.record("placement.create", user.id, placement, offer_id=offer.id,
                 late_entry=placement.late_entry)
    records.tell_verifiers(placement)
    return placement


def _held_job_need(organization_id: int, member: Member, need_id: int | None) -> int:
    """The job need the hire meets: one the organization holds (claimed, or matched and
    accepted) for this member, as on the pages; an organizer never hires just anyone."""
    held = [need for need in held_needs(organization_id, (NeedKind.JOB,))
            if need.household_id == member.household_id and need.member_id in (None, member.id)]
    if need_id is None and held:
        return held[0].id
    if need_id is None:
        raise Invalid({"member_id": NOT_HELD_MEMBER})
    if need_id not in {need.id for need in held}:
        raise Invalid({"need_id": NOT_HELD_NEED})
    return need_id


def _job_offer(organization_id: int, offer_id: int) -> Offer:
    offer = offers.own_offer(organization_id, offer_id, (OfferKind.JOB,), "就业岗位")
    if offer.status not in (OfferStatus.OPEN, OfferStatus.EXHAUSTED):
        raise Invalid({"offer_id": "该岗位已关闭或已过期"})
    return offer


def _refuse_second(offer_id: int, member_id: int) -> None:
    existing = db.session.scalar(select(Placement.id).where(
        Placement.offer_id == offer_id, Placement.member_id == member_id))
    if existing is not None:
        raise Duplicate(f"该人员在这一岗位已有就业记录(编号 {existing}),请修改该记录",
                        {"member_id": "已有就业记录"})


def _apply(placement: Placement, member: Member, data: dict) -> None:
    rules.not_in_future(data["start_date"], "start_date")
    placement.date = data["start_date"]
    placement.wage_yuan_month = rules.cents(data.get("wage_yuan_month"))
    placement.need_id = _job_need(member, data.get("need_id"))


def _job_need(member: Member, need_id: int | None) -> int | None:
    """The job need this hire meets: the member's household's, and the member's if it names one."""
    if need_id is None:
        return None
    need = db.session.get(Need, need_id)
    fits = (need is not None and need.kind == NeedKind.JOB
            and need.household_id == member.household_id
            and need.member_id in (None, member.id) and need.status not in rules.CLOSED_NEEDS)
    if not fits:
        raise Invalid({"need_id": "不是该人员所在户的就业需求"})
    return need.id


def _held_by_claim(placement: Placement) -> bool:
    """A claim of the job need with this offer took openings already; do they cover this hire?"""
    if placement.need_id is None:
        return False
    held = sum(float(claim.quantity or 1) for claim in db.session.scalars(select(Claim).where(
        Claim.need_id == placement.need_id, Claim.offer_id == placement.offer_id,
        Claim.organization_id == placement.organization_id, Claim.status.in_(HOLDING_CLAIM))))
    placed = db.session.scalar(select(func.count()).where(
        Placement.need_id == placement.need_id, Placement.offer_id == placement.offer_id,
        Placement.status != VerificationStatus.REJECTED,
        Placement.id != (placement.id or 0)))
    return placed < held


def _take_opening(placement: Placement, user: User) -> None:
    if not _held_by_claim(placement):
        offers.use_capacity(placement.offer_id, 1, user.id)


def give_opening_back(placement: Placement, user: User) -> None:
    """The opening a placement took goes back to its job offer (the placement was rejected).

    Only an opening still in use goes back: where none is (the claim that held it was released
    since, or the placement was loaded without taking one) the rejection stands all the same —
    a cadre's judgement is never refused over the offer's bookkeeping.
    """
    if not _held_by_claim(placement) and db.session.scalar(
            select(Offer.capacity_used).where(Offer.id == placement.offer_id)) >= 1:
        offers.release_capacity(placement.offer_id, 1, user.id)


# -- changes ------------------------------------------------------------------------------------

def edit_data(placement: Placement) -> dict:
    data = {"start_date": placement.date, "wage_yuan_month": placement.wage_yuan_month,
            "need_id": placement.need_id}
    return {key: value for key, value in data.items() if value is not None}


def update_placement(placement: Placement, data: dict, user: User) -> Placement:
    """Change the start date, wage or need; a rejected one resubmitted takes its opening again."""
    before = {name: getattr(placement, name) for name in FIELDS}
    member = db.session.get(Member, placement.member_id)
    if data.get("need_id") not in (None, placement.need_id):  # another need: one it holds
        _held_job_need(placement.organization_id, member, data["need_id"])
    _apply(placement, member, data)
    placement.late_entry = rules.is_late(placement.date, placement.created_at)
    after = {name: getattr(placement, name) for name in FIELDS}
    if after != before and placement.status == VerificationStatus.REJECTED:
        _take_opening(placement, user)  # resubmitted: it takes its opening again
    records.record_changes(placement, before, after, user)
    return placement


def follow_up(placement: Placement, data: dict, user: User) -> Placement:
    """Still employed 3 or 6 months after the start? Asked once the months have passed."""
    records.refuse_if_rejected(placement)
    months = data["months"]
    due = add_months(placement.date, months)
    if date.today() < due:
        raise Invalid({"months": f"入职满{months}个月({due.isoformat()})后才能回访"})
    setattr(placement, f"employed_at_{months}_months", bool(data["employed"]))
    db.session.flush()
    audit.record("placement.follow_up", user.id, placement, months=months,
                 employed=bool(data["employed"]))
    return placement


def add_months(day: date, months: int) -> date:
    """The same day so many months later, or the month's last day (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
