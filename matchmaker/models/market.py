"""The market: needs, offers, claims, match runs, proposed matches and standing pairings."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, TimestampMixin, Yuan, enum_type, fk
from matchmaker.models.households import Household, Member
from matchmaker.models.orgs import Organization, Team


class NeedKind(enum.StrEnum):
    SERVICE = "service"
    GOODS = "goods"
    FUNDS = "funds"
    JOB = "job"
    PRODUCE = "produce"
    WISH = "wish"


class NeedStatus(enum.StrEnum):
    REVIEW = "review"  # waiting for the township's review before it is public
    OPEN = "open"
    CLAIMED = "claimed"
    MATCHED = "matched"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Need(TimestampMixin, Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(fk("households.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(fk("members.id"), index=True)
    #: the household's village, kept here for region filters and matching
    village_id: Mapped[int] = mapped_column(fk("regions.id"))
    kind: Mapped[NeedKind] = mapped_column(enum_type(NeedKind))
    category: Mapped[str] = mapped_column(sa.String(32))
    title: Mapped[str] = mapped_column(sa.String(128))
    description: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[float | None] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    unit: Mapped[str | None] = mapped_column(sa.String(16))
    amount_yuan: Mapped[Decimal | None] = mapped_column(Yuan)
    deadline: Mapped[date | None]
    status: Mapped[NeedStatus] = mapped_column(enum_type(NeedStatus), default=NeedStatus.OPEN)
    guardian_consent: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(fk("users.id"))
    fulfilled_at: Mapped[datetime | None]
    receipt_note: Mapped[str | None] = mapped_column(sa.Text)

    household: Mapped[Household] = relationship()
    member: Mapped[Member | None] = relationship()

    __table_args__ = (
        sa.Index("ix_needs_status_kind_village", "status", "kind", "village_id"),
        sa.Index("ix_needs_village_status", "village_id", "status"),
        sa.CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("amount_yuan IS NULL OR amount_yuan >= 0", name="amount_not_negative"),
    )


class OfferKind(enum.StrEnum):
    SERVICE = "service"
    GOODS = "goods"
    FUNDS = "funds"
    JOB = "job"
    PURCHASE = "purchase"
    WISH_ADOPTION = "wish_adoption"


class OfferStatus(enum.StrEnum):
    OPEN = "open"
    EXHAUSTED = "exhausted"
    CLOSED = "closed"
    EXPIRED = "expired"


class Offer(TimestampMixin, Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(fk("teams.id"), index=True)
    kind: Mapped[OfferKind] = mapped_column(enum_type(OfferKind))
    category: Mapped[str] = mapped_column(sa.String(32))
    title: Mapped[str] = mapped_column(sa.String(128))
    description: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[float | None] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    unit: Mapped[str | None] = mapped_column(sa.String(16))
    amount_yuan: Mapped[Decimal | None] = mapped_column(Yuan)
    openings: Mapped[int | None]
    wage_yuan_month: Mapped[Decimal | None] = mapped_column(Yuan)
    per_wish_cap_yuan: Mapped[Decimal | None] = mapped_column(Yuan)
    radius_km: Mapped[float | None]
    region_id: Mapped[int | None] = mapped_column(fk("regions.id"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    status: Mapped[OfferStatus] = mapped_column(enum_type(OfferStatus), default=OfferStatus.OPEN)
    #: the capacity in the kind's unit (households, units, wishes, openings or 元), and its use
    capacity: Mapped[float] = mapped_column(sa.Numeric(14, 2, asdecimal=False), default=0)
    capacity_used: Mapped[float] = mapped_column(sa.Numeric(14, 2, asdecimal=False), default=0)
    created_by_id: Mapped[int | None] = mapped_column(fk("users.id"))

    organization: Mapped[Organization] = relationship()
    team: Mapped[Team | None] = relationship()

    __table_args__ = (
        sa.Index("ix_offers_status_kind", "status", "kind"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("capacity_used >= 0 AND capacity_used <= capacity", name="within_capacity"),
        sa.CheckConstraint("openings IS NULL OR openings >= 0", name="openings_not_negative"),
        sa.CheckConstraint("amount_yuan IS NULL OR amount_yuan >= 0", name="amount_not_negative"),
        sa.CheckConstraint("radius_km IS NULL OR radius_km > 0", name="radius_positive"),
    )

    @property
    def capacity_left(self) -> float:
        return float(self.capacity or 0) - float(self.capacity_used or 0)


class ClaimStatus(enum.StrEnum):
    ACTIVE = "active"
    FULFILLED = "fulfilled"
    RELEASED = "released"
    TRANSFERRED = "transferred"


#: claims through which an organization holds a need (taken whole, pledged, or a match accepted),
#: and with it the offer capacity the claim took: it may record help to the need
HOLDING_CLAIM = (ClaimStatus.ACTIVE, ClaimStatus.FULFILLED)


class Claim(Base):
    """An organization's claim (认领) on a need, or its pledge toward a jointly claimed one."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(fk("needs.id"), index=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(fk("offers.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(fk("teams.id"), index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(fk("users.id"))
    quantity: Mapped[float | None] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    amount_yuan: Mapped[Decimal | None] = mapped_column(Yuan)
    status: Mapped[ClaimStatus] = mapped_column(enum_type(ClaimStatus), default=ClaimStatus.ACTIVE)
    claimed_at: Mapped[datetime]
    due_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(sa.String(255))

    need: Mapped[Need] = relationship()
    organization: Mapped[Organization] = relationship()

    __table_args__ = (
        # one active claim per organization and need: the backstop behind the conditional update
        sa.Index(
            "uq_claims_active_need_organization", "need_id", "organization_id", unique=True,
            sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"),
        ),
        sa.Index("ix_claims_status_due", "status", "due_at"),
        sa.CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("amount_yuan IS NULL OR amount_yuan >= 0", name="amount_not_negative"),
    )


class TakeoverStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"  # the holder agreed
    GRANTED = "granted"  # the holder did not answer in time
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the requester, or because the claim ended meanwhile


class ClaimTakeover(Base):
    """Another organization's request to take over an active claim (转接认领)."""

    __tablename__ = "claim_takeovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(fk("claims.id"), index=True)
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(fk("teams.id"))
    offer_id: Mapped[int | None] = mapped_column(fk("offers.id"))
    requested_by_id: Mapped[int | None] = mapped_column(fk("users.id"))
    reason: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[TakeoverStatus] = mapped_column(
        enum_type(TakeoverStatus), default=TakeoverStatus.PENDING
    )
    requested_at: Mapped[datetime]
    #: granted to the requester when the holder has not answered by then
    answer_by: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(fk("users.id"))
    answer: Mapped[str | None] = mapped_column(sa.String(255))
    #: the requester's claim once the takeover went through
    new_claim_id: Mapped[int | None] = mapped_column(fk("claims.id"))

    claim: Mapped[Claim] = relationship(foreign_keys=[claim_id])
    organization: Mapped[Organization] = relationship()

    __table_args__ = (
        # one pending request per claim
        sa.Index(
            "uq_claim_takeovers_pending_claim", "claim_id", unique=True,
            sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index("ix_claim_takeovers_status_answer_by", "status", "answer_by"),
    )


class MatchRunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class MatchRun(Base):
    """A matching round; a round over several counties has one child run per county."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the round this county's run belongs to, when a large round was split by county
    parent_id: Mapped[int | None] = mapped_column(fk("match_runs.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(fk("regions.id"))
    status: Mapped[MatchRunStatus] = mapped_column(
        enum_type(MatchRunStatus), default=MatchRunStatus.QUEUED
    )
    job_id: Mapped[int | None] = mapped_column(fk("jobs.id"))
    created_by_id: Mapped[int | None] = mapped_column(fk("users.id"))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    needs_considered: Mapped[int] = mapped_column(default=0)
    offers_considered: Mapped[int] = mapped_column(default=0)
    candidates: Mapped[int] = mapped_column(default=0)
    proposals: Mapped[int] = mapped_column(default=0)
    total_score: Mapped[float] = mapped_column(default=0.0)
    #: seconds per phase: load, candidates, solve, persist
    timings: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class MatchStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class Match(Base):
    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(fk("match_runs.id"), index=True)
    need_id: Mapped[int] = mapped_column(fk("needs.id"))
    offer_id: Mapped[int] = mapped_column(fk("offers.id"))
    quantity: Mapped[float] = mapped_column(sa.Numeric(12, 2, asdecimal=False), default=1)
    score: Mapped[float]
    distance_km: Mapped[float | None]
    #: the score's components, [{"code": "distance", "value": 0.8, "detail": {...}}, ...]
    reasons: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    status: Mapped[MatchStatus] = mapped_column(enum_type(MatchStatus), default=MatchStatus.PROPOSED)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(fk("users.id"))

    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()

    __table_args__ = (
        # a pair is proposed once: never again after it was declined
        sa.UniqueConstraint("need_id", "offer_id"),
        sa.Index("ix_matches_offer_status", "offer_id", "status"),
        sa.Index("ix_matches_status_expires", "status", "expires_at"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class PairingKind(enum.StrEnum):
    BRANCH_HOUSEHOLD = "branch_household"
    ORGANIZATION_VILLAGE = "organization_village"


class Pairing(Base):
    """A standing 结对帮扶 relationship."""

    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PairingKind] = mapped_column(enum_type(PairingKind))
    organization_id: Mapped[int] = mapped_column(fk("organizations.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(fk("branches.id"))
    household_id: Mapped[int | None] = mapped_column(fk("households.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(fk("regions.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'branch_household' AND branch_id IS NOT NULL AND household_id IS NOT NULL)"
            " OR (kind = 'organization_village' AND village_id IS NOT NULL)",
            name="parties_present",
        ),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_ordered"),
    )
