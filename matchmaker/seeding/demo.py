"""The demo data set: seeds/demo/*.json loaded into the session, upserted by natural key."""
from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime, time
from pathlib import Path

from sqlalchemy import select

from matchmaker import privacy
from matchmaker.extensions import db
from matchmaker.models import (
    Branch, Household, Member, Need, NeedStatus, Offer, OfferKind, Organization, Pairing, Team,
    User, Volunteer,
)
from matchmaker.seeding import demo_records
from matchmaker.seeding.demo_records import (
    day, household, member, money, organization, region_id, team, upsert, user_id,
)

log = logging.getLogger("matchmaker.demo")

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo"
KINDS = ("organizations", "branches", "teams", "volunteers", "users", "households", "members",
         "needs", "offers", "activities", "donations", "placements", "purchases", "pairings")
#: which field of an offer holds its capacity, by kind (API.md: quantity, openings or 元)
CAPACITY_FIELD = {OfferKind.SERVICE: "quantity", OfferKind.GOODS: "quantity",
                  OfferKind.PURCHASE: "quantity", OfferKind.WISH_ADOPTION: "quantity",
                  OfferKind.JOB: "openings", OfferKind.FUNDS: "amount_yuan"}


def load_demo(directory: Path | None = None) -> dict[str, int]:
    """Load the demo files into db.session and flush (the caller commits).

    Regions must be loaded first. Running it again creates nothing: the counts returned are the
    rows created per kind.
    """
    directory = Path(directory or DEMO)
    counts: Counter = Counter()
    for org in _read(directory, "organizations.json"):
        _load_organization(org, counts)
    _load_users(_read(directory, "users.json"), counts)
    for name, loader in (("households.json", _load_household), ("needs.json", _load_need),
                         ("offers.json", _load_offer)):
        for row in _read(directory, name):
            loader(row, counts)
    demo_records.load_records(_read(directory, "records.json"), counts)
    for row in _read(directory, "pairings.json"):
        _load_pairing(row, counts)
    db.session.flush()
    log.info("demo data loaded: %s", dict(counts))
    return {kind: counts[kind] for kind in KINDS}


def _read(directory: Path, name: str):
    with open(directory / name, encoding="utf-8") as handle:
        return json.load(handle)


# -- organizations, branches, teams, volunteers -------------------------------------------------

def _load_organization(row: dict, counts: Counter) -> None:
    org, _ = upsert(counts, "organizations", Organization, {"name": row["name"]}, {
        "kind": row["kind"], "credit_code": row.get("credit_code"),
        "region_id": region_id(row["region_code"]), "address": row.get("address")})
    for branch_row in row.get("branches", []):
        branch, _ = upsert(counts, "branches", Branch,
                           {"organization_id": org.id, "name": branch_row["name"]},
                           {"level": branch_row["level"], "formation": branch_row["formation"]})
        for team_row in branch_row.get("teams", []):
            _load_team(branch, team_row, counts)


def _load_team(branch: Branch, row: dict, counts: Counter) -> None:
    crew, _ = upsert(counts, "teams", Team, {"branch_id": branch.id, "name": row["name"]}, {
        "categories": row.get("categories", []), "region_id": region_id(row["region_code"]),
        "lat": row.get("lat"), "lon": row.get("lon"), "radius_km": row.get("radius_km")})
    for person in row.get("volunteers", []):
        phone_encrypted, phone_hash = privacy.protect("phone", person.get("phone"))
        upsert(counts, "volunteers", Volunteer, {"team_id": crew.id, "name": person["name"]},
               {"is_party_member": person.get("is_party_member", False),
                "skills": person.get("skills", [])},
               phone_encrypted=phone_encrypted, phone_hash=phone_hash)


# -- accounts -----------------------------------------------------------------------------------

def _load_users(data: dict, counts: Counter) -> None:
    """Demo accounts; an existing account keeps its password."""
    for row in data["users"]:
        fields = {"role": row["role"], "display_name": row.get("display_name"),
                  "region_id": region_id(row["region_code"]) if row.get("region_code") else None,
                  "organization_id": organization(row["organization"]).id
                  if row.get("organization") else None}
        account = db.session.scalars(select(User).where(User.username == row["username"])).first()
        if account is None:
            account = User(username=row["username"], **fields)
            account.set_password(data["password"])
            db.session.add(account)
            counts["users"] += 1
        for name, value in fields.items():
            setattr(account, name, value)
        db.session.flush()


