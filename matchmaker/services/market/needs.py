"""Needs and micro-wishes: publishing them under the county's rules, and their lifecycle."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select, update

from matchmaker import labels, permissions
from matchmaker.errors import Duplicate, Forbidden, Invalid, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Claim, ClaimStatus, CountyRules, Household, Need, NeedKind, NeedStatus, Region, RegionLevel,
    User,
)
from matchmaker.models.base import utcnow
from matchmaker.services import audit, notifications
from matchmaker.services.market import need_status
from matchmaker.services.registry import households
from matchmaker.vocabularies import NEED_CATEGORIES

LIVE = need_status.LIVE
#: a receipt (签收) is of help someone took on: a need claimed or matched, never an unclaimed one
RECEIVABLE = need_status.MOVES["fulfil"].sources
CONSENT_AGE = 14


def rules_for(village: Region) -> CountyRules:
    """The county's rules, or the defaults (an unsaved row) where it set none."""
    county = village.ancestor(RegionLevel.COUNTY)
    rules = county and db.session.scalar(
        select(CountyRules).where(CountyRules.county_id == county.id))
    return rules or CountyRules(one_open_wish_per_member=True, township_review=False)


def wish_cap(rules: CountyRules) -> Decimal:
    return Decimal(rules.wish_cap_yuan or current_app.config["WISH_CAP_YUAN"])


def create_need(data: dict, user: User) -> Need:
    """Publish a need of a household in the cadre's scope (or keep it for review)."""
    household = households.household_for(user, data["household_id"])
    member = _member_of(household, data.get("member_id"))
    rules = rules_for(household.village)
    _check_category(data["kind"], data["category"], rules)
    if data["kind"] == NeedKind.WISH:
        _check_wish(data, member, rules)
    _check_minor(member, data)
    if data.get("deadline") and data["deadline"] < date.today():
        raise Invalid({"deadline": "截止日期不能早于今天"})
    need = Need(household=household, member=member, village_id=household.village_id,
                kind=NeedKind(data["kind"]), category=data["category"], title=data["title"],
                description=data.get("description"), quantity=data.get("quantity"),
                unit=data.get("unit"), amount_yuan=data.get("amount_yuan"),
                deadline=data.get("deadline"), created_by_id=user.id,
                guardian_consent=bool(data.get("guardian_consent")),
                status=NeedStatus.REVIEW if rules.township_review else NeedStatus.OPEN)
    db.session.add(need)
    db.session.flush()
    audit.record("need.create", user.id, need, kind=need.kind.value, status=need.status.value)
    return need


def _member_of(household: Household, member_id: int | None):
    if member_id is None:
        return None
    member = next((m for m in household.members if m.id == member_id), None)
    if member is None:
        raise Invalid({"member_id": "该成员不属于这一户"})
    return member


def _check_category(kind: str, category: str, rules: CountyRules) -> None:
    allowed = NEED_CATEGORIES[kind]
    if kind == NeedKind.WISH and rules.wish_categories is not None:
        allowed = {code: allowed[code] for code in rules.wish_categories if code in allowed}
    if category not in allowed:
        raise Invalid({"category": "类别须为:" + "、".join(allowed.values())})


def _check_wish(data: dict, member, rules: CountyRules) -> None:
    if member is None:
        raise Invalid({"member_id": "微心愿须指明是哪位家庭成员的心愿"})
    cap = wish_cap(rules)
    if data.get("amount_yuan") is None or not 0 < Decimal(str(data["amount_yuan"])) <= cap:
        raise Invalid({"amount_yuan": f"微心愿须填写价值,且不超过{cap:g}元"})
    if rules.one_open_wish_per_member and db.session.scalar(select(func.count()).where(
            Need.member_id == member.id, Need.kind == NeedKind.WISH, Need.status.in_(LIVE))):
        raise Duplicate("该成员已有一个未完成的微心愿", {"member_id": "每人同时只能有一个微心愿"})


def _check_minor(member, data: dict) -> None:
    age = households.age(member) if member is not None else None
    if age is not None and age < CONSENT_AGE and not data.get("guardian_consent"):
        raise Invalid({"guardian_consent": "未满14周岁的成员须取得监护人同意"})


