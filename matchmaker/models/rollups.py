"""Rollups of verified activities for the impact figures: derived rows, rebuilt from the records.

A cell is one village, month, organization, team and category. Its rows are recomputed from the
verified activities and hour lines whenever one of them changes (impact/rollups.py), so the
figures read a few rows per village and month instead of every hour line.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, fk

CELL_COLUMNS = ("village_id", "month", "organization_id", "team_id", "category")


class _Cell:
    """The key columns every rollup row carries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(fk("regions.id", ondelete="CASCADE"))
    #: the first day of the month
    month: Mapped[date]
    organization_id: Mapped[int] = mapped_column(fk("organizations.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(fk("teams.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(sa.String(32))


class ActivityRollup(_Cell, Base):
    """Verified activities of one cell: their count, hours, head-counts, funds and job fairs."""

    __tablename__ = "activity_rollups"

    activities: Mapped[int] = mapped_column(default=0)
    #: hundredths of an hour, recorded with the activities and added later as corrections
    recorded: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    corrected: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    extra_beneficiaries: Mapped[int] = mapped_column(default=0)
    #: fen, as the records store them
    funds_raised: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    job_fairs: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        sa.UniqueConstraint(*CELL_COLUMNS, name="uq_activity_rollups_cell"),
        sa.Index("ix_activity_rollups_month", "month"),
    )


class HourRollup(_Cell, Base):
    """One volunteer's verified hours in one cell, recorded and corrected apart (hundredths):
    what distinct-volunteer counts read."""

    __tablename__ = "hour_rollups"

    volunteer_id: Mapped[int] = mapped_column(fk("volunteers.id", ondelete="CASCADE"))
    recorded: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    corrected: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    __table_args__ = (
        sa.UniqueConstraint(*CELL_COLUMNS, "volunteer_id", name="uq_hour_rollups_cell_volunteer"),
        sa.Index("ix_hour_rollups_month", "month"),
    )
