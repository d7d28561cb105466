"""The public impact figures of MISSION.md, from verified records only, for a scope.

A scope is a region with all its descendants (or everywhere), a period of inclusive dates, and
optionally one organization. Money and hours are stored as scaled integers (fen, hundredths of
an hour) and summed as integers in SQL, so totals are exact on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import g
from sqlalchemy import func, select, union, union_all

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import (
    Activity,
    ActivityHours,
    ActivityRollup,
    Branch,
    Donation,
    DonationItem,
    Household,
    Member,
    Need,
    NeedKind,
    NeedStatus,
    Offer,
    OfferKind,
    Organization,
    Placement,
    Purchase,
    PurchaseShare,
    Region,
    Team,
    VerificationStatus,
    Volunteer,
    activity_beneficiaries,
    donation_households,
)
from matchmaker.models.rollups import HourRollup
from matchmaker.impact import rollups
from matchmaker.impact.rollups import scaled as _scaled
from matchmaker.services.scopes import region_ids_within

VERIFIED = VerificationStatus.VERIFIED
FIGURE_KEYS = ("volunteer_hours", "activities", "volunteers", "teams", "beneficiaries",
               "beneficiary_visits", "households_helped", "household_coverage", "donations_yuan",
               "funds_raised_yuan", "goods", "job_openings", "job_fairs", "people_employed",
               "wishes_posted", "wishes_fulfilled", "produce_purchased")
#: figures that count people: small numbers of them are suppressed in breakdowns
PERSON_METRICS = {"volunteers", "beneficiaries", "beneficiary_visits", "households_helped",
                  "people_employed"}
BREAKDOWN_METRICS = ("volunteer_hours", "activities", "volunteers", "beneficiaries",
                     "beneficiary_visits", "donations_yuan", "job_fairs", "people_employed")
#: categories about health, disability or children: their person counts need more to show
SENSITIVE_CATEGORIES = {"medical", "disability_care", "tutoring", "counselling"}
SUPPRESS_BELOW, SUPPRESS_BELOW_SENSITIVE = 5, 10
#: a wish counts as posted once public: not under review, not withdrawn (a list, not NOT IN,
#: so the (status, kind, village) index serves the count)
POSTED_WISH_STATUSES = tuple(status for status in NeedStatus
                             if status not in (NeedStatus.REVIEW, NeedStatus.CANCELLED))


@dataclass(frozen=True)
class Scope:
    region: Region | None = None
    date_from: date | None = None
    date_to: date | None = None
    organization_id: int | None = None
    #: only activities of this category (the category breakdown)
    category: str | None = None

    def describe(self) -> dict:
        organization = db.session.get(Organization, self.organization_id) \
            if self.organization_id else None
        return {"region": self.region.code if self.region else None,
                "region_name": self.region.name if self.region else "全部地区",
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "organization": self.organization_id,
                "organization_name": organization.name if organization else None}


def _in_scope(model, scope: Scope, *, by_organization: bool = True) -> list:
    """WHERE terms for a verified record of the scope: region, period, organization."""
    terms = [model.status == VERIFIED]
    if scope.region is not None:
        terms.append(model.village_id.in_(_places(scope.region)))
    if scope.date_from:
        terms.append(model.date >= scope.date_from)
    if scope.date_to:
        terms.append(model.date <= scope.date_to)
    if by_organization and scope.organization_id:
        terms.append(model.organization_id == scope.organization_id)
    return terms


def _places(region: Region):
    """The ids of the region and its descendants, as a subquery the database evaluates (a long
    list of bound ids would be sent, and compiled, once per figure)."""
    return region_ids_within(region).scalar_subquery()


def _scalar(statement) -> int:
    return int(db.session.scalar(statement) or 0)


def _hundredths(value: int) -> float:
    return float(Decimal(value) / 100)


def figures(scope: Scope) -> dict:
    """Every figure of MISSION.md's table for the scope."""
    return {key: METRICS[key](scope) for key in FIGURE_KEYS}


def _activity_terms(scope: Scope) -> list:
    """WHERE terms of the scope's verified activities (of one category when the scope says so)."""
    terms = _in_scope(Activity, scope)
    if scope.category:
        terms.append(Activity.category == scope.category)
    return terms


