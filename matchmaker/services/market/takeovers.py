"""Takeover requests (转接认领): another organization asks to carry on an active claim.

The holder agrees or declines; a request the holder leaves unanswered past its answer-by date is
granted by the periodic job. A takeover closes the holder's claim as `transferred` (its offer's
capacity goes back) and opens the requester's claim on the same share, in one transaction that
holds the need's row, so the need is never open in between.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, or_, select, update
from sqlalchemy.exc import IntegrityError

from matchmaker.errors import Conflict, DomainError, Invalid, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Claim, ClaimStatus, ClaimTakeover, Need, NeedStatus, Organization, TakeoverStatus, User,
)
from matchmaker.models.base import utcnow
from matchmaker.services import audit, notifications
from matchmaker.services.market import claims
from matchmaker.services.registry.orgs import organization_of

GRANTED_ANSWER = "逾期未答复,系统自动同意转接"


class TakeoverPending(Conflict):
    code = "takeover_pending"


def request_takeover(need_id: int, user: User, data: dict) -> ClaimTakeover:
    """Ask the holder of an active claim on the need to hand it over to the user's organization."""
    organization_id = organization_of(user, claims.CLAIMING)
    need = claims.visible_need(need_id)
    claim = _claim_to_take(need, organization_id, data.get("claim_id"))
    offer = claims.offer_for(organization_id, need, data.get("offer_id"))
    team_id = claims.team_for(organization_id, data.get("team_id"), offer)
    now = utcnow()
    takeover = ClaimTakeover(
        claim_id=claim.id, organization_id=organization_id, team_id=team_id,
        offer_id=offer.id if offer else None, requested_by_id=user.id, reason=data["reason"],
        requested_at=now,
        answer_by=now + timedelta(days=current_app.config["TAKEOVER_ANSWER_DAYS"]))
    db.session.add(takeover)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise TakeoverPending("该认领已有待处理的转接申请,请等待答复") from exc
    audit.record("takeover.request", user.id, takeover, claim_id=claim.id, need_id=need.id)
    requester = db.session.get(Organization, organization_id)
    notifications.notify(
        notifications.organizers_of(claim.organization_id), "takeover.requested",
        f"{requester.name}申请转接“{need.title}”",
        f"理由:{takeover.reason}。请在{takeover.answer_by:%Y-%m-%d}前同意或拒绝,逾期未答复将自动同意。",
        "/organizer/#takeovers", obj=takeover)
    return takeover


def answer_takeover(takeover_id: int, user: User, accept: bool, answer: str | None) -> ClaimTakeover:
    """The holder agrees (the claim passes over at once) or declines."""
    takeover = db.session.get(ClaimTakeover, takeover_id)
    if takeover is None or takeover.claim.organization_id != organization_of(user, claims.CLAIMING):
        raise NotFound("找不到该转接申请")
    if accept:
        _transfer(takeover, TakeoverStatus.ACCEPTED, user.id, answer)
    else:
        _decide(takeover, TakeoverStatus.DECLINED, user.id, answer)
        audit.record("takeover.decline", user.id, takeover, claim_id=takeover.claim_id)
        _tell_requester(takeover, "未同意", answer)
    return takeover


def withdraw_takeover(takeover_id: int, user: User) -> ClaimTakeover:
    """The requester takes its pending request back."""
    takeover = db.session.get(ClaimTakeover, takeover_id)
    if takeover is None or takeover.organization_id != organization_of(user, claims.CLAIMING):
        raise NotFound("找不到该转接申请")
    _decide(takeover, TakeoverStatus.WITHDRAWN, user.id, "申请方撤回")
    audit.record("takeover.withdraw", user.id, takeover, claim_id=takeover.claim_id)
    return takeover


def grant_unanswered(now: datetime) -> int:
    """Grant the pending requests whose holder did not answer in time; returns how many."""
    due = db.session.scalars(select(ClaimTakeover).where(
        ClaimTakeover.status == TakeoverStatus.PENDING, ClaimTakeover.answer_by < now)
        .order_by(ClaimTakeover.id)).all()
    granted = 0
    for takeover in due:
        try:
            with db.session.begin_nested():
                _transfer(takeover, TakeoverStatus.GRANTED, None, GRANTED_ANSWER)
            granted += 1
        except DomainError as exc:  # the claim ended, or the requester's offer or team is full
            db.session.expire_all()
            _decide(takeover, TakeoverStatus.WITHDRAWN, None, f"无法转接:{exc.message}")
            _tell_requester(takeover, "未能完成", exc.message)
    return granted


def organization_takeovers(user: User, direction: str | None = None) -> Select:
    """Requests made to the user's organization (incoming) or by it (outgoing), newest first."""
    organization_id = organization_of(user, claims.CLAIMING)
    query = select(ClaimTakeover).join(Claim, Claim.id == ClaimTakeover.claim_id)
    incoming = Claim.organization_id == organization_id
    outgoing = ClaimTakeover.organization_id == organization_id
    if direction not in (None, "", "incoming", "outgoing"):
        raise Invalid({"direction": "方向须为 incoming 或 outgoing"})
    where = {"incoming": incoming, "outgoing": outgoing}.get(direction or "", or_(incoming, outgoing))
    return query.where(where).order_by(ClaimTakeover.id.desc())


