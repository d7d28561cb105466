"""Rules a county sets for the needs its cadres publish."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, TimestampMixin, Yuan, fk


class CountyRules(TimestampMixin, Base):
    """A county's reasonableness rules; a county without a row uses the defaults."""

    __tablename__ = "county_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(fk("regions.id"), unique=True)
    #: the wish categories allowed; None allows every category of the vocabulary
    wish_categories: Mapped[list[str] | None] = mapped_column(sa.JSON)
    one_open_wish_per_member: Mapped[bool] = mapped_column(default=True)
    #: needs wait for a township cadre's review before they are public
    township_review: Mapped[bool] = mapped_column(default=False)
    #: the value cap of a wish; None uses the WISH_CAP_YUAN setting
    wish_cap_yuan: Mapped[Decimal | None] = mapped_column(Yuan)

    __table_args__ = (
        sa.CheckConstraint("wish_cap_yuan IS NULL OR wish_cap_yuan > 0", name="cap_positive"),
    )