def _with_activity(statement):
    """A statement over activity_beneficiaries joined to the scope's activities: a join, not
    IN (ids of every verified activity), which SQLite would build in full for each figure."""
    return statement.join(Activity, Activity.id == activity_beneficiaries.c.activity_id)


def _totals(scope: Scope) -> dict:
    """The activity and hour aggregates of a scope in one query, kept for the request.

    Whole months come from the rollups; the days of a period's first and last month that do
    not make a whole month come from the records themselves."""
    cache = g.setdefault("impact_totals", {})
    if scope not in cache:
        acts = _activity_sources(scope)
        row = db.session.execute(select(
            func.sum(acts.c.activities), func.count(func.distinct(acts.c.team_id)),
            func.sum(acts.c.extra), func.sum(acts.c.funds), func.sum(acts.c.fairs),
            func.sum(acts.c.recorded), func.sum(acts.c.corrected))).one()
        cache[scope] = {
            "activities": int(row[0] or 0), "teams": row[1], "extra": int(row[2] or 0),
            "funds": int(row[3] or 0), "job_fairs": int(row[4] or 0),
            "recorded": int(row[5] or 0), "corrected": int(row[6] or 0)}
    return cache[scope]


def _volunteers(scope: Scope) -> int:
    """Distinct volunteers with verified hours in the scope."""
    people = _volunteer_sources(scope)
    return _scalar(select(func.count(func.distinct(people.c.volunteer_id))))


def _period_parts(scope: Scope) -> tuple[tuple | None, list[tuple]]:
    """The period as a range of whole months (first-of-month dates, None for unbounded) and the
    day ranges around it; (None, [(from, to)]) when the period holds no whole month."""
    low, high = scope.date_from, scope.date_to
    first = None if low is None else (low if low.day == 1 else rollups.next_month(low))
    last = None
    if high is not None:
        last = rollups.month_start(high)
        if rollups.next_month(last) - timedelta(days=1) != high:
            last = rollups.month_start(last - timedelta(days=1))
    if first is not None and last is not None and first > last:
        return None, [(low, high)]
    days = []
    if low is not None and low != first:
        days.append((low, first - timedelta(days=1)))
    if high is not None and rollups.next_month(last) <= high:
        days.append((rollups.next_month(last), high))
    return (first, last), days


def _rollup_terms(model, scope: Scope, months: tuple) -> list:
    first, last = months
    terms = [model.month >= first] if first else []
    if last:
        terms.append(model.month <= last)
    if scope.region is not None:
        terms.append(model.village_id.in_(_places(scope.region)))
    if scope.organization_id:
        terms.append(model.organization_id == scope.organization_id)
    if scope.category:
        terms.append(model.category == scope.category)
    return terms


def _record_terms(scope: Scope, days: tuple) -> list:
    from dataclasses import replace

    narrowed = replace(scope, date_from=days[0], date_to=days[1])
    return _in_scope(Activity, narrowed) + (
        [Activity.category == scope.category] if scope.category else [])


def _union(parts: list):
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()


def _activity_sources(scope: Scope):
    """Rows of (team_id, village_id, activities, extra, funds, fairs, recorded, corrected) that add up to
    the scope's activities and hours: rollup rows for whole months, then the records' own
    activities and hour lines for the days around them."""
    months, days = _period_parts(scope)
    parts = []
    if months is not None:
        rollup = ActivityRollup
        parts.append(select(
            rollup.team_id, rollup.village_id, rollup.activities.label("activities"),
            rollup.extra_beneficiaries.label("extra"), rollup.funds_raised.label("funds"),
            rollup.job_fairs.label("fairs"), rollup.recorded.label("recorded"),
            rollup.corrected.label("corrected")).where(*_rollup_terms(rollup, scope, months)))
    zero = sa.literal(0)
    for span in days:
        parts.append(_labelled(
            Activity.team_id, Activity.village_id, sa.literal(1), Activity.extra_beneficiaries,
            func.coalesce(_scaled(Activity.funds_raised_yuan), 0),
            sa.case((Activity.category == "job_fair", 1), else_=0), zero, zero)
            .where(*_record_terms(scope, span)))
        parts.append(_labelled(
            Activity.team_id, Activity.village_id, zero, zero, zero, zero,
            rollups.recorded_part(), rollups.corrected_part())
            .join(Activity, Activity.id == ActivityHours.activity_id)
            .where(*_record_terms(scope, span)))
    return _union(parts)


