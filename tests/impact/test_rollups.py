"""The impact rollups: kept current on every change, and the figures read from them equal a scan
of the records for any period, whole months or not."""
from datetime import date

import pytest
import sqlalchemy as sa
from flask import g

from matchmaker.extensions import db
from matchmaker.models import ActivityHours, ActivityRollup, HourRollup
from matchmaker.impact import figures as impact, rollups
from tests.api.market import make_org
from tests.api.test_impact_api import activity, place
from tests.api.test_impact_article_000 import team_of
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE

PERIODS = [
    (None, None), (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 1, 15), date(2026, 2, 28)),
    (date(2026, 1, 31), date(2026, 2, 1)), (date(2026, 2, 1), date(2026, 2, 28)),
    (date(2026, 2, 10), date(2026, 2, 20)), (None, date(2026, 2, 14)),
    (date(2026, 2, 14), None), (date(2026, 3, 1), None), (None, date(2025, 12, 31)),
]


@pytest.fixture
def village(app):
    return place(VILLAGE)


@pytest.fixture
def records(village):
    """Activities over four months and two villages, some pending, rejected or corrected."""
    team, people = team_of(make_org(village, "赣鄱建材有限公司"), village, volunteers=4)
    other = place(OTHER_VILLAGE).id
    plan = [(VILLAGE, date(2026, 1, 15), 2, people[:2], "verified", "tutoring"),
            (VILLAGE, date(2026, 1, 31), 3, people[1:3], "verified", "job_fair"),
            (OTHER_VILLAGE, date(2026, 2, 1), 1.5, people, "verified", "tutoring"),
            (VILLAGE, date(2026, 2, 14), 4, people[3:], "verified", "cleaning"),
            (VILLAGE, date(2026, 2, 28), 5, people[:1], "pending", "tutoring"),
            (OTHER_VILLAGE, date(2026, 3, 10), 6, people[2:], "rejected", "tutoring"),
            (VILLAGE, date(2026, 4, 1), 2.5, people[:3], "verified", "tutoring")]
    made = [activity(team, place(code).id if code == VILLAGE else other, day, hours,
                     category=category, status=status, extra=1, volunteers=volunteers)
            for code, day, hours, volunteers, status, category in plan]
    db.session.add(ActivityHours(activity_id=made[2].id, volunteer_id=people[0].id,
                                 date=date(2026, 2, 1), hours=0.5, is_correction=True))
    db.session.commit()
    return team, people, made


def scanned(low, high, region=None) -> dict:
    """The figures straight from the records, with no rollup, as plain SQL."""
    terms, params = ["a.status = 'verified'"], {}
    if low:
        terms.append("a.date >= :low")
        params["low"] = low
    if high:
        terms.append("a.date <= :high")
        params["high"] = high
    if region:
        terms.append("a.village_id IN (SELECT id FROM regions WHERE path LIKE :path)")
        params["path"] = region.path + "%"
    where = " AND ".join(terms)
    lines = db.session.execute(sa.text(
        "SELECT coalesce(sum(CASE WHEN h.is_correction THEN 0 ELSE h.hours END), 0), "
        "coalesce(sum(CASE WHEN h.is_correction THEN h.hours ELSE 0 END), 0), "
        "count(DISTINCT h.volunteer_id) FROM activity_hours h "
        f"JOIN activities a ON a.id = h.activity_id WHERE {where}"), params).one()
    acts = db.session.execute(sa.text(
        "SELECT count(*), count(DISTINCT a.team_id), coalesce(sum(a.extra_beneficiaries), 0), "
        "coalesce(sum(CASE WHEN a.category = 'job_fair' THEN 1 ELSE 0 END), 0) "
        f"FROM activities a WHERE {where}"), params).one()
    return {"recorded": int(lines[0]), "corrected": int(lines[1]), "volunteers": lines[2],
            "activities": acts[0], "teams": acts[1], "extra": int(acts[2]),
            "job_fairs": int(acts[3])}


def from_rollups(low, high, region=None) -> dict:
    g.pop("impact_totals", None)
    scope = impact.Scope(region=region, date_from=low, date_to=high)
    totals = {**impact._totals(scope), "volunteers": impact.METRICS["volunteers"](scope)}
    return {key: totals[key] for key in ("recorded", "corrected", "volunteers", "activities",
                                         "teams", "extra", "job_fairs")}


@pytest.mark.parametrize("region_code", [None, TOWNSHIP, VILLAGE])
def test_figures_from_the_rollups_equal_a_scan_of_the_records_for_any_period(
        app, records, region_code):
    region = place(region_code) if region_code else None
    for low, high in PERIODS:
        assert from_rollups(low, high, region) == scanned(low, high, region), (low, high)
    assert scanned(None, None)["recorded"] == 2 * 200 + 2 * 300 + 4 * 150 + 400 + 3 * 250


def rollup_rows() -> set[tuple]:
    hours = db.session.execute(sa.select(
        HourRollup.village_id, HourRollup.month, HourRollup.team_id, HourRollup.category,
        HourRollup.volunteer_id, HourRollup.recorded, HourRollup.corrected)).all()
    acts = db.session.execute(sa.select(
        ActivityRollup.village_id, ActivityRollup.month, ActivityRollup.category,
        ActivityRollup.activities, ActivityRollup.extra_beneficiaries,
        ActivityRollup.job_fairs)).all()
    return {("h", *row) for row in hours} | {("a", *row) for row in acts}


def rebuilt() -> set[tuple]:
    rollups.rebuild(db.session.connection())
    db.session.commit()
    return rollup_rows()


def test_every_change_keeps_the_rollups_equal_to_a_rebuild(app, records, make_user):
    _team, people, made = records
    cadre = make_user("cadre")
    assert rollup_rows() == rebuilt()
    pending = made[4]
    pending.verify(cadre.id)  # verified: it counts now
    db.session.commit()
    assert ("a", pending.village_id, date(2026, 2, 1), "tutoring", 1, 1, 0) in rollup_rows()
    assert rollup_rows() == rebuilt()
    moved = made[0]
    moved.category, moved.date = "repair", date(2026, 3, 2)  # a changed record moves cells
    db.session.commit()
    assert not any(row[0] == "a" and row[2] == date(2026, 1, 1) and row[3] == "tutoring"
                   for row in rollup_rows())
    assert rollup_rows() == rebuilt()
    moved.reopen()  # back to pending: it stops counting
    db.session.add(ActivityHours(activity_id=made[3].id, volunteer_id=people[3].id,
                                 date=made[3].date, hours=1, is_correction=True))
    db.session.commit()
    assert rollup_rows() == rebuilt()
    db.session.delete(made[6])
    db.session.commit()
    assert not any(row[2] == date(2026, 4, 1) for row in rollup_rows())
    assert rollup_rows() == rebuilt()
    assert from_rollups(None, None) == scanned(None, None)
