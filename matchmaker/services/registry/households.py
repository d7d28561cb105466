"""The household registry: creating and updating households, scoped lookups, reveals."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from matchmaker import permissions, privacy
from matchmaker.errors import Duplicate, Invalid, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Household, HouseholdStatus, LabourCapacity, Member, Region, RegionLevel, Role, User,
)
from matchmaker.services import audit, notifications, scopes
from matchmaker.services.regions import region_field


def village_for(user: User, code: str) -> Region:
    """The village a household is registered in; it must lie in the user's scope."""
    village = region_field(code, "village_code", (RegionLevel.VILLAGE,), "找不到该村(社区)")
    if not permissions.region_in_scope(user, village):
        raise Invalid({"village_code": "该村不在您的管辖范围"})
    return village


def find_by_id_number(id_number: str) -> Household | None:
    digest = privacy.keyed_hash("id_number", id_number)
    return db.session.scalar(select(Household).where(Household.id_number_hash == digest))


def holder_of(id_number: str) -> Household | None:
    """The household whose head or member has the ID number, if any."""
    digest = privacy.keyed_hash("id_number", id_number)
    return find_by_id_number(id_number) or db.session.scalar(
        select(Household).join(Household.members).where(Member.id_number_hash == digest))


class RegisteredElsewhere(Invalid):
    """A number registered in a household the user may not see: refused without saying so.

    The admins above both villages have been notified; the caller commits that notification
    before answering, so a true duplicate is still resolved by someone who may see both.
    """


#: neither confirms nor names where the number is registered
REGISTERED_ELSEWHERE = "该身份证号无法在此登记,请核对号码;如确认无误,请联系乡镇或县级管理员处理"
DUPLICATE_KIND = "household.duplicate"


def ensure_numbers_free(data: dict, user: User, village: Region,
                        household: Household | None = None) -> None:
    """Refuse ID numbers of another household: named if the user may see it, neutrally if not."""
    for field, number in _numbers(data):
        other = holder_of(number)
        if other is None or (household is not None and other.id == household.id):
            continue
        if can_see(user, other):
            message = f"该身份证号已登记在 {other.code}"
            raise Duplicate(message, {field: message})
        raise refused_elsewhere(other, user, village, field)


def _numbers(data: dict):
    yield "id_number", data["id_number"]
    for index, item in enumerate(data.get("members") or []):
        if item.get("id_number") and item["id_number"] != data["id_number"]:
            yield f"members[{index}].id_number", item["id_number"]


def refused_elsewhere(other: Household, user: User, village: Region,
                      field: str = "id_number") -> RegisteredElsewhere:
    """Tell the admins above both villages of the clash; the error to raise names nothing."""
    who = user.display_name or user.username
    notifications.notify(
        resolvers(village, other.village), DUPLICATE_KIND, "有身份证号疑似重复登记,请核实",
        f"{village.name}的{who}登记的身份证号已登记在{other.village.name} {other.code}",
        f"/cadre/households/{other.id}", obj=other)
    return RegisteredElsewhere({field: REGISTERED_ELSEWHERE}, REGISTERED_ELSEWHERE)


def resolvers(*villages: Region) -> list[int]:
    """Active admins, and the township or county cadres whose region holds every village."""
    common = set.intersection(*(set(village.ancestor_ids) for village in villages))
    above = and_(User.role == Role.CADRE, Region.id.in_(common),
                 Region.level != RegionLevel.VILLAGE)
    return list(db.session.scalars(
        select(User.id).outerjoin(Region, Region.id == User.region_id)
        .where(User.active.is_(True), or_(User.role == Role.ADMIN, above)).order_by(User.id)))


def create_household(data: dict, user: User) -> Household:
    """Register a household with its members (the head first); duplicates are refused."""
    village = village_for(user, data["village_code"])
    ensure_numbers_free(data, user, village)
    household = Household(village=village, code=data.get("code") or _next_code(village))
    if db.session.scalar(select(Household.id).where(Household.code == household.code)):
        raise Duplicate(f"户编号 {household.code} 已存在", {"code": "户编号已存在"})
    _apply(household, data)
    db.session.add(household)
    _flush_or_duplicate()
    audit.record("household.create", user.id, household, members=len(household.members))
    return household


def update_household(household: Household, data: dict, user: User,
                     blank_is_unchanged: bool = False) -> Household:
    """Replace the household's fields and members with the data (members matched by ID).

    With `blank_is_unchanged` (the edit page, which never shows stored numbers), a blank ID
    number or phone of the head, and a blank ID number of a row naming a registered member by
    `member_id`, keep what is registered.
    """
    if blank_is_unchanged:
        data = _with_unchanged_numbers(household, data)
    village = village_for(user, data["village_code"])
    ensure_numbers_free(data, user, village, household)
    household.village = village
    _apply(household, data)
    _flush_or_duplicate()
    audit.record("household.update", user.id, household, members=len(household.members))
    return household


def _with_unchanged_numbers(household: Household, data: dict) -> dict:
    data = dict(data)
    for key in ("id_number", "phone"):
        stored = getattr(household, f"{key}_encrypted")
        if not data.get(key) and stored:
            data[key] = privacy.decrypt(stored)
    registered = {member.id: member for member in household.members}
    data["members"] = [_member_unchanged(dict(item), registered.get(item.get("member_id")))
                       for item in data.get("members") or []]
    return data


