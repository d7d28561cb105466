"""Demo records (activities, donations, placements, purchases) and natural-key lookups."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import select

from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Activity, ActivityHours, Branch, Donation, DonationItem, Household, Member, Need, Offer,
    Organization, Placement, Purchase, PurchaseShare, Team, User, Volunteer,
    activity_beneficiaries, activity_needs, donation_households, donation_needs,
)
from matchmaker.services.regions import region_by_code

#: when a verification is recorded on the given day
VERIFIED_AT = time(18, 0)


# -- values -------------------------------------------------------------------------------------

def day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# -- upsert and lookups by natural key ----------------------------------------------------------

def upsert(counts: Counter, kind: str, model, key: dict, fields: dict, **on_create):
    """The row with this key, its fields updated, or a new one; on_create is set only on insert.

    Returns (row, created). A new row is flushed at once so that later keys can use its id.
    """
    row = db.session.scalars(select(model).filter_by(**key)).first()
    if row is not None:
        for name, value in fields.items():
            setattr(row, name, value)
        return row, False
    row = model(**key, **fields, **on_create)
    db.session.add(row)
    db.session.flush()
    counts[kind] += 1
    return row, True


def one(model, what: str, *conditions):
    row = db.session.scalars(select(model).where(*conditions)).first()
    if row is None:
        raise NotFound(f"演示数据引用了不存在的{what}")
    return row


def region_id(code: str) -> int:
    try:
        return region_by_code(code).id
    except NotFound as exc:
        raise NotFound(f"{exc.message}(请先加载 seeds/regions.csv)") from exc


def organization(name: str) -> Organization:
    return one(Organization, f"组织 {name}", Organization.name == name)


def team(organization_name: str, name: str) -> Team:
    return one(Team, f"服务队 {organization_name}/{name}", Team.name == name,
               Team.branch.has(Branch.organization.has(Organization.name == organization_name)))


def household(code: str) -> Household:
    return one(Household, f"户 {code}", Household.code == code)


def member(code: str, name: str) -> Member:
    return one(Member, f"家庭成员 {code}/{name}", Member.name == name,
               Member.household.has(Household.code == code))


def need(code: str, title: str) -> Need:
    return one(Need, f"需求 {code}/{title}", Need.title == title,
               Need.household.has(Household.code == code))


def offer(organization_name: str, title: str) -> Offer:
    return one(Offer, f"供给 {organization_name}/{title}", Offer.title == title,
               Offer.organization.has(Organization.name == organization_name))


def user_id(username: str | None) -> int | None:
    if not username:
        return None
    return one(User, f"用户 {username}", User.username == username).id


# -- records ------------------------------------------------------------------------------------

def load_records(data: dict, counts: Counter) -> None:
    """Records are inserted once and never updated: a changed record would need verifying again."""
    for row in data.get("activities", []):
        _load_activity(row, counts)
    for row in data.get("donations", []):
        _load_donation(row, counts)
    for row in data.get("placements", []):
        _load_placement(row, counts)
    for row in data.get("purchases", []):
        _load_purchase(row, counts)


def _load_activity(row: dict, counts: Counter) -> None:
    crew = team(row["organization"], row["team"])
    key = {"team_id": crew.id, "date": day(row["date"]), "title": row["title"]}
    activity, created = upsert(
        counts, "activities", Activity, key, {},
        organization_id=crew.branch.organization_id, village_id=region_id(row["village_code"]),
        category=row["category"], start_time=clock(row.get("start_time")),
        end_time=clock(row.get("end_time")), extra_beneficiaries=row.get("extra_beneficiaries", 0),
        funds_raised_yuan=money(row.get("funds_raised_yuan")),
        created_by_id=user_id(row.get("created_by")))
    if created:
        _add_hours(activity, crew, row["hours"])
        beneficiaries = [member(b["household"], b["member"]).id for b in row["beneficiaries"]]
        _link(activity_beneficiaries, "activity_id", activity.id, "member_id", beneficiaries)
        _link(activity_needs, "activity_id", activity.id, "need_id", _need_ids(row))
        _verify(activity, row)


def _add_hours(activity: Activity, crew: Team, lines: list[dict]) -> None:
    for line in lines:
        volunteer = one(Volunteer, f"志愿者 {crew.name}/{line['volunteer']}",
                        Volunteer.team_id == crew.id, Volunteer.name == line["volunteer"])
        activity.hours.append(ActivityHours(
            volunteer_id=volunteer.id, date=activity.date, hours=money(line["hours"]),
            created_by_id=activity.created_by_id))
    db.session.flush()


def _load_donation(row: dict, counts: Counter) -> None:
    donor = organization(row["organization"])
    key = {"organization_id": donor.id, "date": day(row["date"]),
           "village_id": region_id(row["village_code"])}
    crew = team(donor.name, row["team"]) if row.get("team") else None
    donation, created = upsert(
        counts, "donations", Donation, key, {}, team_id=crew.id if crew else None,
        money_yuan=money(row.get("money_yuan")), created_by_id=user_id(row.get("created_by")))
    if created:
        for line in row.get("goods", []):
            donation.goods.append(DonationItem(
                item=line["item"], unit=line["unit"], quantity=line["quantity"],
                value_yuan=money(line.get("value_yuan", 0))))
        households = [household(code).id for code in row.get("households", [])]
        _link(donation_households, "donation_id", donation.id, "household_id", households)
        _link(donation_needs, "donation_id", donation.id, "need_id", _need_ids(row))
        _verify(donation, row)


def _load_placement(row: dict, counts: Counter) -> None:
    job = offer(row["organization"], row["offer"])
    hired = member(row["household"], row["member"])
    placement, created = upsert(
        counts, "placements", Placement, {"offer_id": job.id, "member_id": hired.id}, {},
        organization_id=job.organization_id, village_id=hired.household.village_id,
        date=day(row["start_date"]), wage_yuan_month=money(row.get("wage_yuan_month")),
        employed_at_3_months=row.get("employed_at_3_months"),
        employed_at_6_months=row.get("employed_at_6_months"),
        created_by_id=user_id(row.get("created_by")))
    if created:
        _verify(placement, row)


def _load_purchase(row: dict, counts: Counter) -> None:
    buyer = organization(row["organization"])
    key = {"organization_id": buyer.id, "date": day(row["date"]), "product": row["product"]}
    purchase, created = upsert(
        counts, "purchases", Purchase, key, {}, village_id=region_id(row["village_code"]),
        unit=row["unit"], quantity=row["quantity"], yuan=money(row["yuan"]),
        created_by_id=user_id(row.get("created_by")))
    if created:
        for seller in row.get("sellers", []):
            purchase.sellers.append(PurchaseShare(
                household_id=household(seller["household"]).id, yuan=money(seller["yuan"])))
        _verify(purchase, row)


def _need_ids(row: dict) -> list[int]:
    return [need(ref["household"], ref["title"]).id for ref in row.get("needs", [])]


def _link(table: sa.Table, owner_column: str, owner_id: int, other_column: str,
          other_ids: list[int]) -> None:
    if other_ids:
        db.session.execute(sa.insert(table), [
            {owner_column: owner_id, other_column: other_id} for other_id in other_ids])


def _verify(record, row: dict) -> None:
    """Apply the verification the file records, through the model's guard methods."""
    status = row.get("status", "pending")
    if status == "pending":
        return
    verifier = user_id(row["verified_by"])
    if status == "verified":
        record.verify(verifier)
    else:
        record.reject(verifier, row["rejection_reason"])
    record.verified_at = datetime.combine(day(row["verified_on"]), VERIFIED_AT)
    db.session.flush()