SOURCE_COLUMNS = ("team_id", "village_id", "activities", "extra", "funds", "fairs", "recorded",
                  "corrected")


def _labelled(*columns):
    return select(*(column.label(name) for column, name in zip(columns, SOURCE_COLUMNS)))


def _volunteer_sources(scope: Scope):
    """Rows of volunteer_id, one or more per volunteer with verified hours in the scope."""
    months, days = _period_parts(scope)
    parts = []
    if months is not None:
        parts.append(select(HourRollup.volunteer_id.label("volunteer_id"))
                     .where(*_rollup_terms(HourRollup, scope, months)))
    for span in days:
        parts.append(select(ActivityHours.volunteer_id.label("volunteer_id"))
                     .join(Activity, Activity.id == ActivityHours.activity_id)
                     .where(*_record_terms(scope, span)))
    return _union(parts)


def _extra(scope: Scope) -> int:
    return _totals(scope)["extra"]


def _beneficiary_rows(scope: Scope):
    return _with_activity(select(activity_beneficiaries.c.member_id)).where(
        *_activity_terms(scope))


def _beneficiaries(scope: Scope) -> int:
    """Distinct registered persons who benefited, plus declared unregistered head-counts."""
    people = [_beneficiary_rows(scope)]
    if not scope.category:
        people.append(select(Placement.member_id).where(*_in_scope(Placement, scope)))
    return _scalar(select(func.count()).select_from(union(*people).subquery())) + _extra(scope)


def _coverage(scope: Scope) -> float:
    registered = _scalar(select(func.count()).select_from(Household).where(
        *([Household.village_id.in_(_places(scope.region))] if scope.region else [])))
    return round(_households_helped(scope) / registered, 4) if registered else 0.0


METRICS = {
    "volunteer_hours": lambda scope: hours_apart(scope)["total"],
    "activities": lambda scope: _totals(scope)["activities"],
    "volunteers": _volunteers,
    "teams": lambda scope: _totals(scope)["teams"],
    "beneficiaries": _beneficiaries,
    "beneficiary_visits": lambda scope: _scalar(select(func.count()).select_from(
        _beneficiary_rows(scope).subquery())) + _extra(scope),
    "households_helped": lambda scope: _households_helped(scope),
    "household_coverage": _coverage,
    "donations_yuan": lambda scope: _donations_yuan(scope),
    "funds_raised_yuan": lambda scope: _hundredths(_totals(scope)["funds"]),
    "goods": lambda scope: _goods(scope),
    "job_openings": lambda scope: _job_openings(scope),
    "job_fairs": lambda scope: _totals(scope)["job_fairs"],
    "people_employed": lambda scope: _scalar(select(func.count(func.distinct(
        Placement.member_id))).where(*_in_scope(Placement, scope))),
    "wishes_posted": lambda scope: wish_count(scope),
    "wishes_fulfilled": lambda scope: wish_count(scope, lit=True),
    "produce_purchased": lambda scope: _produce(scope),
}


def hours_apart(scope: Scope) -> dict:
    """Verified hours recorded with their activities and hours added later as corrections."""
    totals = _totals(scope)
    recorded, corrected = totals["recorded"], totals["corrected"]
    return {"recorded": _hundredths(recorded), "corrected": _hundredths(corrected),
            "total": _hundredths(recorded + corrected)}


def _households_helped(scope: Scope) -> int:
    """Distinct households with a fulfilled need or a verified benefit in the scope (kept for
    the request: the coverage figure divides it)."""
    cache = g.setdefault("impact_households_helped", {})
    if scope not in cache:
        cache[scope] = _count_households_helped(scope)
    return cache[scope]


