"""Records of help delivered: activities with hours, donations, placements, purchases."""
from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from matchmaker.errors import InvalidTransition
from matchmaker.models.base import Base, Hours, TimestampMixin, Yuan, enum_type, fk, utcnow
from matchmaker.models.orgs import Organization, Team, Volunteer


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Verifiable(TimestampMixin):
    """A record that counts only once a cadre of its village has verified it."""

    status: Mapped[VerificationStatus] = mapped_column(
        enum_type(VerificationStatus), default=VerificationStatus.PENDING
    )
    verified_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(255))
    #: set when the record was entered long after the event, for the verifier to look at
    late_entry: Mapped[bool] = mapped_column(default=False)

    @declared_attr
    def village_id(cls) -> Mapped[int]:
        return mapped_column(fk("regions.id"))

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(fk("users.id"))

    @declared_attr
    def verified_by_id(cls) -> Mapped[int | None]:
        return mapped_column(fk("users.id"))

    def verify(self, user_id: int) -> None:
        if self.status != VerificationStatus.PENDING:
            raise InvalidTransition(f"{self.__tablename__} {self.id} is {self.status}")
        self.status, self.verified_by_id, self.verified_at = (
            VerificationStatus.VERIFIED, user_id, utcnow())

    def reject(self, user_id: int, reason: str) -> None:
        if self.status != VerificationStatus.PENDING:
            raise InvalidTransition(f"{self.__tablename__} {self.id} is {self.status}")
        self.status, self.verified_by_id, self.verified_at = (
            VerificationStatus.REJECTED, user_id, utcnow())
        self.rejection_reason = reason

    def reopen(self) -> None:
        """A changed record goes back to pending, to be verified again."""
        self.status, self.verified_by_id, self.verified_at = VerificationStatus.PENDING, None, None


def _verification_index(table: str) -> sa.Index:
    return sa.Index(f"ix_{table}_village_status_date", "village_id", "status", "date")


activity_needs = sa.Table(
    "activity_needs", Base.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("need_id", sa.ForeignKey("needs.id"), primary_key=True, index=True),
)

activity_beneficiaries = sa.Table(
    "activity_beneficiaries", Base.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("members.id"), primary_key=True, index=True),
)


