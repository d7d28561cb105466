"""Claims (认领) and joint pledges: never two claims of one need, never an over-spent offer."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import Select, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from matchmaker.errors import AlreadyClaimed, Conflict, Invalid, InvalidTransition
from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Activity, Claim, ClaimStatus, ClaimTakeover, Donation, Need, NeedStatus, Offer,
    OfferKind, OfferStatus, Organization, Placement, Purchase, TakeoverStatus, Team, User,
    VerificationStatus, activity_needs, donation_needs, purchase_needs,
)
from matchmaker.models.base import utcnow
from matchmaker.services import audit
from matchmaker.services.market import need_status, offers, reminders
from matchmaker.services.records.rules import plain
from matchmaker.services.market.offers import CapacityExhausted
from matchmaker.services.registry.orgs import organization_of, own_team
from matchmaker.vocabularies import FITS

log = logging.getLogger("matchmaker.claims")

HIDDEN = (NeedStatus.REVIEW,)  # needs organizers may not know exist
STALLED_REASON = "逾期未记录帮扶,系统自动释放"
#: what a user who acts for no organization is told it cannot do (orgs.organization_of)
CLAIMING = "认领需求"


class TooManyClaims(Conflict):
    code = "too_many_claims"


class OverPledged(Conflict):
    code = "over_pledged"


class PartlyPledged(Conflict):
    code = "partly_pledged"


def _changed(statement) -> bool:
    """Run a conditional UPDATE of one row; True when it matched (no ORM sync, no RETURNING)."""
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    return result.rowcount == 1


def claim_need(need_id: int, user: User, data: dict) -> Claim:
    """Take an open need whole; of any number of simultaneous claims exactly one wins."""
    organization_id = organization_of(user, CLAIMING)
    need = visible_need(need_id)
    offer = offer_for(organization_id, need, data.get("offer_id"))
    team_id = team_for(organization_id, data.get("team_id"), offer)
    hold_team(team_id)
    # the first write when there is no team: SQLite takes its write lock here, waiting if busy
    if not take_need(need.id):
        raise not_open(need)
    pledged = _pledged(need.id)
    if pledged:
        raise PartlyPledged(f"该需求已有组织分担认捐{_shown(pledged)},请参与认捐而非整体认领")
    units = units_for(offer, need, whole_share(need, data)) if offer else None
    claim = insert_claim(need, user, organization_id, team_id, offer, units, data)
    db.session.expire(need)
    audit.record("claim.create", user.id, claim, need_id=need.id, offer_id=claim.offer_id)
    reminders.need_claimed(claim)
    return claim


def pledge(need_id: int, user: User, data: dict) -> Claim:
    """Cover part of a larger need; it becomes claimed once active pledges cover all of it."""
    organization_id = organization_of(user, CLAIMING)
    need = visible_need(need_id)
    measure = _measure(need)
    share = _share(measure, data)
    offer = offer_for(organization_id, need, data.get("offer_id"))
    team_id = team_for(organization_id, data.get("team_id"), offer)
    hold_team(team_id)
    # serialise pledges on this need: a row lock on PostgreSQL, the write lock on SQLite
    if not need_status.hold_if("claim", need.id):
        raise not_open(need)
    still = hundredths(getattr(need, measure)) - _pledged(need.id)
    if hundredths(share) > still:
        unit = "元" if measure == "amount_yuan" else (need.unit or "")
        raise OverPledged(f"认捐超出所需:尚需{_shown(still)}{unit}",
                          {measure: f"最多{_shown(still)}"})
    units = (share if offer.kind == OfferKind.FUNDS or measure == "quantity" else 1) \
        if offer else None
    claim = insert_claim(need, user, organization_id, team_id, offer, units, {measure: share})
    if hundredths(share) == still:
        take_need(need.id)
    db.session.expire(need)
    audit.record("claim.pledge", user.id, claim, need_id=need.id, offer_id=claim.offer_id)
    reminders.need_claimed(claim)
    return claim


def release_claim(claim_id: int, user: User, reason: str) -> Claim:
    """The holder gives the claim back: the need reopens and the offer's capacity returns."""
    claim = db.session.get(Claim, claim_id)
    if claim is None or claim.organization_id != organization_of(user, CLAIMING):
        raise NotFound("找不到该认领")
    close_claim(claim, ClaimStatus.RELEASED, reason)
    audit.record("claim.release", user.id, claim, need_id=claim.need_id, offer_id=claim.offer_id)
    return claim