def holders(need_id: int) -> list[tuple[int, str]]:
    """The active claims on a need as (claim id, organization name): what can be taken over."""
    return list(db.session.execute(
        select(Claim.id, Organization.name).join(Organization, Organization.id ==
                                                 Claim.organization_id)
        .where(Claim.need_id == need_id, Claim.status == ClaimStatus.ACTIVE).order_by(Claim.id)))


def incoming_pending(organization_id: int) -> list[ClaimTakeover]:
    """Pending requests for the organization's claims, the soonest answer-by first."""
    return list(db.session.scalars(
        select(ClaimTakeover).join(Claim, Claim.id == ClaimTakeover.claim_id)
        .where(Claim.organization_id == organization_id,
               ClaimTakeover.status == TakeoverStatus.PENDING)
        .order_by(ClaimTakeover.answer_by)))


def outgoing_recent(organization_id: int, limit: int = 20) -> list[ClaimTakeover]:
    """The organization's own requests, newest first."""
    return list(db.session.scalars(
        select(ClaimTakeover).where(ClaimTakeover.organization_id == organization_id)
        .order_by(ClaimTakeover.id.desc()).limit(limit)))


def _claim_to_take(need: Need, organization_id: int, claim_id: int | None) -> Claim:
    active = db.session.scalars(select(Claim).where(
        Claim.need_id == need.id, Claim.status == ClaimStatus.ACTIVE).order_by(Claim.id)).all()
    if any(claim.organization_id == organization_id for claim in active):
        raise Invalid({"claim_id": "本组织已认领(认捐)该需求,无需转接"})
    if claim_id is not None:
        chosen = [claim for claim in active if claim.id == claim_id]
        if not chosen:
            raise Invalid({"claim_id": "该需求没有这项进行中的认领"})
        return chosen[0]
    if not active:
        raise InvalidTransition("该需求当前没有进行中的认领,可以直接认领")
    if len(active) > 1:
        raise Invalid({"claim_id": "该需求由多个组织分担认捐,请指定要转接的认领"})
    return active[0]


def _decide(takeover: ClaimTakeover, status: TakeoverStatus, user_id: int | None,
            answer: str | None) -> None:
    """Move a pending request to its outcome; of two simultaneous answers only one wins."""
    done = db.session.execute(
        update(ClaimTakeover).where(ClaimTakeover.id == takeover.id,
                                    ClaimTakeover.status == TakeoverStatus.PENDING)
        .values(status=status, decided_at=utcnow(), decided_by_id=user_id,
                answer=(answer or None) and answer[:255]),
        execution_options={"synchronize_session": False})
    db.session.expire(takeover)
    if done.rowcount != 1:
        raise InvalidTransition("该转接申请已处理")


def _transfer(takeover: ClaimTakeover, status: TakeoverStatus, user_id: int | None,
              answer: str | None) -> None:
    """Close the holder's claim as transferred and give the requester a claim on the same share."""
    _decide(takeover, status, user_id, answer)
    claim = takeover.claim
    need = claims.lock_need(claim.need_id)
    if claim.status != ClaimStatus.ACTIVE:
        raise InvalidTransition("该认领已结束,无法转接")
    taken = need.status if need.status in (NeedStatus.CLAIMED, NeedStatus.MATCHED) else None
    share = {"quantity": claim.quantity, "amount_yuan": claim.amount_yuan}
    requester = db.session.get(Organization, takeover.organization_id)
    claims.close_claim(claim, ClaimStatus.TRANSFERRED, f"转接给{requester.name}")
    offer = claims.offer_for(requester.id, need, takeover.offer_id)
    claims.hold_team(takeover.team_id)
    drawn = {measure: value if value is not None else getattr(need, measure)
             for measure, value in share.items()}  # a whole claim may not have stated them
    units = claims.units_for(offer, need, drawn) if offer else None
    new = claims.insert_claim(need, db.session.get(User, takeover.requested_by_id), requester.id,
                              takeover.team_id, offer, units, share)
    if taken is not None:  # reopened by closing the holder's claim: taken again at once
        claims.take_need(need.id, taken)
    takeover.new_claim_id = new.id
    audit.record(f"takeover.{status.value}", user_id, takeover, claim_id=claim.id,
                 new_claim_id=new.id, need_id=need.id)
    _tell_requester(takeover, "已完成", answer)


def _tell_requester(takeover: ClaimTakeover, outcome: str, answer: str | None) -> None:
    need = db.session.get(Need, takeover.claim.need_id)
    notifications.notify(
        notifications.organizers_of(takeover.organization_id), f"takeover.{takeover.status.value}",
        f"转接“{need.title}”{outcome}", answer, "/organizer/#takeovers", obj=takeover)