class Activity(Verifiable, Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(fk("teams.id"), index=True)
    #: the team's organization, kept here for the organization filter of the figures
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    date: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    title: Mapped[str] = mapped_column(sa.String(128))
    category: Mapped[str] = mapped_column(sa.String(32))
    extra_beneficiaries: Mapped[int] = mapped_column(default=0)
    funds_raised_yuan: Mapped[Decimal | None] = mapped_column(Yuan)
    note: Mapped[str | None] = mapped_column(sa.Text)

    team: Mapped[Team] = relationship()
    hours: Mapped[list[ActivityHours]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityHours.id"
    )

    __table_args__ = (
        _verification_index("activities"),
        sa.CheckConstraint("extra_beneficiaries >= 0", name="extra_not_negative"),
        sa.CheckConstraint(
            "funds_raised_yuan IS NULL OR funds_raised_yuan >= 0", name="funds_not_negative"
        ),
        sa.CheckConstraint(
            "start_time IS NULL OR end_time IS NULL OR end_time > start_time", name="times_ordered"
        ),
    )


class ActivityHours(Base):
    """One volunteer's hours in one activity; corrections are separate lines, never overwrites."""

    __tablename__ = "activity_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(fk("activities.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(fk("volunteers.id"))
    #: the activity's date, kept here so the 24-hours-a-day rule is one indexed sum
    date: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(Hours)
    is_correction: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(fk("users.id"))

    activity: Mapped[Activity] = relationship(back_populates="hours")
    volunteer: Mapped[Volunteer] = relationship()

    __table_args__ = (
        sa.Index("ix_activity_hours_activity", "activity_id"),
        sa.Index("ix_activity_hours_volunteer_date", "volunteer_id", "date"),
        # stored in hundredths: a line is more than 0 and at most 24 hours
        sa.CheckConstraint("hours > 0 AND hours <= 2400", name="hours_in_day"),
    )


donation_households = sa.Table(
    "donation_households", Base.metadata,
    sa.Column("donation_id", sa.ForeignKey("donations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("household_id", sa.ForeignKey("households.id"), primary_key=True, index=True),
)

donation_needs = sa.Table(
    "donation_needs", Base.metadata,
    sa.Column("donation_id", sa.ForeignKey("donations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("need_id", sa.ForeignKey("needs.id"), primary_key=True, index=True),
)


class Donation(Verifiable, Base):
    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(fk("teams.id"), index=True)
    #: the goods or funds offer this donation draws on, if any
    offer_id: Mapped[int | None] = mapped_column(fk("offers.id"), index=True)
    date: Mapped[date]
    money_yuan: Mapped[Decimal | None] = mapped_column(Yuan)
    note: Mapped[str | None] = mapped_column(sa.Text)

    organization: Mapped[Organization] = relationship()
    goods: Mapped[list[DonationItem]] = relationship(
        back_populates="donation", cascade="all, delete-orphan", order_by="DonationItem.id"
    )

    __table_args__ = (
        _verification_index("donations"),
        sa.CheckConstraint("money_yuan IS NULL OR money_yuan >= 0", name="money_not_negative"),
    )


class DonationItem(Base):
    """A goods line of a donation: 20 quilts worth 2,000 元."""

    __tablename__ = "donation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(fk("donations.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(sa.String(64))
    unit: Mapped[str] = mapped_column(sa.String(16))
    quantity: Mapped[float] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    value_yuan: Mapped[Decimal] = mapped_column(Yuan, default=0)

    donation: Mapped[Donation] = relationship(back_populates="goods")

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("value_yuan >= 0", name="value_not_negative"),
    )


class Placement(Verifiable, Base):
    """A member hired to a job offer (就业), followed up at 3 and 6 months."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(fk("offers.id"), index=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    member_id: Mapped[int] = mapped_column(fk("members.id"), index=True)
    #: the job need this hire meets, if any
    need_id: Mapped[int | None] = mapped_column(fk("needs.id"), index=True)
    date: Mapped[date]  # the start date
    wage_yuan_month: Mapped[Decimal | None] = mapped_column(Yuan)
    employed_at_3_months: Mapped[bool | None]
    employed_at_6_months: Mapped[bool | None]

    __table_args__ = (
        _verification_index("placements"),
        sa.UniqueConstraint("offer_id", "member_id"),
        sa.CheckConstraint("wage_yuan_month IS NULL OR wage_yuan_month >= 0", name="wage_not_negative"),
    )


purchase_needs = sa.Table(
    "purchase_needs", Base.metadata,
    sa.Column("purchase_id", sa.ForeignKey("purchases.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("need_id", sa.ForeignKey("needs.id"), primary_key=True, index=True),
)


class Purchase(Verifiable, Base):
    """Produce bought from households (消费扶贫): 2,300 斤 of white radish."""

    __tablename__ = "purchases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    #: the purchase offer this draws on, if any
    offer_id: Mapped[int | None] = mapped_column(fk("offers.id"), index=True)
    date: Mapped[date]
    product: Mapped[str] = mapped_column(sa.String(64))
    unit: Mapped[str] = mapped_column(sa.String(16))
    quantity: Mapped[float] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    yuan: Mapped[Decimal] = mapped_column(Yuan)
    note: Mapped[str | None] = mapped_column(sa.Text)

    sellers: Mapped[list[PurchaseShare]] = relationship(
        back_populates="purchase", cascade="all, delete-orphan", order_by="PurchaseShare.id"
    )

    __table_args__ = (
        _verification_index("purchases"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("yuan >= 0", name="yuan_not_negative"),
    )


class PurchaseShare(Base):
    """The part of a purchase's yuan credited to one selling household."""

    __tablename__ = "purchase_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(fk("purchases.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(fk("households.id"), index=True)
    yuan: Mapped[Decimal] = mapped_column(Yuan)

    purchase: Mapped[Purchase] = relationship(back_populates="sellers")

    __table_args__ = (
        sa.UniqueConstraint("purchase_id", "household_id"),
        sa.CheckConstraint("yuan >= 0", name="yuan_not_negative"),
    )
