"""Regions: loading the gazetteer, adding places, finding them by code (the one look-up)."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from matchmaker.errors import Duplicate, Invalid, UnknownRegion
from matchmaker.extensions import db
from matchmaker.models import Region, RegionLevel

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CODE = re.compile(r"^\d{12}$")


def find_region(code: str | None) -> Region | None:
    """The region with this 12-digit code, or None."""
    return db.session.scalar(select(Region).where(Region.code == code)) if code else None


def region_by_code(code: str | None) -> Region:
    """The region with this code; UnknownRegion (404, 找不到区划代码 …) when there is none."""
    region = find_region(code)
    if region is None:
        raise UnknownRegion(_unknown(code))
    return region


def region_field(code: str | None, field: str, levels: Iterable[RegionLevel] = (),
                 wrong_level: str = "") -> Region:
    """region_by_code for a form field: an unknown code is the field's 422 with the same
    message; a region not of `levels` (when given) is refused with `wrong_level`."""
    try:
        region = region_by_code(code)
    except UnknownRegion as exc:
        raise Invalid({field: exc.message}) from exc
    if levels and region.level not in tuple(levels):
        raise Invalid({field: wrong_level})
    return region


def _unknown(code: str | None) -> str:
    return f"找不到区划代码 {code}"


def regions_at(*levels: RegionLevel) -> list[Region]:
    """Every region of these levels, by code: the choices of a page's place list."""
    return list(db.session.scalars(select(Region).where(Region.level.in_(levels))
                                   .order_by(Region.code)))


def list_regions(parent_code: str | None = None) -> list[Region]:
    """The children of a region, or the provinces when no parent is given."""
    query = select(Region).order_by(Region.code)
    if parent_code:
        query = query.where(Region.parent_id == region_by_code(parent_code).id)
    else:
        query = query.where(Region.parent_id.is_(None))
    return list(db.session.scalars(query))


def create_region(code: str, name: str, level: str, parent_code: str | None = None,
                  lat: float | None = None, lon: float | None = None,
                  code_official: bool = True) -> Region:
    """Add a place under its parent; the caller geocodes it when lat/lon are missing."""
    parent = _checked_parent(code, level, parent_code)
    if find_region(code) is not None:
        raise Duplicate(f"区划代码 {code} 已存在", {"code": "区划代码已存在"})
    region = Region(code=code, name=name.strip(), level=RegionLevel(level), parent=parent,
                    lat=lat, lon=lon, code_official=code_official, path="")
    db.session.add(region)
    db.session.flush()
    region.path = (parent.path if parent else "/") + f"{region.id}/"
    return region


def _checked_parent(code: str, level: str, parent_code: str | None) -> Region | None:
    if not CODE.match(code or ""):
        raise Invalid({"code": "区划代码须为12位数字"})
    if level not in {lv.value for lv in RegionLevel}:
        raise Invalid({"level": "级别须为 province、city、county、township 或 village"})
    if RegionLevel(level) is RegionLevel.PROVINCE:
        if parent_code:
            raise Invalid({"parent_code": "省级区划没有上级"})
        return None
    if not parent_code:
        raise Invalid({"parent_code": "请填写上级区划代码"})
    parent = region_field(parent_code, "parent_code")
    if parent.level.depth >= RegionLevel(level).depth:
        raise Invalid({"level": "级别须低于上级区划"})
    return parent


def load_regions(path: Path | None = None) -> int:
    """Upsert the gazetteer CSV by code (parents before children); returns the rows created."""
    created = 0
    with open(path or SEEDS / "regions.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            created += _upsert_region(row)
    db.session.flush()
    return created


def _upsert_region(row: dict[str, str]) -> int:
    lat = float(row["lat"]) if row.get("lat") else None
    lon = float(row["lon"]) if row.get("lon") else None
    official = row.get("code_official", "1") != "0"
    region = find_region(row["code"])
    if region is None:
        create_region(row["code"], row["name"], row["level"], row.get("parent_code") or None,
                      lat, lon, official)
        return 1
    region.name, region.lat, region.lon, region.code_official = row["name"], lat, lon, official
    return 0
