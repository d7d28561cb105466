"""Organizations (两新组织), their Party branches, volunteer teams and volunteers."""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, TimestampMixin, enum_type, fk
from matchmaker.models.regions import Region


class OrganizationKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    SOCIAL_ORG = "social_org"
    ASSOCIATION = "association"


class BranchLevel(enum.StrEnum):
    BRANCH = "branch"
    GENERAL_BRANCH = "general_branch"
    COMMITTEE = "committee"


class BranchFormation(enum.StrEnum):
    STANDALONE = "standalone"
    JOINT = "joint"
    ATTACHED = "attached"


class Organization(TimestampMixin, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    kind: Mapped[OrganizationKind] = mapped_column(enum_type(OrganizationKind))
    #: 18-character 统一社会信用代码 (GB 32100)
    credit_code: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    region_id: Mapped[int] = mapped_column(fk("regions.id"), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(255))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))

    region: Mapped[Region] = relationship()
    branches: Mapped[list[Branch]] = relationship(back_populates="organization")


class Branch(TimestampMixin, Base):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    level: Mapped[BranchLevel] = mapped_column(enum_type(BranchLevel))
    formation: Mapped[BranchFormation] = mapped_column(enum_type(BranchFormation))

    organization: Mapped[Organization] = relationship(back_populates="branches")
    teams: Mapped[list[Team]] = relationship(back_populates="branch")

    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)


class Team(TimestampMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(fk("branches.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    #: service category codes (tutoring, medical, ...)
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    region_id: Mapped[int] = mapped_column(fk("regions.id"), index=True)
    #: the team's base; the region's coordinates when not given
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    radius_km: Mapped[float | None]

    branch: Mapped[Branch] = relationship(back_populates="teams")
    region: Mapped[Region] = relationship()
    volunteers: Mapped[list[Volunteer]] = relationship(back_populates="team")

    __table_args__ = (
        sa.UniqueConstraint("branch_id", "name"),
        sa.CheckConstraint("radius_km IS NULL OR radius_km > 0", name="radius_positive"),
    )


class Volunteer(TimestampMixin, Base):
    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(fk("teams.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    #: encrypted at rest and found again through a keyed hash (see privacy.py)
    phone_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    id_number_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    id_number_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    is_party_member: Mapped[bool] = mapped_column(default=False)
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    team: Mapped[Team] = relationship(back_populates="volunteers")
