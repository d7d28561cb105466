"""Benchmark: GET /api/v1/impact and the dashboard for one county over many verified hour lines.

    .venv/bin/python bench/impact.py --lines 1M [--database sqlite|postgresql] [--requests 50]
    .venv/bin/python bench/impact.py --database postgresql --reuse   # time again, no seeding

Seeds the synthetic province (matchmaker.seeding.synthetic), then writes activities of 20
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

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import (
    Activity,
    ActivityHours,
    Region,
    RegionLevel,
    Team,
    Volunteer,
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


def database_url(kind: str, reuse: bool = False) -> str:
    if kind == "sqlite":
        folder = Path(tempfile.gettempdir()) / "mm-impact-bench"
        folder.mkdir(exist_ok=True)
        path = folder / "bench.sqlite"
        if not reuse:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if reuse:
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{BENCH_DB}"
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
    from matchmaker.seeding.synthetic import seed_synthetic

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
    served = _served_villages(teams, villages, rng)
    team_ids = np.array([team_id for team_id, _ in teams])
    first_volunteer = np.array([volunteers[team_id][0] for team_id in team_ids])
    village_of = np.array([(served[team_id] * VILLAGES_PER_TEAM)[:VILLAGES_PER_TEAM]
                           for team_id in team_ids])
    organization = np.array([organization_of[branch_id] for _, branch_id in teams])
    db.session.commit()
    connection = db.session.connection().connection.driver_connection
    block = 50_000
    for start in range(0, activities, block):
        count = min(block, activities - start)
        team = rng.integers(0, len(teams), count)
        ids = np.arange(first + start, first + start + count)
        days = [str(date.today() - timedelta(days=730 - int(d)))
                for d in rng.integers(0, 730, count)]
        verified = rng.random(count) < 0.9
        villages_of = village_of[team, rng.integers(0, VILLAGES_PER_TEAM, count)]
        acts = [(int(ids[i]), int(team_ids[team[i]]), int(organization[team[i]]),
                 int(villages_of[i]), days[i], "志愿服务", "tutoring", 3,
                 "verified" if verified[i] else "pending", False, NOW, NOW)
                for i in range(count)]
        # 20 distinct volunteers of the team's 40 for each activity
        picks = np.argsort(rng.random((count, VOLUNTEERS_PER_TEAM)), axis=1)[:, :LINES_PER_ACTIVITY]
        people = first_volunteer[team][:, None] + picks
        hours = [(int(ids[i]), int(v), days[i], 250, False, NOW)
                 for i in range(count) for v in people[i]]
        _write(connection, "activities", ACTIVITY_COLUMNS, acts)
        _write(connection, "activity_hours", HOUR_COLUMNS, hours)
        connection.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))


ACTIVITY_COLUMNS = ("id", "team_id", "organization_id", "village_id", "date", "title", "category",
                    "extra_beneficiaries", "status", "late_entry", "created_at", "updated_at")
HOUR_COLUMNS = ("activity_id", "volunteer_id", "date", "hours", "is_correction", "created_at")
NOW = "2026-12-01 00:00:00"


def _write(connection, table: str, columns: tuple, rows: list[tuple]) -> None:
    """Bulk rows through the driver: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    if hasattr(connection, "cursor") and type(connection).__module__.startswith("psycopg"):
        with connection.cursor() as cursor, cursor.copy(
                f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


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


def seed_and_roll_up(lines: int) -> None:
    from matchmaker.impact import rollups

    started = time.perf_counter()
    seed(lines, np.random.default_rng(7))
    print(f"seeded {lines:,} hour lines in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    written = rollups.rebuild(db.session.connection())
    db.session.commit()
    print(f"rollups rebuilt in {time.perf_counter() - started:.1f} s: {written}")
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))


def _busiest_county() -> tuple[str, int]:
    """The county with the most hour lines (the worst case), and their number."""
    per_village = dict(db.session.execute(sa.text(
        "SELECT a.village_id, count(*) FROM activity_hours h "
        "JOIN activities a ON a.id = h.activity_id GROUP BY a.village_id")).all())
    paths = dict(db.session.execute(sa.select(Region.id, Region.path).where(
        Region.id.in_(list(per_village)))).all())
    per_county: dict[str, int] = {}
    for village_id, count in per_village.items():
        key = "/".join(paths[village_id].split("/")[:4]) + "/"
        per_county[key] = per_county.get(key, 0) + count
    path, count = max(per_county.items(), key=lambda item: (item[1], item[0]))
    return db.session.scalar(sa.select(Region.code).where(Region.path == path)), count


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
    parser.add_argument("--reuse", action="store_true",
                        help="time the database seeded by the last run, without seeding again")
    args = parser.parse_args()
    lines = number(args.lines)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.database, args.reuse),
                      "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        if not args.reuse:
            seed_and_roll_up(lines)
        lines = db.session.scalar(sa.select(sa.func.count()).select_from(ActivityHours))
        county, in_county = _busiest_county()
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
