"""Synthetic data for benchmarks: a province of villages, households, needs and offers.

seed_synthetic(needs, offers) writes rows straight through SQLAlchemy core (executemany in
chunks), with explicit ids, under a made-up province of code 99 (no real code starts so).
About 50 needs per village and two per household, spread uniformly over a 5° × 5° box (a
province of some 500 × 550 km); 4 cities × 25 counties × 16 townships on a grid over the box.
Every household, person and organization is invented; ID numbers are not even well formed.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.labels import SERVICE_CATEGORY
from matchmaker.models import (
    Branch, Household, Member, Need, Offer, Organization, Region, Team,
)
from matchmaker.models.base import utcnow
from matchmaker.services.regions import find_region
from matchmaker.vocabularies import NEED_CATEGORIES, OFFER_CATEGORIES

PROVINCE_CODE = "990000000000"
BOX = ((25.0, 30.0), (113.0, 118.0))  # (lat from, to), (lon from, to)
GRID = (10, 10, 4)  # counties per side, townships per county side
NEEDS_PER_VILLAGE = 50
NEEDS_PER_HOUSEHOLD = 2
OFFERS_PER_ORGANIZATION = 20
CHUNK = 50_000
NEED_KINDS = {"service": 0.30, "goods": 0.20, "wish": 0.20, "job": 0.10, "funds": 0.10,
              "produce": 0.10}
OFFER_KINDS = {"service": 0.35, "goods": 0.20, "wish_adoption": 0.15, "job": 0.10,
               "funds": 0.10, "purchase": 0.10}
ITEMS = ("棉被", "书包", "大米", "食用油", "冬衣", "白萝卜", "脐橙", "茶油")


def seed_synthetic(needs: int, offers: int, seed: int = 1) -> dict:
    """Write a synthetic province with `needs` open needs and `offers` open offers (flushed;
    the caller commits).

    Returns the counts written, by table. Refuses to run twice on one database.
    """
    if find_region(PROVINCE_CODE) is not None:
        raise ValueError("synthetic data are already seeded in this database")
    rng = np.random.default_rng(seed)
    villages = _seed_regions(rng, max(20, needs // NEEDS_PER_VILLAGE))
    households = _seed_households(rng, villages, max(1, needs // NEEDS_PER_HOUSEHOLD))
    written = {"villages": len(villages[0]), "households": len(households["id"])}
    written["needs"] = _seed_needs(rng, households, needs)
    written.update(_seed_offers(rng, villages, offers))
    _advance_sequences()
    return written


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _insert(model, rows: list[dict]) -> int:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model.__table__), rows[start:start + CHUNK])
    return len(rows)


def _seed_regions(rng, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The province, its grid of cities, counties and townships, and `count` villages.

    Returns the villages' ids, latitudes and longitudes.
    """
    lat, lon = rng.uniform(*BOX[0], count), rng.uniform(*BOX[1], count)
    regions = _Regions(_next_id(Region))
    regions.add(PROVINCE_CODE, "合成省", "province", None, np.mean(BOX[0]), np.mean(BOX[1]))
    village_ids = np.array([regions.add_village(i, la, lo) for i, (la, lo) in
                            enumerate(zip(lat.tolist(), lon.tolist()))], dtype=np.int64)
    _insert(Region, regions.rows)
    return village_ids, lat, lon


