"""Records posted at once against a running server: no day over 24 hours, no opening spent twice."""
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import ActivityHours, Offer, Placement, User
from matchmaker.services import accounts
from tests.api.market import hold_job_need
from tests.api.test_records import DAY, VILLAGE, make_org_team, region
from tests.conftest import running_server, server_env

POSTERS = 8


@pytest.fixture
def server(app, database_url, tmp_path):
    """`matchmaker serve` (threaded) on the test's database; yields its base URL."""
    db.session.commit()
    with open(tmp_path / "server.log", "wb") as log, running_server(
            server_env(database_url), log=log, cwd=tmp_path) as url:
        yield url


def tokens_of(org, count: int) -> list[str]:
    """Organizers of the organization, each with its own bearer token (no password hashing)."""
    tokens = []
    for number in range(count):
        user = User(username=f"organizer-{org.id}-{number}", password_hash="-",
                    role="organizer", organization_id=org.id)
        db.session.add(user)
        db.session.flush()
        tokens.append(accounts.issue_token(user, 1)[0])
    db.session.commit()
    return tokens


def race(url: str, path: str, attempts: list[tuple[str, dict]]) -> list[int]:
    """POST every (token, body) at once, released together by a barrier; the statuses."""
    barrier = threading.Barrier(len(attempts))

    def attempt(token: str, body: dict) -> int:
        request = urllib.request.Request(
            f"{url}/api/v1/{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=90) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(lambda args: attempt(*args), attempts))


def test_activities_posted_at_once_never_give_a_volunteer_more_than_24_hours(app, server):
    ours = make_org_team("赣鄱建材有限公司", region(VILLAGE), volunteers=1)
    volunteer = ours.volunteers[0].id
    bodies = [{"team_id": ours.team.id, "date": DAY.isoformat(), "title": f"服务{i}",
               "category": "cleaning", "village_code": VILLAGE,
               "hours": [{"volunteer_id": volunteer, "hours": 5}]} for i in range(POSTERS)]
    statuses = race(server, "activities", list(zip(tokens_of(ours.org, POSTERS), bodies)))
    assert sorted(statuses) == [201] * 4 + [422] * (POSTERS - 4)
    db.session.expire_all()
    total = db.session.scalar(select(func.sum(ActivityHours.hours)).where(
        ActivityHours.volunteer_id == volunteer))
    assert total == Decimal(20)


def test_hires_posted_at_once_never_spend_more_openings_than_the_offer_has(app, server,
                                                                         make_household):
    ours = make_org_team("赣鄱建材有限公司", region(VILLAGE))
    household = make_household(members=[
        {"name": f"劳动力{i}", "relation": "child"} for i in range(POSTERS)])
    offer = Offer(organization_id=ours.org.id, kind="job", category="factory", title="包装工",
                  openings=3, capacity=3, capacity_used=0, status="open")
    db.session.add(offer)
    db.session.commit()
    for member in household.members[:POSTERS]:  # hired through job needs the organization holds
        hold_job_need(ours.org.id, member)
    bodies = [{"offer_id": offer.id, "member_id": member.id, "start_date": DAY.isoformat()}
              for member in household.members[:POSTERS]]
    statuses = race(server, "placements", list(zip(tokens_of(ours.org, POSTERS), bodies)))
    assert sorted(statuses) == [201] * 3 + [409] * (POSTERS - 3)
    db.session.expire_all()
    spent = db.session.get(Offer, offer.id)
    assert spent.capacity_used == 3 and spent.status == "exhausted"
    assert db.session.scalar(select(func.count()).select_from(Placement)) == 3