def release_stalled_claims(now: datetime) -> int:
    """Release active claims past their due date whose need has no record yet."""
    stalled = db.session.scalars(select(Claim).where(
        Claim.status == ClaimStatus.ACTIVE, Claim.due_at < now,
        ~has_record(Claim.need_id)).order_by(Claim.id)).all()
    released = 0
    for claim in stalled:
        try:
            close_claim(claim, ClaimStatus.RELEASED, STALLED_REASON)
        except InvalidTransition:  # closed meanwhile by its holder or a cadre
            continue
        released += 1
        log.info("claim %s on need %s released: %s", claim.id, claim.need_id, STALLED_REASON)
        audit.record("claim.release_stalled", None, claim, need_id=claim.need_id,
                     offer_id=claim.offer_id, due_at=claim.due_at.isoformat())
        reminders.claim_released(claim, STALLED_REASON)
    return released


def has_record(need_id_column):
    """SQL: an activity, donation, placement or purchase (not rejected) names the need."""
    live = VerificationStatus.REJECTED
    return or_(
        exists().where(activity_needs.c.need_id == need_id_column,
                       Activity.id == activity_needs.c.activity_id, Activity.status != live),
        exists().where(donation_needs.c.need_id == need_id_column,
                       Donation.id == donation_needs.c.donation_id, Donation.status != live),
        exists().where(purchase_needs.c.need_id == need_id_column,
                       Purchase.id == purchase_needs.c.purchase_id, Purchase.status != live),
        exists().where(Placement.need_id == need_id_column, Placement.status != live))


def organization_claims(user: User, status: str | None = None) -> Select:
    """The claims of the user's organization, newest first, optionally of one status."""
    query = select(Claim).where(Claim.organization_id == organization_of(user, CLAIMING))
    if status:
        if status not in {s.value for s in ClaimStatus}:
            raise Invalid({"status": "状态须为 active、fulfilled、released 或 transferred"})
        query = query.where(Claim.status == status)
    return query.order_by(Claim.id.desc())


def fitting_offers(organization_id: int) -> list[Offer]:
    """The organization's open offers with capacity left."""
    return list(db.session.scalars(select(Offer).where(
        Offer.organization_id == organization_id, Offer.status == OfferStatus.OPEN,
        Offer.capacity_used < Offer.capacity).order_by(Offer.id)))


def still_needed(need: Need) -> float | None:
    """What the active pledges leave uncovered, in the need's measure (None: no measure);
    counted in whole hundredths (分), a number only for showing."""
    measure = _measure(need, strict=False)
    if measure is None:
        return None
    return (hundredths(getattr(need, measure)) - _pledged(need.id)) / 100


def visible_need(need_id: int) -> Need:
    need = db.session.get(Need, need_id)
    if need is None or need.status in HIDDEN:
        raise NotFound("找不到该需求")
    return need


def lock_need(need_id: int) -> Need:
    """Hold the need's row for this transaction (a row lock on PostgreSQL, the write lock on SQLite)."""
    _changed(update(Need).where(Need.id == need_id).values(updated_at=utcnow()))
    need = db.session.get(Need, need_id)
    db.session.refresh(need)
    return need


def take_need(need_id: int, status: NeedStatus = NeedStatus.CLAIMED) -> bool:
    """Move an open need to claimed (or matched); False when it was not open any more.

    The conditional update is what lets exactly one of many simultaneous claimants win.
    """
    return need_status.move(need_id, need_status.TAKE[status])


def not_open(need: Need) -> Conflict:
    db.session.refresh(need)
    if need.status in need_status.TAKEN:
        return AlreadyClaimed("该需求已被认领")
    return InvalidTransition("该需求已关闭,不能认领")