# -- households and their members ---------------------------------------------------------------

def _load_household(row: dict, counts: Counter) -> None:
    id_encrypted, id_hash = privacy.protect("id_number", row["id_number"])
    phone_encrypted, phone_hash = privacy.protect("phone", row.get("phone"))
    home, _ = upsert(counts, "households", Household, {"code": row["code"]}, {
        "village_id": region_id(row["village_code"]), "head_name": row["head_name"],
        "address": row.get("address"), "status": row["status"],
        "poverty_causes": row.get("poverty_causes", [])},
        id_number_encrypted=id_encrypted, id_number_hash=id_hash,
        phone_encrypted=phone_encrypted, phone_hash=phone_hash)
    for person in row["members"]:
        _load_member(home, person, counts)


def _load_member(home: Household, row: dict, counts: Counter) -> None:
    id_encrypted, id_hash = privacy.protect("id_number", row.get("id_number"))
    upsert(counts, "members", Member, {"household_id": home.id, "name": row["name"]}, {
        "relation": row["relation"], "birth_date": day(row.get("birth_date")),
        "gender": row.get("gender"), "labour_capacity": row.get("labour_capacity"),
        "is_student": row.get("is_student", False), "school_stage": row.get("school_stage"),
        "skills": row.get("skills", [])},
        id_number_encrypted=id_encrypted, id_number_hash=id_hash)


# -- needs, offers, pairings --------------------------------------------------------------------

def _load_need(row: dict, counts: Counter) -> None:
    home = household(row["household"])
    person = member(home.code, row["member"]) if row.get("member") else None
    fulfilled_on = day(row.get("fulfilled_on"))
    upsert(counts, "needs", Need, {"household_id": home.id, "title": row["title"]}, {
        "member_id": person.id if person else None, "village_id": home.village_id,
        "kind": row["kind"], "category": row["category"],
        "description": row.get("description"), "quantity": row.get("quantity"),
        "unit": row.get("unit"), "amount_yuan": money(row.get("amount_yuan")),
        "deadline": day(row.get("deadline")),
        "guardian_consent": row.get("guardian_consent", False),
        "created_by_id": user_id(row.get("created_by"))},
        status=NeedStatus(row.get("status", "open")),
        fulfilled_at=datetime.combine(fulfilled_on, time(12)) if fulfilled_on else None)


def _load_offer(row: dict, counts: Counter) -> None:
    owner = organization(row["organization"])
    crew = team(owner.name, row["team"]) if row.get("team") else None
    fields = {
        "team_id": crew.id if crew else None, "kind": row["kind"], "category": row["category"],
        "description": row.get("description"), "quantity": row.get("quantity"),
        "unit": row.get("unit"), "amount_yuan": money(row.get("amount_yuan")),
        "openings": row.get("openings"), "wage_yuan_month": money(row.get("wage_yuan_month")),
        "per_wish_cap_yuan": money(row.get("per_wish_cap_yuan")),
        "radius_km": row.get("radius_km"),
        "region_id": region_id(row["region_code"]) if row.get("region_code") else None,
        "available_from": day(row.get("available_from")),
        "available_until": day(row.get("available_until")),
        "created_by_id": user_id(row.get("created_by"))}
    fields["capacity"] = float(fields[CAPACITY_FIELD[OfferKind(row["kind"])]] or 0)
    upsert(counts, "offers", Offer, {"organization_id": owner.id, "title": row["title"]}, fields)


def _load_pairing(row: dict, counts: Counter) -> None:
    owner = organization(row["organization"])
    branch = None
    if row.get("branch"):
        branch = demo_records.one(Branch, f"党组织 {row['branch']}",
                                  Branch.organization_id == owner.id, Branch.name == row["branch"])
    key = {"kind": row["kind"], "organization_id": owner.id,
           "branch_id": branch.id if branch else None,
           "household_id": household(row["household"]).id if row.get("household") else None,
           "village_id": region_id(row["village_code"]) if row.get("village_code") else None}
    upsert(counts, "pairings", Pairing, key,
           {"started_on": day(row["started_on"]), "ended_on": day(row.get("ended_on"))})
