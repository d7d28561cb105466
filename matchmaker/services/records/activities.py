"""Volunteer activities (志愿服务记录) with each volunteer's hours, and hours corrected later."""
from __future__ import annotations

from decimal import Decimal

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import (
    Activity, ActivityHours, NeedKind, Region, User, activity_beneficiaries, activity_needs,
)
from matchmaker.services import audit
from matchmaker.services.records import verification as records
from matchmaker.services.records import rules
from matchmaker.services.registry.orgs import organization_of, own_team

#: the needs an activity may meet
NEED_KINDS = (NeedKind.SERVICE, NeedKind.WISH)
FIELDS = ("date", "start_time", "end_time", "title", "category", "extra_beneficiaries",
          "funds_raised_yuan", "note")
#: where a changed date or time that no longer holds the recorded hours is reported
MOVED = {"span": lambda index: "end_time", "day": lambda index: "date"}
FIXED = {"hours": "已记录的时长不能修改,补录请用 POST /activities/{id}/hours",
         "team_id": "服务队不能修改,请重新记录"}


def create_activity(data: dict, user: User) -> Activity:
    """Record an activity of one of the organizer's teams, with its volunteers' hours."""
    organization_id = organization_of(user, records.RECORDING)
    team = own_team(organization_id, data["team_id"])
    place, links = _checked(data)
    lines = rules.hours_lines(data["hours"])
    _check_hours(organization_id, lines, data, {}, None)
    activity = Activity(team_id=team.id, organization_id=organization_id, village_id=place.id,
                        created_by_id=user.id, late_entry=rules.is_late(data["date"]))
    _apply(activity, data)
    db.session.add(activity)
    db.session.flush()
    _add_lines(activity, lines, user, correction=False)
    _link(activity, links)
    audit.record("activity.create", user.id, activity, team_id=team.id,
                 volunteers=len(lines), late_entry=activity.late_entry)
    records.tell_verifiers(activity)
    return activity


def _checked(data: dict) -> tuple[Region, dict[str, list[int]]]:
    """The place, the date, and the people and needs it names, each checked against the place."""
    place = rules.place(data["village_code"])
    rules.not_in_future(data["date"])
    members = rules.members_in(place, data.get("beneficiary_member_ids") or [],
                               "beneficiary_member_ids")
    needs = rules.needs_in(place, data.get("need_ids") or [], NEED_KINDS, "need_ids")
    return place, {"members": members, "needs": needs}


def _check_hours(organization_id: int, lines, data: dict, own: dict, activity_id: int | None,
                 where: dict | None = None) -> None:
    """Own volunteers only; within the activity's span; at most 24 hours a day in all.

    `where` names the fields a problem is reported on when no hours are being added.
    """
    where = where or {}
    rules.check_volunteers(organization_id, lines)
    volunteers = {volunteer_id for _, volunteer_id, _ in lines} | set(own)
    rules.hold_volunteers(volunteers)
    rules.check_span(lines, data.get("start_time"), data.get("end_time"), own,
                     where.get("span", rules.line_field()))
    others = rules.day_totals(volunteers, data["date"], excluding_activity=activity_id)
    already = {v: others.get(v, 0) + own.get(v, 0) for v in volunteers}
    rules.check_day(lines, data["date"], already, where.get("day", rules.line_field()))


def _apply(activity: Activity, data: dict) -> None:
    for name in FIELDS:
        setattr(activity, name, data.get(name))
    activity.extra_beneficiaries = data.get("extra_beneficiaries") or 0
    activity.funds_raised_yuan = rules.cents(data.get("funds_raised_yuan"))
    activity.note = data.get("note") or None


def _add_lines(activity: Activity, lines, user: User, correction: bool, note=None) -> None:
    for _, volunteer_id, hours in lines:
        activity.hours.append(ActivityHours(
            volunteer_id=volunteer_id, date=activity.date, hours=hours, is_correction=correction,
            note=note, created_by_id=user.id))
    db.session.flush()


def _link(activity: Activity, links: dict[str, list[int]]) -> None:
    """Replace the people helped and the needs met (the needs are what stalled claims look at)."""
    records.replace_links(activity_beneficiaries, activity.id, "member_id", links["members"])
    records.replace_links(activity_needs, activity.id, "need_id", links["needs"])


def linked(activity: Activity) -> dict[str, list[int]]:
    """The member ids helped and the need ids met, in id order."""
    return {"members": records.linked_ids(activity_beneficiaries, activity.id, "member_id"),
            "needs": records.linked_ids(activity_needs, activity.id, "need_id")}


# -- changes ------------------------------------------------------------------------------------

def edit_data(activity: Activity) -> dict:
    """The activity as form data (PATCH merges its body into this and validates the whole)."""
    links = linked(activity)
    data = {name: getattr(activity, name) for name in FIELDS}
    data.update(village_code=db.session.get(Region, activity.village_id).code,
                beneficiary_member_ids=links["members"], need_ids=links["needs"])
    for name in ("start_time", "end_time"):
        data[name] = data[name].strftime("%H:%M:%S") if data[name] else None
    return {key: value for key, value in data.items() if value is not None}


def refuse_fixed(body: dict) -> None:
    fixed = {name: why for name, why in FIXED.items() if name in body}
    if fixed:
        raise Invalid(fixed)


def update_activity(activity: Activity, data: dict, user: User) -> Activity:
    """Change what was recorded; the hours move with the date and are checked again.

    A verified (or rejected) activity that changes goes back to pending.
    """
    place, links = _checked(data)
    before = _snapshot(activity)
    own = rules.activity_totals(activity)
    unchanged = [(0, volunteer_id, Decimal(0)) for volunteer_id in own]  # the totals, re-checked
    _check_hours(activity.organization_id, unchanged, data, own, activity.id, where=MOVED)
    _apply(activity, data)
    activity.village_id = place.id
    for line in activity.hours:
        line.date = activity.date
    activity.late_entry = rules.is_late(activity.date, activity.created_at)
    _link(activity, links)
    records.record_changes(activity, before, _snapshot(activity), user)
    return activity


def _snapshot(activity: Activity) -> dict:
    return {**{name: getattr(activity, name) for name in FIELDS},
            "village_id": activity.village_id, **linked(activity)}


def correct_hours(activity: Activity, data: dict, user: User) -> Activity:
    """Hours added afterwards: new lines marked as corrections, never an overwrite."""
    organization_id = organization_of(user, records.RECORDING)
    records.refuse_if_rejected(activity)
    lines = rules.hours_lines(data["hours"])
    span = {"date": activity.date, "start_time": activity.start_time,
            "end_time": activity.end_time}
    _check_hours(organization_id, lines, span, rules.activity_totals(activity), activity.id)
    _add_lines(activity, lines, user, correction=True, note=data["note"])
    records.reopen_if_decided(activity, user)
    audit.record("activity.correct_hours", user.id, activity, volunteers=len(lines),
                 hours=str(sum(hours for _, _, hours in lines)))
    return activity