def _member_unchanged(item: dict, member: Member | None) -> dict:
    """The head's number is the household's (with_head); another member keeps its own."""
    if member is None:
        item.pop("member_id", None)
    elif not item.get("id_number") and member.id_number_encrypted \
            and item.get("relation") != "self":
        item["id_number"] = privacy.decrypt(member.id_number_encrypted)
    return item


def _apply(household: Household, data: dict) -> None:
    household.head_name = data["head_name"]
    household.id_number_encrypted, household.id_number_hash = privacy.protect(
        "id_number", data["id_number"])
    household.phone_encrypted, household.phone_hash = privacy.protect("phone", data.get("phone"))
    household.address = data.get("address") or None
    household.status = HouseholdStatus(data["status"])
    household.poverty_causes = list(dict.fromkeys(data.get("poverty_causes") or []))
    _set_members(household, with_head(data))


def with_head(data: dict) -> list[dict]:
    """The members as given; the head is added first when the list leaves it out."""
    members = [dict(m) for m in data.get("members") or []]
    heads = [m for m in members if m.get("relation") == "self"]
    if len(heads) > 1:
        raise Invalid({"members": "一户只能有一名户主"})
    if not heads:
        members.insert(0, {"name": data["head_name"], "relation": "self"})
    head = next(m for m in members if m["relation"] == "self")
    if head.get("id_number") and head["id_number"] != data["id_number"]:
        raise Invalid({"members": "户主成员的身份证号须与户主身份证号一致"})
    head["id_number"] = data["id_number"]
    return members


def _set_members(household: Household, members: list[dict]) -> None:
    existing = {m.id_number_hash: m for m in household.members if m.id_number_hash}
    by_id = {m.id: m for m in household.members}
    keep = []
    seen: set[str] = set()
    for item in members:
        digest = privacy.keyed_hash("id_number", item["id_number"]) if item.get(
            "id_number") else None
        if digest and digest in seen:
            raise Invalid({"members": "同一身份证号在本户出现了两次"})
        seen.add(digest)
        member = existing.get(digest) or by_id.get(item.get("member_id")) or Member()
        _fill_member(member, item)
        keep.append(member)
    household.members = keep


def _fill_member(member: Member, item: dict) -> None:
    member.name, member.relation = item["name"], item["relation"]
    member.id_number_encrypted, member.id_number_hash = privacy.protect(
        "id_number", item.get("id_number"))
    born = privacy.id_birth_date(item["id_number"]) if item.get("id_number") else None
    member.birth_date = item.get("birth_date") or born
    member.gender = item.get("gender") or _gender_from_id(item.get("id_number"))
    capacity = item.get("labour_capacity")
    member.labour_capacity = LabourCapacity(capacity) if capacity else None
    member.is_student = bool(item.get("is_student") or item.get("school_stage"))
    member.school_stage = item.get("school_stage") or None
    member.skills = list(item.get("skills") or [])


def _gender_from_id(number: str | None) -> str | None:
    """The 17th digit of an ID number is odd for men and even for women."""
    return None if not number else ("male" if int(number[16]) % 2 else "female")


def _flush_or_duplicate() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Duplicate("身份证号或户编号已登记", {"id_number": "该身份证号已登记"}) from exc


def _next_code(village: Region) -> str:
    count = db.session.scalar(select(func.count()).where(Household.village_id == village.id))
    number = count + 1
    while db.session.scalar(select(Household.id).where(
            Household.code == f"{village.code}-{number:04d}")):
        number += 1
    return f"{village.code}-{number:04d}"


def households_in_scope(user: User, village_code: str | None = None, search: str | None = None):
    """A query of the households the user may see, optionally in one village or by name/code."""
    query = select(Household).join(Household.village).order_by(Household.code)
    query = query.where(*scopes.in_cadre_scope(Household.village_id, user))
    if village_code:
        query = query.where(Region.code == village_code)
    if search:
        pattern = f"%{search.strip()}%"
        query = query.where(or_(Household.head_name.like(pattern), Household.code.like(pattern)))
    return query


def household_for(user: User, household_id: int) -> Household:
    """The household, if the user may see it; otherwise NotFound, as if it did not exist."""
    household = db.session.get(Household, household_id)
    if household is None or not can_see(user, household):
        raise NotFound("找不到该户")
    return household


def can_see(user: User, household: Household) -> bool:
    return permissions.region_in_scope(user, household.village)


def age(member: Member, today: date | None = None) -> int | None:
    if member.birth_date is None:
        return None
    today = today or date.today()
    born = member.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def reveal_id_number(household: Household, user: User, member: Member | None = None) -> str:
    """The full ID number, for a cadre who asked for it on purpose; always audit-logged."""
    target = member or household
    audit.record("id_number.reveal", user.id, target, household_id=household.id)
    return privacy.decrypt(target.id_number_encrypted)


def edit_data(household: Household) -> dict:
    """The household as edit-page data; ID numbers and the phone stay hidden (blank = keep)."""
    members = [{"member_id": m.id, "name": m.name, "relation": m.relation,
                "birth_date": m.birth_date, "gender": m.gender,
                "labour_capacity": m.labour_capacity and m.labour_capacity.value,
                "is_student": m.is_student, "school_stage": m.school_stage, "skills": m.skills}
               for m in household.members]
    return {"village_code": household.village.code, "code": household.code,
            "head_name": household.head_name, "address": household.address,
            "status": household.status.value, "poverty_causes": household.poverty_causes,
            "members": members}
