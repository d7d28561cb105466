"""Keeping the impact rollups current: every flush that touches an activity or its hour lines
recomputes the rollup rows of the cells it touched, in the same transaction.

The rollups are derived data: `rebuild()` recomputes all of them from the records (after bulk
writes that bypass the ORM, such as the synthetic benchmark data), and the figures stay exact
because a cell's rows are always recomputed whole, never incremented.
"""
from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from sqlalchemy import event, func, select, type_coerce
from sqlalchemy.orm import Session

from matchmaker.models import Activity, ActivityHours, Organization, VerificationStatus
from matchmaker.models.rollups import CELL_COLUMNS, ActivityRollup, HourRollup

log = logging.getLogger("matchmaker.rollups")
CELL_FIELDS = ("village_id", "date", "organization_id", "team_id", "category")
_LEAVING = "rollup_cells_leaving"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def scaled(column):
    """A scaled-integer column (fen, hundredths of an hour) as its stored integer, so sums in
    SQL are exact."""
    return type_coerce(column, sa.BigInteger)


def recorded_part():
    """An hour line's hours if recorded with its activity, else 0 (hundredths)."""
    return sa.case((ActivityHours.is_correction, 0), else_=scaled(ActivityHours.hours))


def corrected_part():
    """An hour line's hours if added later as a correction, else 0 (hundredths)."""
    return sa.case((ActivityHours.is_correction, scaled(ActivityHours.hours)), else_=0)


def _recorded():
    return func.sum(recorded_part())


def _corrected():
    return func.sum(corrected_part())


def _activity_aggregates():
    return (func.count(), func.coalesce(func.sum(Activity.extra_beneficiaries), 0),
            func.coalesce(func.sum(scaled(Activity.funds_raised_yuan)), 0),
            func.sum(sa.case((Activity.category == "job_fair", 1), else_=0)))


def _activity_hours(column: str):
    """An activity's recorded or corrected hours, as a correlated sum over its lines."""
    total = _recorded() if column == "recorded" else _corrected()
    return select(func.coalesce(total, 0)).where(
        ActivityHours.activity_id == Activity.id).scalar_subquery()


def _activity_values():
    return (*_activity_aggregates(), func.coalesce(func.sum(_activity_hours("recorded")), 0),
            func.coalesce(func.sum(_activity_hours("corrected")), 0))


ACTIVITY_VALUES = ("activities", "extra_beneficiaries", "funds_raised", "job_fairs", "recorded",
                   "corrected")
HOUR_VALUES = ("volunteer_id", "recorded", "corrected")


def refresh_cells(connection, cells: set[tuple]) -> None:
    """Recompute the rollup rows of each (village, month, organization, team, category)."""
    for cell in sorted(cells, key=repr):
        _lock_organization(connection, cell[2])
        keys = dict(zip(CELL_COLUMNS, cell))
        for model in (ActivityRollup, HourRollup):
            connection.execute(sa.delete(model.__table__).where(
                *(model.__table__.c[name] == value for name, value in keys.items())))
        constants = [sa.literal(value, type_=ActivityRollup.__table__.c[name].type)
                     for name, value in keys.items()]
        terms = _cell_terms(cell)
        connection.execute(sa.insert(ActivityRollup.__table__).from_select(
            CELL_COLUMNS + ACTIVITY_VALUES,
            select(*constants, *_activity_values()).where(*terms).having(func.count() > 0)))
        connection.execute(sa.insert(HourRollup.__table__).from_select(
            CELL_COLUMNS + HOUR_VALUES,
            select(*constants, ActivityHours.volunteer_id, _recorded(), _corrected())
            .join(Activity, Activity.id == ActivityHours.activity_id).where(*terms)
            .group_by(ActivityHours.volunteer_id)))


