"""Registered households (建档立卡户 / 监测户) and their members."""
from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, TimestampMixin, enum_type, fk
from matchmaker.models.regions import Region


class HouseholdStatus(enum.StrEnum):
    POOR = "poor"
    LIFTED = "lifted"
    MONITORED = "monitored"


class PovertyCause(enum.StrEnum):
    ILLNESS = "illness"
    DISABILITY = "disability"
    SCHOOLING = "schooling"
    DISASTER = "disaster"
    LACK_LAND = "lack_land"
    LACK_WATER = "lack_water"
    LACK_SKILLS = "lack_skills"
    LACK_LABOUR = "lack_labour"
    LACK_CAPITAL = "lack_capital"
    TRANSPORT = "transport"
    LOW_MOTIVATION = "low_motivation"
    OTHER = "other"


class LabourCapacity(enum.StrEnum):
    STRONG = "strong"
    WEAK = "weak"
    LOST = "lost"
    NONE = "none"


class Household(TimestampMixin, Base):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the internal household code (户编号) that lists show instead of any ID digits
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    village_id: Mapped[int] = mapped_column(fk("regions.id"))
    head_name: Mapped[str] = mapped_column(sa.String(64))
    #: encrypted at rest; duplicates are found through the keyed hash (see privacy.py)
    id_number_encrypted: Mapped[str] = mapped_column(sa.Text)
    id_number_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    phone_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(255))
    status: Mapped[HouseholdStatus] = mapped_column(enum_type(HouseholdStatus))
    poverty_causes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    village: Mapped[Region] = relationship()
    members: Mapped[list[Member]] = relationship(
        back_populates="household", order_by="Member.id", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.Index("ix_households_village_status", "village_id", "status"),)


class Member(TimestampMixin, Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(fk("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    id_number_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    id_number_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    #: self, spouse, child, parent, grandchild, sibling, other
    relation: Mapped[str] = mapped_column(sa.String(16))
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(sa.String(8))
    labour_capacity: Mapped[LabourCapacity | None] = mapped_column(enum_type(LabourCapacity))
    is_student: Mapped[bool] = mapped_column(default=False)
    school_stage: Mapped[str | None] = mapped_column(sa.String(16))
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    household: Mapped[Household] = relationship(back_populates="members")
