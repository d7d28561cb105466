"""Records as their organizer and their verifying cadre see them: ids of people helped, no names."""
from __future__ import annotations

from decimal import Decimal

from matchmaker.api.schemas import timestamp
from matchmaker.api.spec import array, integer, number, obj, string
from matchmaker.extensions import db
from matchmaker.models import Activity, Donation, Placement, Purchase, Region, Volunteer
from matchmaker.services.records import (
    activities as records_activities,
    donations as records_donations,
)

NULLABLE = {"type": ["string", "null"]}
BOOLEAN = {"type": "boolean"}
COMMON_KEYS = ("id", "kind", "status", "organization_id", "date", "village_code", "late_entry",
               "created_at")
COMMON = dict(
    id=integer(), kind=string(description="activity、donation、placement 或 purchase"),
    status=string(description="pending 待核实、verified 已核实、rejected 已驳回"),
    organization_id=integer(), date=string(format="date"), village_code=string(),
    village_name=string(), late_entry={**BOOLEAN, "description": "事后补记(超过规定天数才录入)"},
    created_at=string(format="date-time"), verified_at=NULLABLE, rejection_reason=NULLABLE)

HOURS_LINE = obj(("id", "volunteer_id", "hours"), id=integer(), volunteer_id=integer(),
                 volunteer_name=string(), hours=number())
CORRECTION_LINE = {**HOURS_LINE, "properties": {
    **HOURS_LINE["properties"], "note": NULLABLE, "created_at": string(format="date-time")}}
ACTIVITY = obj(
    COMMON_KEYS + ("team_id", "title", "category", "hours", "corrections", "recorded_hours",
                   "corrected_hours", "total_hours"),
    **COMMON, team_id=integer(), start_time=NULLABLE, end_time=NULLABLE, title=string(),
    category=string(), beneficiary_member_ids=array(integer()), extra_beneficiaries=integer(),
    need_ids=array(integer()), funds_raised_yuan=number(nullable=True), note=NULLABLE,
    hours=array(HOURS_LINE), corrections=array(CORRECTION_LINE),
    recorded_hours=number(), corrected_hours=number(), total_hours=number())
GOODS_LINE = obj(("item", "unit", "quantity", "value_yuan"), item=string(), unit=string(),
                 quantity=number(), value_yuan=number())
DONATION = obj(
    COMMON_KEYS + ("goods", "household_ids", "need_ids"),
    **COMMON, team_id=integer(nullable=True), offer_id=integer(nullable=True),
    money_yuan=number(nullable=True), goods=array(GOODS_LINE), goods_value_yuan=number(),
    household_ids=array(integer()), need_ids=array(integer()), note=NULLABLE)
PLACEMENT = obj(
    COMMON_KEYS + ("offer_id", "member_id", "start_date"),
    **COMMON, offer_id=integer(), member_id=integer(), need_id=integer(nullable=True),
    start_date=string(format="date"), wage_yuan_month=number(nullable=True),
    employed_at_3_months={"type": ["boolean", "null"]},
    employed_at_6_months={"type": ["boolean", "null"]})
SHARE = obj(("household_id", "yuan"), household_id=integer(), yuan=number())
PURCHASE = obj(
    COMMON_KEYS + ("product", "unit", "quantity", "yuan", "sellers"),
    **COMMON, offer_id=integer(nullable=True), product=string(), unit=string(),
    quantity=number(), yuan=number(), sellers=array(SHARE), need_ids=array(integer()),
    note=NULLABLE)


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _common(record, kind: str) -> dict:
    village = db.session.get(Region, record.village_id)
    return {"id": record.id, "kind": kind, "status": record.status.value,
            "organization_id": record.organization_id, "date": record.date.isoformat(),
            "village_code": village.code, "village_name": village.name,
            "late_entry": record.late_entry, "created_at": timestamp(record.created_at),
            "verified_at": timestamp(record.verified_at),
            "rejection_reason": record.rejection_reason}


def _hours_line(line) -> dict:
    body = {"id": line.id, "volunteer_id": line.volunteer_id,
            "volunteer_name": db.session.get(Volunteer, line.volunteer_id).name,
            "hours": float(line.hours)}
    if line.is_correction:
        body.update(note=line.note, created_at=timestamp(line.created_at))
    return body


def _total(lines) -> float:
    return float(sum((line.hours for line in lines), Decimal(0)))


def activity_dict(activity: Activity) -> dict:
    """Recorded hours and later corrections apart, each with its total."""
    links = records_activities.linked(activity)
    recorded = [line for line in activity.hours if not line.is_correction]
    corrections = [line for line in activity.hours if line.is_correction]
    return {**_common(activity, "activity"), "team_id": activity.team_id,
            "start_time": activity.start_time and activity.start_time.strftime("%H:%M"),
            "end_time": activity.end_time and activity.end_time.strftime("%H:%M"),
            "title": activity.title, "category": activity.category,
            "beneficiary_member_ids": links["members"],
            "extra_beneficiaries": activity.extra_beneficiaries, "need_ids": links["needs"],
            "funds_raised_yuan": _number(activity.funds_raised_yuan), "note": activity.note,
            "hours": [_hours_line(line) for line in recorded],
            "corrections": [_hours_line(line) for line in corrections],
            "recorded_hours": _total(recorded), "corrected_hours": _total(corrections),
            "total_hours": _total(activity.hours)}


def donation_dict(donation: Donation) -> dict:
    goods = [{"item": line.item, "unit": line.unit, "quantity": float(line.quantity),
              "value_yuan": float(line.value_yuan)} for line in donation.goods]
    return {**_common(donation, "donation"), "team_id": donation.team_id,
            "offer_id": donation.offer_id, "money_yuan": _number(donation.money_yuan),
            "goods": goods, "goods_value_yuan": sum(line["value_yuan"] for line in goods),
            **records_donations.donation_links(donation), "note": donation.note}


def placement_dict(placement: Placement) -> dict:
    return {**_common(placement, "placement"), "offer_id": placement.offer_id,
            "member_id": placement.member_id, "need_id": placement.need_id,
            "start_date": placement.date.isoformat(),
            "wage_yuan_month": _number(placement.wage_yuan_month),
            "employed_at_3_months": placement.employed_at_3_months,
            "employed_at_6_months": placement.employed_at_6_months}


def purchase_dict(purchase: Purchase) -> dict:
    return {**_common(purchase, "purchase"), "offer_id": purchase.offer_id,
            "product": purchase.product, "unit": purchase.unit,
            "quantity": float(purchase.quantity), "yuan": float(purchase.yuan),
            "sellers": [{"household_id": share.household_id, "yuan": float(share.yuan)}
                        for share in purchase.sellers],
            "need_ids": records_donations.purchase_need_ids(purchase), "note": purchase.note}


#: each kind's JSON function and schema
SHAPES = {"activity": (activity_dict, ACTIVITY), "donation": (donation_dict, DONATION),
          "placement": (placement_dict, PLACEMENT), "purchase": (purchase_dict, PURCHASE)}
