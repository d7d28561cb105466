"""The demo data set: valid personal numbers, none stored in clear, a second load is a no-op."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from matchmaker import privacy
from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Activity, Donation, Household, Member, Need, Offer, Organization, Placement, Purchase, Team,
    User, Volunteer,
)
from matchmaker.seeding.demo import DEMO, load_demo

COUNTED = (Organization, Team, Volunteer, User, Household, Member, Need, Offer, Activity,
           Donation, Placement, Purchase)


def read(name: str):
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def seeded_households() -> list[dict]:
    return read("households.json")


def seeded_id_numbers() -> list[str]:
    numbers = []
    for home in seeded_households():
        numbers.append(home["id_number"])
        numbers.extend(m["id_number"] for m in home["members"] if m.get("id_number"))
    return numbers


def seeded_phones() -> list[str]:
    phones = [home["phone"] for home in seeded_households() if home.get("phone")]
    for org in read("organizations.json"):
        for branch in org["branches"]:
            for team in branch["teams"]:
                phones.extend(v["phone"] for v in team["volunteers"] if v.get("phone"))
    return phones


def last_updates() -> dict[str, object]:
    return {model.__tablename__: db.session.scalar(select(func.max(model.updated_at)))
            for model in COUNTED}


def table_counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in COUNTED}


@pytest.fixture
def loaded(app):
    created = load_demo()
    db.session.commit()
    return created


def test_every_seeded_id_number_passes_the_gb11643_check():
    numbers = seeded_id_numbers()
    assert len(numbers) >= 90
    assert {n: privacy.id_number_problem(n) for n in numbers} == {n: None for n in numbers}


def test_id_numbers_start_with_the_county_of_the_household():
    for home in seeded_households():
        county = home["village_code"][:6]
        assert home["code"].startswith(county + "-")
        assert home["id_number"].startswith(county)
        assert all(m["id_number"].startswith(county) for m in home["members"] if m["id_number"])


def test_loading_twice_creates_nothing_the_second_time(loaded):
    before, updated = table_counts(), last_updates()
    again = load_demo()
    db.session.commit()
    assert set(again.values()) == {0}
    assert table_counts() == before
    assert last_updates() == updated
    assert sum(loaded.values()) > 0


def test_counts_match_the_files(loaded):
    records = read("records.json")
    expected = {
        "households": len(seeded_households()),
        "members": sum(len(h["members"]) for h in seeded_households()),
        "needs": len(read("needs.json")), "offers": len(read("offers.json")),
        "activities": len(records["activities"]), "donations": len(records["donations"]),
        "placements": len(records["placements"]), "purchases": len(records["purchases"]),
        "users": len(read("users.json")["users"]),
    }
    assert {kind: loaded[kind] for kind in expected} == expected
    assert table_counts()["households"] == expected["households"]
    assert table_counts()["needs"] == expected["needs"]


def test_no_id_number_or_phone_in_clear_in_any_text_column(loaded):
    secrets = seeded_id_numbers() + seeded_phones()
    found = []
    for table in db.metadata.sorted_tables:
        text_columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.JSON))]
        for row in db.session.execute(select(*text_columns)) if text_columns else ():
            blob = " ".join(str(value) for value in row if value is not None)
            found.extend(f"{table.name}: {s}" for s in secrets if s in blob)
    assert found == []


def test_protected_values_decrypt_to_the_seeded_ones(loaded):
    home = read("households.json")[0]
    stored = db.session.scalars(select(Household).where(Household.code == home["code"])).one()
    assert privacy.decrypt(stored.id_number_encrypted) == home["id_number"]
    assert stored.id_number_hash == privacy.keyed_hash("id_number", home["id_number"])


def test_verified_records_carry_their_verifier(loaded):
    for model in (Activity, Donation, Placement, Purchase):
        statuses = set(db.session.scalars(select(model.status)))
        assert "verified" in statuses
        assert db.session.scalar(select(func.count()).select_from(model).where(
            model.status == "verified", model.verified_by_id.is_(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(Activity).where(
        Activity.status == "rejected")) == 1


def test_a_missing_region_is_named(app, tmp_path: Path):
    for path in DEMO.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    orgs = read("organizations.json")
    orgs[0]["region_code"] = "999999999999"
    (tmp_path / "organizations.json").write_text(json.dumps(orgs, ensure_ascii=False),
                                                 encoding="utf-8")
    with pytest.raises(NotFound, match="999999999999"):
        load_demo(tmp_path)
