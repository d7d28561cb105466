"""The rules every record obeys: real dates, the place, the people helped, the needs, the hours."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import func, select, update

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import (
    Activity, ActivityHours, Branch, Household, Member, Need, NeedStatus, Region,
    RegionLevel, Team, VerificationStatus, Volunteer,
)
from matchmaker.models.base import utcnow
from matchmaker.services.regions import region_field
from matchmaker.services.scopes import region_ids_within

CENT = Decimal("0.01")
DAY_HOURS = Decimal(24)
#: needs a record may not name: not public yet, or closed without help
CLOSED_NEEDS = (NeedStatus.REVIEW, NeedStatus.CANCELLED, NeedStatus.EXPIRED)
PLACES = (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP)


def cents(value) -> Decimal | None:
    """Hours and 元 kept to the hundredth, rounded half up (as the ledgers do)."""
    return None if value is None else Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """3.5 rather than 3.50, 10 rather than 1E+1."""
    return f"{Decimal(value).normalize():f}"


def not_in_future(day: date, field: str = "date") -> None:
    if day > date.today():
        raise Invalid({field: "日期不能晚于今天:只能记录已经发生的帮扶"})


def is_late(day: date, entered: datetime | None = None) -> bool:
    """Entered more than RECORD_LATE_DAYS after the event: flagged for the verifier."""
    entered_on = (entered or utcnow()).date()
    return (entered_on - day).days > current_app.config["RECORD_LATE_DAYS"]


def place(code: str, field: str = "village_code") -> Region:
    """Where the help was given: a village, or a township for a township-wide event."""
    return region_field(code, field, PLACES, "找不到该村(社区)或乡镇")


def check_organization(data: dict, organization_id: int) -> None:
    """A record is always its recorder's organization's; naming another is refused."""
    if data.get("organization_id") not in (None, organization_id):
        raise Invalid({"organization_id": "只能记录本组织的帮扶"})


def members_in(region: Region, ids: list[int], field: str) -> list[int]:
    """Registered persons helped: each must live in the record's village (or its township)."""
    found = set(db.session.scalars(select(Member.id).join(Household).where(
        Member.id.in_(ids), Household.village_id.in_(region_ids_within(region)))))
    return _all_found(ids, found, field, f"不是{region.name}登记的人员")


def households_in(region: Region, ids: list[int], field: str) -> list[int]:
    found = set(db.session.scalars(select(Household.id).where(
        Household.id.in_(ids), Household.village_id.in_(region_ids_within(region)))))
    return _all_found(ids, found, field, f"不是{region.name}登记的农户")


def needs_in(region: Region, ids: list[int], kinds: tuple[str, ...], field: str) -> list[int]:
    """The needs a record meets: of its place, of a fitting kind, public and not closed unmet."""
    found = set(db.session.scalars(select(Need.id).where(
        Need.id.in_(ids), Need.village_id.in_(region_ids_within(region)), Need.kind.in_(kinds),
        Need.status.not_in(CLOSED_NEEDS))))
    return _all_found(ids, found, field, f"不是{region.name}可记录的相应类型需求")


def _all_found(ids: list[int], found: set[int], field: str, why: str) -> list[int]:
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise Invalid({field: f"编号 {'、'.join(missing)} {why}"})
    return list(ids)


# -- hours --------------------------------------------------------------------------------------

def hours_lines(lines: list[dict]) -> list[tuple[int, int, Decimal]]:
    """(index, volunteer_id, hours) from the form's lines, hours to the hundredth."""
    return [(index, line["volunteer_id"], cents(line["hours"]))
            for index, line in enumerate(lines)]


def check_volunteers(organization_id: int, lines, field: str = "hours") -> None:
    """Hours only for volunteers of the organizer's own organization, never another's."""
    ids = {volunteer_id for _, volunteer_id, _ in lines}
    own = set(db.session.scalars(select(Volunteer.id).join(Team).join(Branch).where(
        Volunteer.id.in_(ids), Branch.organization_id == organization_id)))
    for index, volunteer_id, _ in lines:
        if volunteer_id not in own:
            raise Invalid({f"{field}[{index}].volunteer_id": "找不到本组织的这名志愿者"})


def hold_volunteers(ids) -> None:
    """Lock the volunteers' rows in id order before summing their day: no two postings race."""
    for volunteer_id in sorted(set(ids)):
        db.session.execute(update(Volunteer).where(Volunteer.id == volunteer_id)
                           .values(updated_at=utcnow()),
                           execution_options={"synchronize_session": False})


def day_totals(ids, day: date, excluding_activity: int | None = None) -> dict[int, Decimal]:
    """Hours each volunteer already has on the day, across activities that are not rejected."""
    query = (select(ActivityHours.volunteer_id, func.sum(ActivityHours.hours))
             .join(Activity, Activity.id == ActivityHours.activity_id)
             .where(ActivityHours.volunteer_id.in_(set(ids)), ActivityHours.date == day,
                    Activity.status != VerificationStatus.REJECTED)
             .group_by(ActivityHours.volunteer_id))
    if excluding_activity is not None:
        query = query.where(ActivityHours.activity_id != excluding_activity)
    return {volunteer_id: Decimal(total or 0) for volunteer_id, total in db.session.execute(query)}


def line_field(field: str = "hours"):
    """Where an hours problem is reported: the line's hours field, hours[2].hours."""
    return lambda index: f"{field}[{index}].hours"


def check_day(lines, day: date, already: dict[int, Decimal], field_of=line_field()) -> None:
    """One volunteer's hours in one day are at most 24, all activities together."""
    adding: dict[int, Decimal] = defaultdict(Decimal)
    for index, volunteer_id, hours in lines:
        adding[volunteer_id] += hours
        total = already.get(volunteer_id, Decimal(0)) + adding[volunteer_id]
        if total > DAY_HOURS:
            before = already.get(volunteer_id, Decimal(0))
            raise Invalid({field_of(index):
                           f"该志愿者{day.isoformat()}已记录{plain(before)}小时,"
                           f"一天合计不能超过24小时"})


def check_span(lines, start: time | None, end: time | None, already: dict[int, Decimal],
               field_of=line_field()) -> None:
    """With start and end times given, no volunteer serves longer than the activity lasted."""
    if start is None or end is None:
        return
    span = cents(Decimal((datetime.combine(date.min, end) - datetime.combine(date.min, start))
                         .total_seconds()) / 3600)
    adding: dict[int, Decimal] = defaultdict(Decimal)
    for index, volunteer_id, hours in lines:
        adding[volunteer_id] += hours
        if already.get(volunteer_id, Decimal(0)) + adding[volunteer_id] > span:
            raise Invalid({field_of(index):
                           f"超过活动时长:{start:%H:%M}至{end:%H:%M}共{plain(span)}小时"})


def activity_totals(activity: Activity) -> dict[int, Decimal]:
    """Each volunteer's hours in the activity, recorded and corrected together."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in activity.hours:
        totals[line.volunteer_id] += line.hours
    return dict(totals)
