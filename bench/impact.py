"""Benchmark: GET /api/v1/impact and the dashboard for one county over many verified hour lines.

    .venv/bin/python bench/impact.py --lines 1M [--database sqlite|postgresql] [--requests 50]

Seeds the synthetic province (matchmaker.matching.synthetic), then writes activities of 20
volunteers' hour lines each straight through SQLAlchemy core, 90% of them verified, over two
years; each team serves a few villages of one county (its paired villages, as branches do).
The bulk insert bypasses the ORM, so the rollups are rebuilt once after it (timed apart). Then
it times the answers of the Flask app (test client, no network) for one county and for the
whole province: median and 95th percentile. Run by hand; never collected as a test.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaker import create_app  # noqa: E402
from matchmaker.extensions import db  # noqa: E402
from matchmaker.models import (  # noqa: E402
    Activity, ActivityHours, Region, RegionLevel, Team, Volunteer,
)

LINES_PER_ACTIVITY = 20
VOLUNTEERS_PER_TEAM = 40
VILLAGES_PER_TEAM = 4
CHUNK = 50_000
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "matchmaker_bench_impact"


def number(text: str) -> int:
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='mm-impact-bench-')) / 'bench.sqlite'}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {BENCH_DB}"))
        connection.execute(sa.text(f"CREATE DATABASE {BENCH_DB}"))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{BENCH_DB}"


def insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model.__table__), rows[start:start + CHUNK])


def seed(lines: int, rng) -> None:
    from matchmaker.matching.synthetic import seed_synthetic

    villages_needed = max(200, lines // 5_000)
    seed_synthetic(needs=villages_needed * 50, offers=2_000, seed=1)
    villages = db.session.execute(sa.select(Region.id, Region.path).where(
        Region.level == RegionLevel.VILLAGE, Region.code.like("99%")).order_by(Region.id)).all()
    teams = db.session.execute(sa.select(Team.id, Team.branch_id)).all()
    from matchmaker.models import Branch

    organization_of = dict(db.session.execute(sa.select(Branch.id, Branch.organization_id)).all())
    volunteer_id = (db.session.scalar(sa.select(sa.func.max(Volunteer.id))) or 0) + 1
    volunteers = {}
    rows = []
    for team_id, _ in teams:
        volunteers[team_id] = list(range(volunteer_id, volunteer_id + VOLUNTEERS_PER_TEAM))
        rows += [{"id": v, "team_id": team_id, "name": f"志愿者{v}", "is_party_member": False,
                  "skills": []} for v in volunteers[team_id]]
        volunteer_id += VOLUNTEERS_PER_TEAM
    insert(Volunteer, rows)
    activities = lines // LINES_PER_ACTIVITY
    first = (db.session.scalar(sa.select(sa.func.max(Activity.id))) or 0) + 1
    start_day = date.today() - timedelta(days=730)
    served = _served_villages(teams, villages, rng)
    team_pick = rng.integers(0, len(teams), activities)
    village_pick = rng.integers(0, VILLAGES_PER_TEAM, activities)
    day_pick = rng.integers(0, 730, activities)
    verified = rng.random(activities) < 0.9
    for block in range(0, activities, CHUNK // LINES_PER_ACTIVITY):
        acts, hours = [], []
        for i in range(block, min(activities, block + CHUNK // LINES_PER_ACTIVITY)):
            team_id, branch_id = teams[team_pick[i]]
            day = start_day + timedelta(days=int(day_pick[i]))
            acts.append({"id": first + i, "team_id": team_id,
                         "organization_id": organization_of[branch_id],
                         "village_id": served[team_id][village_pick[i] % len(served[team_id])],
                         "date": day,
                         "title": "志愿服务", "category": "tutoring", "extra_beneficiaries": 3,
                         "status": "verified" if verified[i] else "pending",
                         "late_entry": False})
            for volunteer in rng.choice(volunteers[team_id], LINES_PER_ACTIVITY, replace=False):
                hours.append({"activity_id": first + i, "volunteer_id": int(volunteer),
                              "date": day, "hours": 2.5, "is_correction": False})
        db.session.execute(sa.insert(Activity.__table__), acts)
        db.session.execute(sa.insert(ActivityHours.__table__), hours)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))


def _served_villages(teams, villages, rng) -> dict[int, list[int]]:
    """A few villages of one county for each team."""
    counties: dict[str, list[int]] = {}
    for village_id, path in villages:
        counties.setdefault("/".join(path.split("/")[:4]), []).append(village_id)
    pools = sorted(counties.values())
    served = {}
    for team_id, _ in teams:
        pool = pools[int(rng.integers(0, len(pools)))]
        served[team_id] = [int(v) for v in rng.choice(pool, min(VILLAGES_PER_TEAM, len(pool)),
                                                        replace=False)]
    return served


def timed(client, url: str, requests: int) -> dict:
    client.get(url)  # warm the caches once
    seconds = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    seconds.sort()
    return {"median_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(seconds[int(0.95 * (len(seconds) - 1))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", default="1M")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    lines = number(args.lines)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.database),
                      "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        seed(lines, np.random.default_rng(7))
        print(f"seeded {lines:,} hour lines in {time.perf_counter() - started:.0f} s")
        from matchmaker.services import rollups

        started = time.perf_counter()
        written = rollups.rebuild(db.session.connection())
        db.session.commit()
        print(f"rollups rebuilt in {time.perf_counter() - started:.1f} s: {written}")
        county = db.session.scalar(sa.select(Region.code).where(
            Region.level == RegionLevel.COUNTY, Region.code.like("99%")).order_by(Region.code))
        in_county = db.session.scalar(sa.text(
            "SELECT count(*) FROM activity_hours h JOIN activities a ON a.id = h.activity_id "
            "JOIN regions r ON r.id = a.village_id WHERE r.path LIKE "
            "(SELECT path FROM regions WHERE code = :code) || '%'"), {"code": county})
        db.session.remove()
    client = app.test_client()
    for name, url in (("GET /api/v1/impact, county", f"/api/v1/impact?region={county}"),
                      ("dashboard /, county", f"/?region={county}"),
                      ("GET /api/v1/impact, province", "/api/v1/impact"),
                      ("dashboard /, province", "/")):
        figures = timed(client, url, args.requests)
        print(f"{args.database}, {lines:,} lines ({in_county:,} in county {county}): "
              f"{name}: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms")


if __name__ == "__main__":
    main()