def offer_for(organization_id: int, need: Need, offer_id: int | None) -> Offer | None:
    """The organization's own offer named for the need, open and of a kind that fits it."""
    offer = offers.own_offer(organization_id, offer_id)
    if offer is None:
        return None
    if offer.kind not in FITS[need.kind]:
        raise Invalid({"offer_id": "这项供给的类型与需求不符"})
    if offer.status == OfferStatus.EXHAUSTED:
        raise CapacityExhausted("这项供给已用完", {"offer_id": "已无剩余"})
    if offer.status != OfferStatus.OPEN:
        raise Invalid({"offer_id": "这项供给已关闭"})
    return offer


def team_for(organization_id: int, team_id: int | None, offer: Offer | None) -> int | None:
    """The organization's own team named, else the offer's; None when neither names one."""
    team_id = team_id if team_id is not None else (offer.team_id if offer else None)
    team = own_team(organization_id, team_id)
    return team.id if team else None


def hold_team(team_id: int | None) -> None:
    """Lock the team's row, then count: a team holds at most TEAM_OPEN_CLAIMS active claims."""
    if team_id is None:
        return
    _changed(update(Team).where(Team.id == team_id).values(updated_at=utcnow()))
    limit = current_app.config["TEAM_OPEN_CLAIMS"]
    held = db.session.scalar(select(func.count()).where(
        Claim.team_id == team_id, Claim.status == ClaimStatus.ACTIVE))
    if held >= limit:
        raise TooManyClaims(f"该服务队已有{held}项认领未完成,上限{limit}项,请先完成或释放")


def hold_organization(organization_id: int, team_id: int | None = None) -> None:
    """Lock the organization's row, then count: it holds at most ORG_OPEN_CLAIMS active
    claims, with a team or without (whole claims, pledges, accepted matches, takeovers), and
    its claims that name no team are held to TEAM_OPEN_CLAIMS as if they were one team's."""
    _changed(update(Organization).where(Organization.id == organization_id)
             .values(updated_at=utcnow()))
    active = select(func.count()).where(
        Claim.organization_id == organization_id, Claim.status == ClaimStatus.ACTIVE)
    limit = current_app.config["ORG_OPEN_CLAIMS"]
    held = db.session.scalar(active)
    if held >= limit:
        raise TooManyClaims(f"本组织已有{held}项认领未完成,上限{limit}项,请先完成或释放")
    if team_id is not None:
        return
    limit = current_app.config["TEAM_OPEN_CLAIMS"]
    held = db.session.scalar(active.where(Claim.team_id.is_(None)))
    if held >= limit:
        raise TooManyClaims(
            f"本组织未指定服务队的认领已有{held}项未完成,上限{limit}项,请指定服务队或先完成、释放")


def hundredths(value) -> int:
    """A quantity or an amount in 元 as whole hundredths (分): both are kept to two places."""
    return int((Decimal(str(value or 0)) * 100).to_integral_value(ROUND_HALF_UP))


def _shown(hundredths_: int) -> str:
    return plain(Decimal(hundredths_) / 100)


def _pledged(need_id: int) -> int:
    """The active claims' quantity or amount on a need, in hundredths: an exact integer sum."""
    # whole rows: a Yuan column selected alone warns (the subclass lacks its own cache_ok)
    rows = db.session.scalars(select(Claim).where(
        Claim.need_id == need_id, Claim.status == ClaimStatus.ACTIVE))
    return sum(hundredths(row.amount_yuan if row.amount_yuan is not None else row.quantity)
               for row in rows)


def _measure(need: Need, strict: bool = True) -> str | None:
    if need.amount_yuan:
        return "amount_yuan"
    if need.quantity:
        return "quantity"
    if strict:
        raise Invalid({"need": "该需求没有数量或金额,不能分担认捐,请直接认领"})
    return None


