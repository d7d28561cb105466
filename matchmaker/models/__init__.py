"""Every model, imported here so that Alembic and the app see the whole schema."""
from matchmaker.models.audit import AuditEvent
from matchmaker.models.base import Base
from matchmaker.models.households import (
    Household, HouseholdStatus, LabourCapacity, Member, PovertyCause,
)
from matchmaker.models.idempotency import IdempotencyKey
from matchmaker.models.imports import ImportBatch, ImportStatus
from matchmaker.models.jobs import JobRecord, JobStatus
from matchmaker.models.market import (
    HOLDING_CLAIM, Claim, ClaimStatus, ClaimTakeover, Match, MatchRun, MatchRunStatus,
    MatchStatus, Need, NeedKind, NeedStatus, Offer, OfferKind, OfferStatus, Pairing, PairingKind,
    TakeoverStatus,
)
from matchmaker.models.notifications import Notification, OutboxMessage, OutboxStatus
from matchmaker.models.orgs import (
    Branch, BranchFormation, BranchLevel, Organization, OrganizationKind, Team, Volunteer,
)
from matchmaker.models.records import (
    Activity, ActivityHours, Donation, DonationItem, Placement, Purchase, PurchaseShare,
    VerificationStatus, activity_beneficiaries, activity_needs, donation_households,
    donation_needs, purchase_needs,
)
from matchmaker.models.regions import Region, RegionLevel
from matchmaker.models.rollups import ActivityRollup, HourRollup
from matchmaker.models.settings import CountyRules
from matchmaker.models.users import ApiToken, Role, User

__all__ = [
    "Activity", "ActivityHours", "ActivityRollup", "ApiToken", "AuditEvent", "Base", "Branch", "BranchFormation",
    "BranchLevel", "Claim", "HOLDING_CLAIM", "ClaimStatus", "ClaimTakeover", "CountyRules", "Donation",
    "DonationItem", "HourRollup", "Household", "HouseholdStatus", "IdempotencyKey", "ImportBatch", "ImportStatus", "JobRecord",
    "JobStatus", "LabourCapacity", "Match", "MatchRun", "MatchRunStatus", "MatchStatus", "Member",
    "Need", "Notification", "OutboxMessage", "OutboxStatus", "NeedKind", "NeedStatus", "Offer",
    "OfferKind", "OfferStatus", "Organization", "OrganizationKind", "Pairing", "PairingKind",
    "Placement", "PovertyCause", "Purchase", "PurchaseShare", "Region", "RegionLevel", "Role",
    "TakeoverStatus", "Team", "User", "VerificationStatus", "Volunteer", "activity_beneficiaries", "activity_needs",
    "donation_households", "donation_needs", "purchase_needs",
]