class _Regions:
    """Region rows with explicit ids and paths, parents first."""

    def __init__(self, first_id: int):
        self.first_id, self.rows = first_id, []
        self.ids: dict[str, int] = {}
        self.paths: dict[str, str] = {}
        self.villages: dict[str, int] = {}  # villages so far per township

    def add(self, code, name, level, parent, lat, lon) -> int:
        region_id = self.first_id + len(self.rows)
        self.ids[code] = region_id
        self.paths[code] = (self.paths[parent] if parent else "/") + f"{region_id}/"
        self.rows.append({"id": region_id, "code": code, "code_official": False, "name": name,
                          "level": level, "parent_id": self.ids[parent] if parent else None,
                          "path": self.paths[code], "lat": round(float(lat), 6),
                          "lon": round(float(lon), 6)})
        return region_id

    def add_village(self, i: int, lat: float, lon: float) -> int:
        township = self.township(lat, lon)
        self.villages[township] = self.villages.get(township, 0) + 1
        code = township[:9] + f"{self.villages[township]:03d}"
        return self.add(code, f"合成村{i + 1}", "village", township, lat, lon)

    def township(self, lat: float, lon: float) -> str:
        """The code of the grid cell's township holding (lat, lon), added with its parents."""
        half, fine = GRID[0] // 2, GRID[2]
        y = min(int((lat - BOX[0][0]) / (BOX[0][1] - BOX[0][0]) * GRID[0] * fine),
                GRID[0] * fine - 1)
        x = min(int((lon - BOX[1][0]) / (BOX[1][1] - BOX[1][0]) * GRID[1] * fine),
                GRID[1] * fine - 1)
        city = 1 + (y // fine >= half) * 2 + (x // fine >= half)
        county = 1 + (y // fine % half) * half + x // fine % half
        township = 1 + (y % fine) * fine + x % fine
        codes = (f"99{city:02d}00000000", f"99{city:02d}{county:02d}000000",
                 f"99{city:02d}{county:02d}{township:03d}000")
        parent = PROVINCE_CODE
        for level, code in zip(("city", "county", "township"), codes):
            if code not in self.ids:
                self.add(code, f"合成{level}{code}", level, parent, lat, lon)
            parent = code
        return parent


def _seed_households(rng, villages, count: int) -> dict[str, np.ndarray]:
    """Households with one member each (the head); returns their ids, members and villages."""
    first_household, first_member, now = _next_id(Household), _next_id(Member), utcnow()
    village = rng.integers(0, len(villages[0]), count)
    statuses = rng.choice(["poor", "monitored", "lifted"], count, p=[0.6, 0.2, 0.2])
    causes = rng.integers(0, 4, count)
    cause_codes = ["illness", "disability", "schooling", "lack_skills"]
    rows = [{"id": first_household + i, "code": f"SYN-{first_household + i}",
             "village_id": int(villages[0][v]), "head_name": f"户主{i + 1}",
             "id_number_encrypted": "synthetic",
             "id_number_hash": f"synthetic-{first_household + i}",
             "status": s, "poverty_causes": cause_codes[:c], "created_at": now, "updated_at": now}
            for i, (v, s, c) in enumerate(zip(village.tolist(), statuses.tolist(),
                                               causes.tolist()))]
    _insert(Household, rows)
    born = rng.integers(date(1945, 1, 1).toordinal(), date(2008, 1, 1).toordinal(), count)
    labour = rng.choice(["strong", "weak", "lost", "none"], count, p=[0.5, 0.3, 0.1, 0.1])
    _insert(Member, [{"id": first_member + i, "household_id": first_household + i,
                      "name": f"成员{i + 1}", "relation": "self",
                      "birth_date": date.fromordinal(b), "labour_capacity": lab,
                      "skills": [], "is_student": False, "created_at": now, "updated_at": now}
                     for i, (b, lab) in enumerate(zip(born.tolist(), labour.tolist()))])
    return {"id": np.arange(count) + first_household, "member": np.arange(count) + first_member,
            "village": villages[0][village]}


def _seed_needs(rng, households: dict[str, np.ndarray], count: int) -> int:
    owner = rng.integers(0, len(households["id"]), count)
    kinds = rng.choice(list(NEED_KINDS), count, p=list(NEED_KINDS.values()))
    waited, now = rng.integers(0, 90, count).tolist(), utcnow()
    rows = [_need_row(rng, i, kind, households, o, now - timedelta(days=waited[i]), now)
            for i, (kind, o) in enumerate(zip(kinds.tolist(), owner.tolist()))]
    return _insert(Need, rows)


def _need_row(rng, i: int, kind: str, households, owner: int, posted, now: datetime) -> dict:
    category = list(NEED_CATEGORIES[kind])[i % len(NEED_CATEGORIES[kind])]
    row = {"household_id": int(households["id"][owner]),
           "village_id": int(households["village"][owner]), "kind": kind, "category": category,
           "title": ITEMS[i % len(ITEMS)], "status": "open", "guardian_consent": False,
           "member_id": int(households["member"][owner]) if kind in ("job", "wish") else None,
           "quantity": None, "amount_yuan": None, "created_at": posted, "updated_at": now}
    if kind in ("goods", "produce"):
        row["quantity"] = float(rng.integers(1, 6) if kind == "goods" else rng.integers(50, 500))
    if kind in ("funds", "wish"):
        row["amount_yuan"] = float(rng.integers(200, 3000) if kind == "funds"
                                   else rng.integers(50, 500))
    return row


def _seed_offers(rng, villages, count: int) -> dict[str, int]:
    """Organizations, each with a branch and a team based in one village, and their offers."""
    organizations = max(1, -(-count // OFFERS_PER_ORGANIZATION))
    first_org, first_branch, first_team = _next_id(Organization), _next_id(Branch), _next_id(Team)
    base = rng.integers(0, len(villages[0]), organizations)
    now = utcnow()
    _insert(Organization, [{"id": first_org + k, "name": f"合成企业{first_org + k}",
                            "kind": "enterprise", "region_id": int(villages[0][b]),
                            "created_at": now, "updated_at": now}
                           for k, b in enumerate(base.tolist())])
    _insert(Branch, [{"id": first_branch + k, "organization_id": first_org + k, "name": "党支部",
                      "level": "branch", "formation": "standalone", "created_at": now,
                      "updated_at": now} for k in range(organizations)])
    _insert(Team, [{"id": first_team + k, "branch_id": first_branch + k, "name": "志愿服务队",
                    "categories": list(SERVICE_CATEGORY)[k % 4::4],
                    "region_id": int(villages[0][b]),
                    "lat": float(villages[1][b]), "lon": float(villages[2][b]),
                    "radius_km": None, "created_at": now, "updated_at": now}
                   for k, b in enumerate(base.tolist())])
    owner = np.arange(count) // OFFERS_PER_ORGANIZATION
    kinds = rng.choice(list(OFFER_KINDS), count, p=list(OFFER_KINDS.values()))
    rows = [_offer_row(rng, j, kind, first_org + k, first_team + k, int(villages[0][base[k]]),
                       now) for j, (kind, k) in enumerate(zip(kinds.tolist(), owner.tolist()))]
    _insert(Offer, rows)
    return {"organizations": organizations, "offers": len(rows)}


CAPACITY = {"service": (3, 15), "goods": (10, 100), "wish_adoption": (5, 20), "job": (1, 10),
            "funds": (2000, 50000), "purchase": (200, 3000)}


def _offer_row(rng, j: int, kind: str, organization_id: int, team_id: int, region_id: int,
               now: datetime) -> dict:
    categories = list(OFFER_CATEGORIES[kind])
    capacity = float(rng.integers(*CAPACITY[kind]))
    radius = float(rng.integers(10, 40)) if rng.random() < 0.6 else None
    return {"organization_id": organization_id, "team_id": team_id, "kind": kind,
            "category": categories[j % len(categories)], "title": ITEMS[j % len(ITEMS)],
            "capacity": capacity, "capacity_used": 0, "radius_km": radius,
            "region_id": region_id, "lat": None, "lon": None, "status": "open",
            "per_wish_cap_yuan": 500.0 if kind == "wish_adoption" else None,
            "quantity": capacity if kind != "funds" else None,
            "amount_yuan": capacity if kind == "funds" else None,
            "openings": int(capacity) if kind == "job" else None,
            "created_at": now, "updated_at": now}


def _advance_sequences() -> None:
    """On PostgreSQL, move the id sequences past the explicit ids written here."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in (Region, Household, Member, Organization, Branch, Team):
        table = model.__tablename__
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))"))
