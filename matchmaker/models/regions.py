"""Administrative regions (行政区划) from province down to village."""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, enum_type, fk


class RegionLevel(enum.StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"

    @property
    def depth(self) -> int:
        return list(RegionLevel).index(self)


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 12-digit 统计用区划代码; code_official is false where the code was assigned locally.
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    code_official: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    level: Mapped[RegionLevel] = mapped_column(enum_type(RegionLevel))
    parent_id: Mapped[int | None] = mapped_column(fk("regions.id"), index=True)
    #: the ids of the ancestors and itself, "/1/5/9/": descendants share the prefix.
    path: Mapped[str] = mapped_column(sa.String(255))
    lat: Mapped[float | None]
    lon: Mapped[float | None]

    parent: Mapped[Region | None] = relationship(remote_side=[id])

    __table_args__ = (
        # "this region and everything under it" is path LIKE '/1/5/%': PostgreSQL's btree serves
        # a prefix LIKE only with the pattern operator class (outside the C collation)
        sa.Index("ix_regions_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
        sa.CheckConstraint("length(code) = 12", name="code_length"),
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat_range"),
        sa.CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon_range"),
    )

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids from the top region down to this one (itself included), read from `path`."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def lineage(self) -> list[Region]:
        """This region and those above it, from the top: the one walk up the parent chain."""
        chain: list[Region] = []
        region: Region | None = self
        while region is not None:
            chain.insert(0, region)
            region = region.parent
        return chain

    def ancestor(self, level: RegionLevel | str) -> Region | None:
        """This region or the one above it at `level` (None when it lies above that level)."""
        return next((place for place in self.lineage if place.level == RegionLevel(level)), None)

    def is_within(self, other: Region) -> bool:
        """True when this region is other or one of its descendants."""
        return self.path.startswith(other.path)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
