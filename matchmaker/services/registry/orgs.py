"""Organizations, Party branches, volunteer teams and volunteers: registering and finding them."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from matchmaker import permissions, privacy
from matchmaker.errors import Conflict, Duplicate, Forbidden, Invalid, NotFound
from matchmaker.extensions import db
from matchmaker.models import Branch, Organization, Region, Role, Team, User, Volunteer
from matchmaker.services import audit
from matchmaker.services.regions import region_field


def region_for(code: str, field: str = "region_code") -> Region:
    return region_field(code, field)


def organization_of(user: User, doing: str) -> int:
    """The organization the user acts for: an organizer's own, once registered.

    Only an organizer acts in an organization's name (claims, pledges, offers, records of help);
    an admin or a cadre, or an organizer who has not registered one, is refused with `doing`
    (认领需求, 记录帮扶...) named in the message.
    """
    if user.role != Role.ORGANIZER or user.organization_id is None:
        raise Forbidden(f"请先登记本组织,才能{doing}")
    return user.organization_id


def create_organization(data: dict, user: User) -> Organization:
    """Register an organization; an organizer's first one binds its account, a second is refused."""
    organizer = not permissions.is_admin(user)
    if organizer and user.organization_id is not None:
        raise Conflict("本账户已登记所属组织,一个组织方账户只属于一个组织")
    _refuse_duplicates(data["name"], data.get("credit_code"))
    organization = Organization(name=data["name"], kind=data["kind"],
                                credit_code=data.get("credit_code") or None,
                                region=region_for(data["region_code"]),
                                address=data.get("address") or None)
    db.session.add(organization)
    _flush_or_duplicate("该组织已登记")
    if organizer:
        _bind(user, organization)
    audit.record("organization.create", user.id, organization, bound=organizer)
    return organization


def _refuse_duplicates(name: str, credit_code: str | None) -> None:
    if db.session.scalar(select(Organization.id).where(Organization.name == name)):
        raise Duplicate("该组织已登记", {"name": "同名组织已登记"})
    if credit_code and db.session.scalar(
            select(Organization.id).where(Organization.credit_code == credit_code)):
        raise Duplicate("该统一社会信用代码已登记", {"credit_code": "该统一社会信用代码已被其他组织登记"})


def _flush_or_duplicate(message: str) -> None:
    """The unique constraints are the backstop when two registrations race."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Duplicate(message) from exc


def _bind(user: User, organization: Organization) -> None:
    """A conditional update: of two registrations at once by one account, one binds."""
    bound = db.session.execute(update(User).where(User.id == user.id,
                                                  User.organization_id.is_(None))
                               .values(organization_id=organization.id)).rowcount
    if bound != 1:
        raise Conflict("本账户已登记所属组织,一个组织方账户只属于一个组织")
    db.session.refresh(user)


def organization_for(user: User, organization_id: int) -> Organization:
    """The user's own organization (any for an admin); anything else is NotFound."""
    organization = db.session.get(Organization, organization_id)
    if organization is None or not can_manage(user, organization.id):
        raise NotFound("找不到该组织")
    return organization


def can_manage(user: User, organization_id: int) -> bool:
    return permissions.is_admin(user) or permissions.is_organizer_of(user, organization_id)


def add_branch(organization: Organization, data: dict, user: User) -> Branch:
    if db.session.scalar(select(Branch.id).where(Branch.organization_id == organization.id,
                                                 Branch.name == data["name"])):
        raise Duplicate("本组织已有同名党组织", {"name": "本组织已有同名党组织"})
    branch = Branch(organization=organization, name=data["name"], level=data["level"],
                    formation=data["formation"])
    db.session.add(branch)
    _flush_or_duplicate("本组织已有同名党组织")
    audit.record("branch.create", user.id, branch, organization_id=organization.id)
    return branch


def branch_for(user: User, branch_id: int) -> Branch:
    branch = db.session.get(Branch, branch_id)
    if branch is None or not can_manage(user, branch.organization_id):
        raise NotFound("找不到该党组织")
    return branch


def add_team(data: dict, user: User) -> Team:
    """A team of one of the user's branches; its base is lat/lon, else its region's point."""
    branch = branch_for(user, data["branch_id"])
    region = region_for(data["region_code"])
    if db.session.scalar(select(Team.id).where(Team.branch_id == branch.id,
                                               Team.name == data["name"])):
        raise Duplicate("该党组织已有同名服务队", {"name": "该党组织已有同名服务队"})
    given = data.get("lat") is not None and data.get("lon") is not None
    team = Team(branch=branch, name=data["name"], categories=list(data["categories"]),
                region=region, lat=data["lat"] if given else region.lat,
                lon=data["lon"] if given else region.lon, radius_km=data["radius_km"])
    db.session.add(team)
    _flush_or_duplicate("该党组织已有同名服务队")
    audit.record("team.create", user.id, team, branch_id=branch.id)
    return team


def own_team(organization_id: int, team_id: int | None) -> Team | None:
    """The team a form names, if it is one of the organization's (None when none is named);
    another organization's team, or none at all, is refused as bad input on the field."""
    if team_id is None:
        return None
    team = db.session.get(Team, team_id)
    if team is None or team.branch.organization_id != organization_id:
        raise Invalid({"team_id": "找不到本组织的这支志愿服务队"})
    return team


def team_for(user: User, team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or not can_manage(user, team.branch.organization_id):
        raise NotFound("找不到该服务队")
    return team


def add_volunteer(team: Team, data: dict, user: User) -> Volunteer:
    """The phone is kept encrypted with a keyed hash; one phone is one volunteer per team."""
    encrypted, phone_hash = privacy.protect("phone", data.get("phone"))
    if phone_hash and db.session.scalar(select(Volunteer.id).where(
            Volunteer.team_id == team.id, Volunteer.phone_hash == phone_hash)):
        raise Duplicate("该电话的志愿者已在本队", {"phone": "该电话的志愿者已在本队"})
    volunteer = Volunteer(team=team, name=data["name"], phone_encrypted=encrypted,
                          phone_hash=phone_hash, is_party_member=bool(data["is_party_member"]),
                          skills=list(data.get("skills") or []))
    db.session.add(volunteer)
    db.session.flush()
    audit.record("volunteer.create", user.id, volunteer, team_id=team.id)
    return volunteer


def branches_of(organization_id: int) -> list[Branch]:
    return list(db.session.scalars(select(Branch).where(
        Branch.organization_id == organization_id).order_by(Branch.id)))


def teams_query(user: User):
    """The teams the user manages: its organization's, or every team for an admin."""
    query = select(Team).join(Branch).order_by(Team.id)
    if not permissions.is_admin(user):
        query = query.where(Branch.organization_id == user.organization_id)
    return query


def volunteers_query(team: Team):
    return select(Volunteer).where(Volunteer.team_id == team.id).order_by(Volunteer.id)