def _count_households_helped(scope: Scope) -> int:
    benefited = [
        _with_activity(select(Member.household_id).join(
            activity_beneficiaries, activity_beneficiaries.c.member_id == Member.id))
        .where(*_activity_terms(scope)),
        select(donation_households.c.household_id).join(
            Donation, Donation.id == donation_households.c.donation_id)
        .where(*_in_scope(Donation, scope)),
        select(Member.household_id).join(Placement, Placement.member_id == Member.id)
        .where(*_in_scope(Placement, scope)),
        select(PurchaseShare.household_id).join(Purchase, Purchase.id == PurchaseShare.purchase_id)
        .where(*_in_scope(Purchase, scope)),
    ]
    if not scope.organization_id:  # a fulfilled need is not any one organization's
        benefited.append(select(Need.household_id).where(*_fulfilled(scope)))
    return _scalar(select(func.count()).select_from(union(*benefited).subquery()))


def _placed_in_period(place, moment, scope: Scope) -> list:
    """WHERE terms for a row whose place and timestamp fall in the scope's region and period."""
    terms = [place.in_(_places(scope.region))] if scope.region is not None else []
    if scope.date_from:
        terms.append(moment >= datetime.combine(scope.date_from, time.min))
    if scope.date_to:
        terms.append(moment < datetime.combine(scope.date_to + timedelta(days=1), time.min))
    return terms


def _fulfilled(scope: Scope) -> list:
    return [Need.status == NeedStatus.FULFILLED, Need.fulfilled_at.is_not(None),
            *_placed_in_period(Need.village_id, Need.fulfilled_at, scope)]


def _donations_yuan(scope: Scope) -> float:
    money = _scalar(select(func.sum(_scaled(Donation.money_yuan))).where(*_in_scope(Donation, scope)))
    goods = _scalar(select(func.sum(_scaled(DonationItem.value_yuan))).join(
        Donation, Donation.id == DonationItem.donation_id).where(*_in_scope(Donation, scope)))
    return _hundredths(money + goods)


def _goods(scope: Scope) -> list[dict]:
    rows = db.session.execute(
        select(DonationItem.item, DonationItem.unit, func.sum(DonationItem.quantity))
        .join(Donation, Donation.id == DonationItem.donation_id)
        .where(*_in_scope(Donation, scope))
        .group_by(DonationItem.item, DonationItem.unit)
        .order_by(DonationItem.item, DonationItem.unit))
    return [{"item": item, "unit": unit, "quantity": float(quantity)}
            for item, unit, quantity in rows]


def _produce(scope: Scope) -> list[dict]:
    rows = db.session.execute(
        select(Purchase.product, Purchase.unit, func.sum(Purchase.quantity),
               func.sum(_scaled(Purchase.yuan)))
        .where(*_in_scope(Purchase, scope)).group_by(Purchase.product, Purchase.unit)
        .order_by(Purchase.product, Purchase.unit))
    return [{"product": product, "unit": unit, "quantity": float(quantity),
             "yuan": _hundredths(fen)}
            for product, unit, quantity, fen in rows]


def _job_openings(scope: Scope) -> int:
    """Openings of job offers published in the period, located in the scope."""
    terms = [Offer.kind == OfferKind.JOB,
             *_placed_in_period(Offer.region_id, Offer.created_at, scope)]
    if scope.organization_id:
        terms.append(Offer.organization_id == scope.organization_id)
    return _scalar(select(func.sum(Offer.openings)).where(*terms))


def wish_count(scope: Scope, *, lit: bool = False, category: str | None = None) -> int:
    """The one count of micro-wishes (dashboard, wish board, downloads, report).

    Posted: published (not under review, not withdrawn; an expired wish was published) and on the
    board during the period: published before it ended, not closed before it began. Lit:
    confirmed delivered in the period. So every wish lit in a period is one of its posted wishes.
    For an organization, the wishes it claimed. `category` is the wish's own category."""
    terms = [Need.kind == NeedKind.WISH, *(_fulfilled(scope) if lit else _posted(scope))]
    if category:
        terms.append(Need.category == category)
    if scope.organization_id:
        terms.append(_claimed_by(scope.organization_id))
    return _scalar(select(func.count()).select_from(Need).where(*terms))