def need_for(user: User, need_id: int) -> Need:
    """A need of the user's scope; anything else is NotFound."""
    need = db.session.get(Need, need_id)
    if need is None or not households.can_see(user, need.household):
        raise NotFound("找不到该需求")
    return need


def approve(need: Need, user: User) -> Need:
    """A township cadre (or admin) lets a reviewed need become public."""
    _require_reviewer(user, need)
    _move(need, "approve", user, "need.approve")
    return need


def reject_review(need: Need, user: User, reason: str | None) -> Need:
    """The reviewer sends the need back with the reason; its cadre is told why."""
    _require_reviewer(user, need)
    if not reason:
        raise Invalid({"reason": "退回时请说明理由"})
    _move(need, "reject", user, "need.reject", reason=reason)
    if need.created_by_id is not None:
        notifications.notify([need.created_by_id], "need.sent_back", f"需求被退回:{need.title}",
                             reason, f"/cadre/households/{need.household_id}", obj=need)
    return need


def may_review(user: User, need: Need) -> bool:
    """The one rule of who reviews a need: an admin, or a township cadre above its village."""
    return permissions.is_admin(user) or (
        user.region is not None and user.region.level != RegionLevel.VILLAGE
        and permissions.region_in_scope(user, need.household.village))


def _require_reviewer(user: User, need: Need) -> None:
    if not may_review(user, need):
        raise Forbidden("只有乡镇(街道)干部可以审核")


def may_receive(need: Need) -> bool:
    """Whether a receipt can be recorded now: the need is claimed or matched."""
    return need.status in RECEIVABLE


def fulfil(need: Need, user: User, note: str | None = None) -> Need:
    """The household's receipt (签收): only now is the need fulfilled (a wish is 点亮).

    Only help someone took on can be received: an unclaimed need is refused (409).
    """
    _move(need, "fulfil", user, "need.fulfil",
          refusal="只有已认领或已匹配的需求才能记录签收")
    need.fulfilled_at, need.receipt_note = utcnow(), note
    _close_claims(need, ClaimStatus.FULFILLED, "需求已完成")
    return need


def cancel(need: Need, user: User, reason: str | None = None) -> Need:
    from matchmaker.services.market import claims

    _move(need, "cancel", user, "need.cancel", reason=reason)
    claims.release_claims_of(need.id, reason or "需求已取消")
    return need


def _move(need: Need, name: str, user: User, action: str,
          refusal: str | None = None, **details) -> None:
    """need_status's conditional update, so two cadres acting at once cannot both move the need."""
    if not need_status.move(need.id, name):
        db.session.refresh(need)
        label = labels.NEED_STATUS[need.status.value]
        prefix = f"{refusal}:" if refusal else ""
        raise InvalidTransition(f"{prefix}该需求当前为“{label}”,不能执行此操作")
    db.session.refresh(need)
    audit.record(action, user.id if user else None, need, **details)


def _close_claims(need: Need, status: ClaimStatus, reason: str) -> None:
    """Claims on a fulfilled need are fulfilled too; the offer's capacity stays spent."""
    db.session.execute(update(Claim).where(Claim.need_id == need.id,
                                           Claim.status == ClaimStatus.ACTIVE)
                       .values(status=status, closed_at=utcnow(), close_reason=reason))


def expire_overdue(today: date | None = None) -> int:
    """Needs still waiting after their deadline expire; returns how many."""
    today = today or date.today()
    expired = db.session.execute(need_status.moving("expire", Need.deadline < today)).rowcount
    audit.record("need.expire", None, None, count=expired, on=today.isoformat())
    return expired


def set_rules(county: Region, values: dict, user: User) -> CountyRules:
    if county.level != RegionLevel.COUNTY:
        raise Invalid({"code": "请指定县级区划"})
    rules = db.session.scalar(select(CountyRules).where(CountyRules.county_id == county.id))
    if rules is None:
        rules = CountyRules(county_id=county.id)
        db.session.add(rules)
    for key, value in values.items():
        setattr(rules, key, value)
    db.session.flush()
    audit.record("county_rules.set", user.id, rules, **{k: str(v) for k, v in values.items()})
    return rules