def _share(measure: str, data: dict) -> Decimal:
    share = data.get(measure)
    if not share or hundredths(share) <= 0:
        label = "认捐金额(元)" if measure == "amount_yuan" else "认捐数量"
        raise Invalid({measure: f"请填写{label}"})
    return Decimal(hundredths(share)) / 100


def whole_share(need: Need, data: dict) -> dict:
    """What a whole claim takes: all of the need's quantity and amount. A claim may state them
    only where the need does not; a smaller (or other) part is a pledge, not a claim."""
    share = {}
    for measure, word in (("quantity", "数量"), ("amount_yuan", "金额")):
        stated, needed = data.get(measure), getattr(need, measure)
        if needed and stated is not None and hundredths(stated) != hundredths(needed):
            raise Invalid({measure: f"整体认领须承担该需求的全部{word}({plain(Decimal(str(needed)))});"
                                    "只承担一部分请分担认捐"})
        share[measure] = needed or stated
    return share


def units_for(offer: Offer, need: Need, share: dict) -> float:
    """What a claim of `share` (the whole need, or a pledge's part) draws from the offer, in
    the offer's unit."""
    if offer.kind == OfferKind.FUNDS:
        units = float(share.get("amount_yuan") or 0)
        if units <= 0:
            raise Invalid({"amount_yuan": "使用资金类供给时请填写金额"})
        return units
    if offer.kind in (OfferKind.SERVICE, OfferKind.WISH_ADOPTION):
        return 1.0
    return float(share.get("quantity") or 1)


def insert_claim(need, user, organization_id, team_id, offer, units, data) -> Claim:
    """Use the offer's capacity and add the claim; the partial unique index is the backstop."""
    hold_organization(organization_id, team_id)
    if offer is not None:
        offers.use_capacity(offer.id, units, user.id)
        db.session.expire(offer)
    now = utcnow()
    funds = offer is not None and offer.kind == OfferKind.FUNDS
    amount = units if funds else data.get("amount_yuan")
    claim = Claim(need_id=need.id, organization_id=organization_id, team_id=team_id,
                  offer_id=offer.id if offer else None, claimed_by_id=user.id,
                  quantity=None if funds else (units if offer else data.get("quantity")),
                  amount_yuan=Decimal(str(amount)) if amount is not None else None,
                  claimed_at=now, due_at=now + timedelta(days=current_app.config["CLAIM_DAYS"]))
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise AlreadyClaimed("本组织已认领(认捐)该需求") from exc
    return claim


def close_claim(claim: Claim, status: ClaimStatus, reason: str) -> None:
    """Lock the need, close the claim, reopen the need, give the offer's capacity back.

    A pending takeover request of the claim has nothing left to take and is withdrawn.
    """
    _changed(update(Need).where(Need.id == claim.need_id).values(updated_at=utcnow()))
    if not _changed(update(Claim).where(Claim.id == claim.id, Claim.status == ClaimStatus.ACTIVE)
                    .values(status=status, closed_at=utcnow(), close_reason=reason[:255])):
        raise InvalidTransition("该认领已结束")
    db.session.execute(
        update(ClaimTakeover).where(ClaimTakeover.claim_id == claim.id,
                                    ClaimTakeover.status == TakeoverStatus.PENDING)
        .values(status=TakeoverStatus.WITHDRAWN, decided_at=utcnow(), answer="认领已结束"),
        execution_options={"synchronize_session": False})
    need_status.move(claim.need_id, "release")
    db.session.expire(claim)
    if claim.offer_id is not None:
        offer = db.session.get(Offer, claim.offer_id)
        units = claim.amount_yuan if offer.kind == OfferKind.FUNDS else claim.quantity
        if units:
            offers.release_capacity(offer.id, float(units))
        db.session.expire(offer)


def release_claims_of(need_id: int, reason: str) -> int:
    """Release every active claim on a need that is being cancelled, giving capacity back."""
    active = db.session.scalars(select(Claim).where(
        Claim.need_id == need_id, Claim.status == ClaimStatus.ACTIVE).order_by(Claim.id)).all()
    for claim in active:
        close_claim(claim, ClaimStatus.RELEASED, reason)
    return len(active)