def _posted(scope: Scope) -> list:
    terms = [Need.status.in_(POSTED_WISH_STATUSES)]
    if scope.region is not None:
        terms.append(Need.village_id.in_(_places(scope.region)))
    if scope.date_to:
        terms.append(Need.created_at < datetime.combine(scope.date_to + timedelta(days=1),
                                                        time.min))
    if scope.date_from:
        terms.append(sa.or_(
            Need.status.in_((NeedStatus.OPEN, NeedStatus.CLAIMED, NeedStatus.MATCHED)),
            sa.and_(Need.status == NeedStatus.FULFILLED,
                    Need.fulfilled_at >= datetime.combine(scope.date_from, time.min)),
            sa.and_(Need.status == NeedStatus.EXPIRED, Need.deadline >= scope.date_from)))
    return terms


def _claimed_by(organization_id: int):
    from matchmaker.models import HOLDING_CLAIM, Claim

    return sa.exists().where(Claim.need_id == Need.id, Claim.organization_id == organization_id,
                             Claim.status.in_(HOLDING_CLAIM))


def breakdown(by: str, metric: str, scope: Scope) -> list[dict]:
    """One metric by region (the scope's children), month, organization or activity category.

    Person counts under the threshold are suppressed (value None); when only one cell of a
    breakdown is suppressed, the smallest other non-zero cell is suppressed too, so that no
    suppressed count can be worked out by subtracting the others from the total.
    """
    from dataclasses import replace

    if by not in CELLS:
        raise Invalid({"by": "by 须为 region、month、organization 或 category"})
    if metric not in BREAKDOWN_METRICS:
        raise Invalid({"metric": "metric 须为 " + "、".join(BREAKDOWN_METRICS)})
    if by == "region" and metric in REGION_SUMS:
        return _region_sums(scope, metric)
    rows = []
    for key, label, narrowed in CELLS[by](scope):
        cell = replace(scope, **narrowed)
        rows.append({"key": key, "label": label, "value": METRICS[metric](cell),
                     "sensitive": (cell.category or "") in SENSITIVE_CATEGORIES})
    return _suppressed(rows) if metric in PERSON_METRICS else \
        [{key: row[key] for key in ("key", "label", "value")} for row in rows]


#: metrics that add up over places: the region breakdown sums them in one grouped query
REGION_SUMS = ("volunteer_hours", "activities")


def _region_sums(scope: Scope, metric: str) -> list[dict]:
    """Hours or activities of each of the scope's child regions, from one query grouped by
    village (the same sources as the figures, so the rows add up to the scope's total)."""
    acts = _activity_sources(scope)
    value = func.sum(acts.c.activities) if metric == "activities" else \
        func.sum(acts.c.recorded + acts.c.corrected)
    per_village = db.session.execute(select(Region.path, value).join(
        Region, Region.id == acts.c.village_id).group_by(Region.path)).all()
    rows = []
    for key, label, narrowed in _region_cells(scope):
        prefix = narrowed["region"].path
        total = sum(int(amount or 0) for path, amount in per_village if path.startswith(prefix))
        rows.append({"key": key, "label": label,
                     "value": total if metric == "activities" else _hundredths(total)})
    return rows


def _suppressed(rows: list[dict]) -> list[dict]:
    out = []
    for row in rows:
        below = SUPPRESS_BELOW_SENSITIVE if row["sensitive"] else SUPPRESS_BELOW
        hidden = 0 < row["value"] < below
        out.append({"key": row["key"], "label": row["label"],
                    "value": None if hidden else row["value"], "suppressed": hidden})
    if sum(row["suppressed"] for row in out) == 1:
        shown = [(row["value"], i) for i, row in enumerate(out) if row["value"]]
        if shown:
            second = out[min(shown)[1]]
            second["value"], second["suppressed"] = None, True
    return out


def _region_cells(scope: Scope):
    parent = Region.parent_id == scope.region.id if scope.region else Region.parent_id.is_(None)
    for region in db.session.scalars(select(Region).where(parent).order_by(Region.code)):
        yield region.code, region.name, {"region": region}