def _lock_organization(connection, organization_id: int) -> None:
    """Two transactions refreshing one organization's cells take turns (PostgreSQL; SQLite
    writers are serialised already), so neither recomputes from what the other is changing.

    FOR NO KEY UPDATE, not FOR UPDATE: inserting an activity holds a KEY SHARE lock on its
    organization's row through the foreign key, which FOR UPDATE would wait on, so two posts of
    one organization deadlocked (found by bench/load.py)."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(Organization.id).where(
            Organization.id == organization_id).with_for_update(key_share=True))


def _cell_terms(cell: tuple) -> list:
    village_id, month, organization_id, team_id, category = cell
    return [Activity.status == VerificationStatus.VERIFIED, Activity.village_id == village_id,
            Activity.organization_id == organization_id, Activity.team_id == team_id,
            Activity.category == category, Activity.date >= month,
            Activity.date < next_month(month)]


def month_of(column, dialect: str):
    """The first day of a date column's month, in SQL."""
    if dialect == "postgresql":
        return sa.cast(func.date_trunc("month", column), sa.Date)
    return func.date(column, "start of month")


def rebuild(connection) -> dict:
    """Recompute every rollup row from the verified records; returns the rows written."""
    month = month_of(Activity.date, connection.dialect.name)
    cell = (Activity.village_id, month, Activity.organization_id, Activity.team_id,
            Activity.category)
    verified = Activity.status == VerificationStatus.VERIFIED
    for model in (HourRollup, ActivityRollup):
        connection.execute(sa.delete(model.__table__))
    connection.execute(sa.insert(ActivityRollup.__table__).from_select(
        CELL_COLUMNS + ACTIVITY_VALUES,
        select(*cell, *_activity_values()).where(verified).group_by(*cell)))
    connection.execute(sa.insert(HourRollup.__table__).from_select(
        CELL_COLUMNS + HOUR_VALUES,
        select(*cell, ActivityHours.volunteer_id, _recorded(), _corrected())
        .join(Activity, Activity.id == ActivityHours.activity_id).where(verified)
        .group_by(*cell, ActivityHours.volunteer_id)))
    return {model.__tablename__: connection.scalar(select(func.count()).select_from(model))
            for model in (ActivityRollup, HourRollup)}


def _cell(values: dict) -> tuple | None:
    if any(values.get(name) is None for name in CELL_FIELDS):
        return None
    return (values["village_id"], month_start(values["date"]), values["organization_id"],
            values["team_id"], values["category"])


def _cells_of(connection, activity_ids) -> set[tuple]:
    rows = connection.execute(select(*(getattr(Activity, name) for name in CELL_FIELDS))
                              .where(Activity.id.in_(sorted(activity_ids))))
    return {_cell(dict(zip(CELL_FIELDS, row))) for row in rows}


def _before_flush(session: Session, flush_context, instances) -> None:
    """Note the cells that changed or deleted activities are leaving, as the database still has
    them (an expired attribute set anew keeps no history of its old value)."""
    ids = {obj.id for obj in (*session.dirty, *session.deleted)
           if isinstance(obj, Activity) and obj.id is not None}
    if ids:
        session.info.setdefault(_LEAVING, set()).update(_cells_of(session.connection(), ids))


def _after_flush(session: Session, flush_context) -> None:
    """Refresh the cells the flush touched. Here the session still lists what the flush wrote
    (new, dirty and deleted) and the new rows have their ids."""
    cells, touched = session.info.pop(_LEAVING, set()), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Activity):
            touched.add(obj.id)
        elif isinstance(obj, ActivityHours):
            touched.add(obj.activity_id or (obj.activity.id if obj.activity else None))
    touched.discard(None)
    if not touched and not cells:
        return
    connection = session.connection()
    if touched:
        cells |= _cells_of(connection, touched)
    cells.discard(None)
    refresh_cells(connection, cells)


def install(session_class=Session) -> None:
    """Keep the rollups current on every flush of the app's sessions (once per process)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "before_flush", _before_flush)
        event.listen(session_class, "after_flush", _after_flush)
