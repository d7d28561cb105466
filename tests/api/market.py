"""Builders for the market API tests: organizations and their organizers, needs, offers, teams."""
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Branch, Need, Offer, Organization, Team, User, Volunteer


def make_org(village, name: str) -> Organization:
    org = Organization(name=name, kind="enterprise", region_id=village.id)
    db.session.add(org)
    db.session.commit()
    return org


def organizer_headers(bearer, org: Organization) -> dict:
    """Bearer headers of a new organizer bound to the organization."""
    headers = bearer("organizer")
    user = db.session.scalars(select(User).order_by(User.id.desc())).first()
    user.organization_id = org.id
    db.session.commit()
    return headers


def make_need(household, kind="service", **fields) -> Need:
    values = {"category": "tutoring", "title": "周末课业辅导", "status": "open", **fields}
    need = Need(household_id=household.id, village_id=household.village_id, kind=kind, **values)
    db.session.add(need)
    db.session.commit()
    return need


def make_offer(org, kind="service", capacity=5, **fields) -> Offer:
    values = {"category": "tutoring", "title": "大学生暑期支教", **fields}
    offer = Offer(organization_id=org.id, kind=kind, capacity=capacity, capacity_used=0,
                  **values)
    db.session.add(offer)
    db.session.commit()
    return offer


def make_team(org, village, name: str = "青年志愿服务队") -> Team:
    branch = Branch(organization_id=org.id, name="第一党支部", level="branch",
                    formation="standalone")
    db.session.add(branch)
    db.session.flush()
    team = Team(branch_id=branch.id, name=name, categories=["tutoring"], region_id=village.id)
    db.session.add(team)
    db.session.commit()
    return team


def add_volunteers(team, count: int) -> list[Volunteer]:
    people = [Volunteer(team_id=team.id, name=f"志愿者{i}") for i in range(count)]
    db.session.add_all(people)
    db.session.commit()
    return people


def claim(client, headers, need_id, **body):
    return client.post(f"/api/v1/needs/{need_id}/claim", json=body, headers=headers)


def error_code(response) -> str:
    return response.get_json()["error"]["code"]


#: what a held need of each kind looks like in the tests (category, title)
HELD_NEEDS = {"goods": ("daily_life", "过冬棉被"), "funds": ("other", "助学资金"),
              "wish": ("study", "一套课外书"), "produce": ("agriculture", "白萝卜待售"),
              "job": ("factory", "就近务工")}


def hold_need(organization_id: int, household, kind: str = "goods", **fields) -> Need:
    """A need of the household claimed by the organization: what a donation (goods, funds,
    wish), a purchase (produce) or a placement (job) is recorded through, as on the pages —
    an organization delivers only to households of needs it holds."""
    from datetime import timedelta

    from matchmaker.models import Claim
    from matchmaker.models.base import utcnow

    category, title = HELD_NEEDS[kind]
    need = make_need(household, kind=kind, **{"category": category, "title": title,
                                              "status": "claimed", **fields})
    now = utcnow()
    db.session.add(Claim(need_id=need.id, organization_id=organization_id, claimed_at=now,
                         due_at=now + timedelta(days=30), status="active"))
    db.session.commit()
    return need


def hold_job_need(organization_id: int, member) -> Need:
    """A job need naming the member, claimed by the organization: what a placement is made
    through (an organization places only members of needs it holds)."""
    return hold_need(organization_id, member.household, kind="job", member_id=member.id)
