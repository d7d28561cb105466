"""A small market world for service tests: organizations, teams, organizers, needs and offers."""
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Branch, Need, Offer, Organization, Region, Team
from matchmaker.services.market import claims
from tests.conftest import VILLAGE


class World:
    """Builders of organizations, teams, organizers, needs and offers, straight on the models."""

    def __init__(self, make_user, household):
        self.make_user, self.household = make_user, household
        self.village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
        self.count = 0

    def organization(self, name: str | None = None) -> Organization:
        self.count += 1
        org = Organization(name=name or f"赣鄱建材有限公司{self.count}", kind="enterprise",
                           region_id=self.village.id)
        db.session.add(org)
        db.session.commit()
        return org

    def organizer(self, org: Organization):
        user = self.make_user("organizer")
        user.organization_id = org.id
        db.session.commit()
        return user

    def team(self, org: Organization) -> Team:
        self.count += 1
        branch = Branch(organization_id=org.id, name=f"党支部{org.id}-{self.count}",
                        level="branch", formation="standalone")
        db.session.add(branch)
        db.session.flush()
        team = Team(branch_id=branch.id, name="青年志愿服务队", categories=["tutoring"],
                    region_id=self.village.id)
        db.session.add(team)
        db.session.commit()
        return team

    def need(self, kind: str = "service", **fields) -> Need:
        values = {"category": "tutoring", "title": "周末课业辅导", "status": "open", **fields}
        need = Need(household_id=self.household.id, village_id=self.household.village_id,
                    kind=kind, **values)
        db.session.add(need)
        db.session.commit()
        return need

    def offer(self, org: Organization, kind: str = "service", capacity: float = 5,
              **fields) -> Offer:
        offer = Offer(organization_id=org.id, kind=kind, category="tutoring",
                      title="大学生暑期支教", capacity=capacity, capacity_used=0, **fields)
        db.session.add(offer)
        db.session.commit()
        return offer


def claim(need, user, **data):
    made = claims.claim_need(need.id, user, data)
    db.session.commit()
    return made


def refused(error, function, *args):
    with pytest.raises(error) as caught:
        function(*args)
    db.session.rollback()
    return caught.value
