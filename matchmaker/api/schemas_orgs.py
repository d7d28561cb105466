"""Organizations, branches, teams, volunteers and offers as the API returns them."""
from __future__ import annotations

from datetime import date

from matchmaker import privacy
from matchmaker.api.spec import array, integer, number, obj, string
from matchmaker.extensions import db
from matchmaker.models import Branch, Offer, Organization, Region, Team, Volunteer

NULLABLE = {"type": ["string", "null"]}
ORGANIZATION = obj(("id", "name", "kind", "region_code"), id=integer(), name=string(),
                   kind=string(), credit_code=NULLABLE, region_code=string(), address=NULLABLE)
BRANCH = obj(("id", "organization_id", "name", "level", "formation"), id=integer(),
             organization_id=integer(), name=string(), level=string(), formation=string())
TEAM = obj(("id", "branch_id", "organization_id", "name", "categories", "region_code"),
           id=integer(), branch_id=integer(), organization_id=integer(), name=string(),
           categories=array(string()), region_code=string(), lat=number(nullable=True),
           lon=number(nullable=True), radius_km=number(nullable=True),
           volunteers=integer())
VOLUNTEER = obj(("id", "team_id", "name", "is_party_member", "skills"), id=integer(),
                team_id=integer(), name=string(), is_party_member={"type": "boolean"},
                skills=array(string()))
VOLUNTEER_CREATED = {**VOLUNTEER, "properties": {**VOLUNTEER["properties"],
                                                 "phone_masked": NULLABLE}}
OFFER = obj(
    ("id", "organization_id", "kind", "category", "title", "status", "capacity",
     "capacity_used", "capacity_left"),
    id=integer(), organization_id=integer(), team_id=integer(nullable=True), kind=string(),
    category=string(), title=string(), description=NULLABLE, quantity=number(nullable=True),
    unit=NULLABLE, amount_yuan=number(nullable=True), openings=integer(nullable=True),
    wage_yuan_month=number(nullable=True), per_wish_cap_yuan=number(nullable=True),
    radius_km=number(nullable=True), region_code=NULLABLE, lat=number(nullable=True),
    lon=number(nullable=True), available_from=NULLABLE, available_until=NULLABLE,
    status=string(), capacity=number(), capacity_used=number(), capacity_left=number())


def _number(value) -> float | None:
    return float(value) if value is not None else None


def region_code(region_id: int | None) -> str | None:
    """Offers carry only region_id (no relationship); the identity map makes this cheap."""
    return db.session.get(Region, region_id).code if region_id else None


def _day(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def organization_to_dict(organization: Organization) -> dict:
    return {"id": organization.id, "name": organization.name, "kind": organization.kind.value,
            "credit_code": organization.credit_code, "region_code": organization.region.code,
            "address": organization.address}


def branch_to_dict(branch: Branch) -> dict:
    return {"id": branch.id, "organization_id": branch.organization_id, "name": branch.name,
            "level": branch.level.value, "formation": branch.formation.value}


def team_to_dict(team: Team) -> dict:
    return {"id": team.id, "branch_id": team.branch_id,
            "organization_id": team.branch.organization_id, "name": team.name,
            "categories": list(team.categories or []), "region_code": team.region.code,
            "lat": team.lat, "lon": team.lon, "radius_km": team.radius_km,
            "volunteers": len(team.volunteers)}


def volunteer_to_dict(volunteer: Volunteer) -> dict:
    """Lists show no phone at all."""
    return {"id": volunteer.id, "team_id": volunteer.team_id, "name": volunteer.name,
            "is_party_member": volunteer.is_party_member, "skills": list(volunteer.skills or [])}


def volunteer_created(volunteer: Volunteer) -> dict:
    """The answer to the one who typed it in: the phone masked, never whole."""
    phone = privacy.decrypt(volunteer.phone_encrypted) if volunteer.phone_encrypted else None
    return {**volunteer_to_dict(volunteer), "phone_masked": privacy.mask_phone(phone)}


def offer_to_dict(offer: Offer) -> dict:
    return {"id": offer.id, "organization_id": offer.organization_id, "team_id": offer.team_id,
            "kind": offer.kind.value, "category": offer.category, "title": offer.title,
            "description": offer.description, "quantity": _number(offer.quantity),
            "unit": offer.unit, "amount_yuan": _number(offer.amount_yuan),
            "openings": offer.openings, "wage_yuan_month": _number(offer.wage_yuan_month),
            "per_wish_cap_yuan": _number(offer.per_wish_cap_yuan), "radius_km": offer.radius_km,
            "region_code": region_code(offer.region_id), "lat": offer.lat,
            "lon": offer.lon, "available_from": _day(offer.available_from),
            "available_until": _day(offer.available_until), "status": offer.status.value,
            "capacity": float(offer.capacity), "capacity_used": float(offer.capacity_used),
            "capacity_left": offer.capacity_left}
