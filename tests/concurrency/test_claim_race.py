"""Fifty organizers racing against a running server: one winner per need, no offer over-spent."""
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Claim, Need, Offer, Organization, Region, User
from matchmaker.services import accounts
from tests.conftest import VILLAGE, running_server, server_env

CLAIMANTS = 50


@pytest.fixture
def server(app, database_url, tmp_path):
    """`matchmaker serve` (threaded) on the test's database; yields its base URL."""
    db.session.commit()
    # one organization's claims without a team are held to TEAM_OPEN_CLAIMS (10): raised here so
    # that the offer's capacity, the thing raced for, is what stops the fifty claimants
    with open(tmp_path / "server.log", "wb") as log, running_server(
            server_env(database_url, MATCHMAKER_TEAM_OPEN_CLAIMS="100"), log=log,
            cwd=tmp_path) as url:
        yield url


def organization(name: str) -> Organization:
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    org = Organization(name=name, kind="enterprise", region_id=village.id)
    db.session.add(org)
    db.session.flush()
    return org


def organizer_token(org: Organization, number: int) -> str:
    """An organizer of the organization with its own bearer token (no password hashing)."""
    user = User(username=f"organizer-{org.id}-{number}", password_hash="-", role="organizer",
                organization_id=org.id)
    db.session.add(user)
    db.session.flush()
    token, _ = accounts.issue_token(user, 1)
    return token


def open_needs(household, count: int) -> list[Need]:
    needs = [Need(household_id=household.id, village_id=household.village_id, kind="service",
                  category="tutoring", title=f"周末课业辅导{i}", status="open")
             for i in range(count)]
    db.session.add_all(needs)
    db.session.commit()
    return needs


def race(url: str, attempts: list[tuple[str, int, dict]]) -> list[tuple[int, str | None]]:
    """POST every (token, need_id, body) claim at once, released together by a barrier."""
    barrier = threading.Barrier(len(attempts))

    def attempt(token: str, need_id: int, body: dict) -> tuple[int, str | None]:
        request = urllib.request.Request(
            f"{url}/api/v1/needs/{need_id}/claim", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=90) as response:
                return response.status, None
        except urllib.error.HTTPError as error:
            payload = json.loads(error.read().decode() or "{}")
            return error.code, payload.get("error", {}).get("code")

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(lambda args: attempt(*args), attempts))


def test_fifty_organizations_claiming_one_need_at_once_yields_one_winner(app, make_household,
                                                                         server):
    need = open_needs(make_household(), 1)[0]
    tokens = [organizer_token(organization(f"帮扶企业{i}"), i) for i in range(CLAIMANTS)]
    db.session.commit()
    outcomes = race(server, [(token, need.id, {}) for token in tokens])
    assert [status for status, _ in outcomes].count(200) == 1
    assert sorted(outcomes)[1:] == [(409, "already_claimed")] * (CLAIMANTS - 1)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Claim)) == 1
    assert db.session.get(Need, need.id).status == "claimed"


def test_fifty_claims_on_one_offer_of_capacity_ten_spend_exactly_ten(app, make_household,
                                                                     server):
    needs = open_needs(make_household(), CLAIMANTS)
    org = organization("赣鄱建材有限公司")
    offer = Offer(organization_id=org.id, kind="service", category="tutoring",
                  title="大学生暑期支教", capacity=10, capacity_used=0)
    db.session.add(offer)
    tokens = [organizer_token(org, i) for i in range(CLAIMANTS)]
    db.session.commit()
    outcomes = race(server, [(token, need.id, {"offer_id": offer.id})
                             for token, need in zip(tokens, needs)])
    assert sorted(outcomes) == [(200, None)] * 10 + [(409, "capacity_exhausted")] * 40
    db.session.expire_all()
    spent = db.session.get(Offer, offer.id)
    assert spent.capacity_used == 10 == spent.capacity and spent.status == "exhausted"
    assert db.session.scalar(select(func.count()).select_from(Claim)) == 10
    assert db.session.scalar(select(func.count()).where(Need.status == "claimed")) == 10