def _month_cells(scope: Scope):
    last = scope.date_to or date.today()
    first = scope.date_from or date(last.year - 1, last.month, 1) + timedelta(days=31)
    month = date(first.year, first.month, 1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        yield (f"{month:%Y-%m}", f"{month.year}年{month.month}月",
               {"date_from": max(month, first), "date_to": min(following - timedelta(days=1),
                                                                 last)})
        month = following


def _organization_cells(scope: Scope):
    ids = union(*(select(model.organization_id).where(*_in_scope(model, scope))
                  for model in (Activity, Donation, Placement, Purchase))).subquery()
    for organization in db.session.scalars(select(Organization).where(
            Organization.id.in_(select(ids.c[0]))).order_by(Organization.id)):
        yield str(organization.id), organization.name, {"organization_id": organization.id}


def _category_cells(scope: Scope):
    from matchmaker.labels import ALL_CATEGORIES

    categories = db.session.scalars(select(Activity.category).where(
        *_in_scope(Activity, scope)).distinct().order_by(Activity.category))
    for category in categories:
        yield category, ALL_CATEGORIES.get(category, category), {"category": category}


CELLS = {"region": _region_cells, "month": _month_cells, "organization": _organization_cells,
         "category": _category_cells}


def top_teams(scope: Scope, limit: int = 10) -> list[dict]:
    """The teams with the most verified hours in the scope (teams are public, people are not)."""
    rows = _activity_sources(scope)
    hours = func.sum(rows.c.recorded + rows.c.corrected)
    found = db.session.execute(
        select(Team.name, Organization.name, hours)
        .join(Team, Team.id == rows.c.team_id).join(Branch, Branch.id == Team.branch_id)
        .join(Organization, Organization.id == Branch.organization_id)
        .group_by(Team.id, Team.name, Organization.name).having(hours > 0)
        .order_by(hours.desc(), Team.id).limit(limit))
    return [{"team": team, "organization": organization, "hours": _hundredths(int(total))}
            for team, organization, total in found]


def outcomes(scope: Scope) -> dict:
    """Placements followed up: people placed, and still employed at 3 and at 6 months."""
    employed = func.count(func.distinct(Placement.member_id))
    placed, at_3, at_6 = (_scalar(select(employed).where(*_in_scope(Placement, scope), *terms))
                          for terms in ((), (Placement.employed_at_3_months.is_(True),),
                                        (Placement.employed_at_6_months.is_(True),)))
    return {"people_placed": placed, "still_employed_3_months": at_3,
            "still_employed_6_months": at_6}


def household_income(household_id: int) -> dict:
    """The yuan verified purchases credited to one household, and from how many purchases."""
    count, fen = db.session.execute(
        select(func.count(), func.sum(_scaled(PurchaseShare.yuan)))
        .join(Purchase, Purchase.id == PurchaseShare.purchase_id)
        .where(PurchaseShare.household_id == household_id, Purchase.status == VERIFIED)).one()
    return {"purchases": count, "yuan": _hundredths(int(fen or 0))}


def hours_per_volunteer(scope: Scope) -> list[dict]:
    """Verified hours per volunteer (recorded and corrected apart), for other registries."""
    terms = _in_scope(Activity, scope)
    correction, recorded = rollups.corrected_part(), rollups.recorded_part()
    rows = db.session.execute(
        select(Volunteer.id, Volunteer.name, Team.name, Organization.name,
               func.sum(recorded), func.sum(correction), func.count(func.distinct(Activity.id)))
        .join(Activity, Activity.id == ActivityHours.activity_id)
        .join(Volunteer, Volunteer.id == ActivityHours.volunteer_id)
        .join(Team, Team.id == Volunteer.team_id)
        .join(Organization, Organization.id == Activity.organization_id)
        .where(*terms).group_by(Volunteer.id, Volunteer.name, Team.name, Organization.name)
        .order_by(Organization.name, Team.name, Volunteer.id))
    return [{"volunteer_id": vid, "name": name, "team": team, "organization": org,
             "hours_recorded": _hundredths(int(rec or 0)),
             "hours_corrected": _hundredths(int(cor or 0)), "activities": count}
            for vid, name, team, org, rec, cor, count in rows]
