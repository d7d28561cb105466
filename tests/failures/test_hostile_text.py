"""Traditional Chinese, emoji, full-width letters and SQL/HTML injection strings in every text
field of the main POST endpoints: no 5xx, stored as given (NFKC-normalised, as the forms
normalise), and escaped on the pages that show them: the raw <script> never reaches HTML."""
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Activity, Household, Need, Offer, Organization, Team, Volunteer
from tests.conftest import VILLAGE, valid_id_number

SCRIPT = "<script>alert(1)</script>"
HOSTILE = f"{SCRIPT}'); DROP TABLE needs;--繁體字測試🎒📚ＡＢ"  # 52 characters
SHORT = "<b>件🎒"  # for 16-character fields
STORED, STORED_SHORT = (unicodedata.normalize("NFKC", s) for s in (HOSTILE, SHORT))
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def text(tag: str) -> str:
    """The hostile string, told apart per field."""
    return f"{HOSTILE}{tag}"


def stored(tag: str) -> str:
    return f"{STORED}{tag}"


@pytest.fixture
def people(app, client, make_user):
    """An organizer and a cadre, each with a bearer token; the client logged in as the first."""
    def token(user):
        response = client.post("/api/v1/auth/token", json={"username": user.username,
                                                           "password": "correct-horse-9"})
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    organizer, cadre = make_user("organizer"), make_user("cadre")
    return organizer, token(organizer), cadre, token(cadre)


def login(client, user) -> None:
    assert client.post("/login", data={"username": user.username,
                                       "password": "correct-horse-9"}).status_code == 302


def created(response) -> dict:
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    return response.get_json()


def post_organizer_side(client, headers) -> dict:
    post = lambda path, body: created(client.post(f"/api/v1{path}", json=body, headers=headers))  # noqa: E731
    org = post("/organizations", {"name": text("org"), "kind": "enterprise",
                                  "region_code": VILLAGE, "address": text("addr")})
    branch = post(f"/organizations/{org['id']}/branches", {
        "name": text("branch"), "level": "branch", "formation": "standalone"})
    team = post("/teams", {"branch_id": branch["id"], "name": text("team"),
                           "categories": ["tutoring"], "region_code": VILLAGE, "radius_km": 20})
    volunteer = post(f"/teams/{team['id']}/volunteers", {
        "name": text("v"), "is_party_member": False, "skills": [text("skill")]})
    offer = post("/offers", {"kind": "goods", "category": "daily_life", "title": text("offer"),
                             "description": text("offer-d"), "quantity": 5, "unit": SHORT})
    activity = post("/activities", {
        "team_id": team["id"], "date": (date.today() - timedelta(days=1)).isoformat(),
        "title": text("act"), "category": "tutoring", "village_code": VILLAGE,
        "note": text("act-n"), "hours": [{"volunteer_id": volunteer["id"], "hours": 2}]})
    return {"org": org, "team": team, "volunteer": volunteer, "offer": offer,
            "activity": activity}


def post_cadre_side(client, headers) -> dict:
    household = created(client.post("/api/v1/households", headers=headers, json={
        "village_code": VILLAGE, "head_name": text("head"), "status": "poor",
        "id_number": valid_id_number("19700101", 777), "address": text("home"),
        "poverty_causes": ["illness"],
        "members": [{"name": text("head"), "relation": "self", "skills": [text("craft")]}]}))
    need = created(client.post("/api/v1/needs", headers=headers, json={
        "household_id": household["id"], "kind": "goods", "category": "daily_life",
        "title": text("need"), "description": text("need-d"), "quantity": 1, "unit": SHORT}))
    return {"household": household, "need": need}


def test_hostile_text_is_stored_as_given_and_escaped_on_every_page(app, client, people):
    organizer, organizer_headers, cadre, cadre_headers = people
    ours = post_organizer_side(client, organizer_headers)
    theirs = post_cadre_side(client, cadre_headers)
    db.session.expire_all()

    org = db.session.get(Organization, ours["org"]["id"])
    assert (org.name, org.address) == (stored("org"), stored("addr"))
    assert db.session.get(Team, ours["team"]["id"]).name == stored("team")
    volunteer = db.session.get(Volunteer, ours["volunteer"]["id"])
    assert (volunteer.name, volunteer.skills) == (stored("v"), [stored("skill")])
    offer = db.session.get(Offer, ours["offer"]["id"])
    assert (offer.title, offer.description, offer.unit) == (
        stored("offer"), stored("offer-d"), STORED_SHORT)
    activity = db.session.get(Activity, ours["activity"]["id"])
    assert (activity.title, activity.note) == (stored("act"), stored("act-n"))
    household = db.session.get(Household, theirs["household"]["id"])
    assert (household.head_name, household.address) == (stored("head"), stored("home"))
    assert household.members[0].skills == [stored("craft")]
    need = db.session.get(Need, theirs["need"]["id"])
    assert (need.title, need.description, need.unit) == (
        stored("need"), stored("need-d"), STORED_SHORT)
    assert db.session.scalar(select(Need.id).where(Need.id == need.id))  # no table dropped

    login(client, organizer)
    pages = {"/organizer/organization": ["org", "addr"], "/organizer/teams": ["team", "v"],
             "/organizer/offers": ["offer"], "/organizer/activities": ["act"],
             "/organizer/needs": ["need"]}
    cadre_pages = {f"/cadre/households/{household.id}": ["head", "home"],
                   "/cadre/needs": ["need"], "/cadre/verification": ["act"]}
    seen = check_pages(client, pages)
    cadre_client = app.test_client()
    login(cadre_client, cadre)
    seen |= check_pages(cadre_client, cadre_pages)
    assert seen == {"org", "addr", "team", "v", "offer", "act", "need", "head", "home"}


def check_pages(client, pages: dict[str, list[str]]) -> set[str]:
    seen = set()
    for path, tags in pages.items():
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert SCRIPT not in html and "DROP TABLE needs;--" in html, path
        for tag in tags:
            assert ESCAPED + "&#39;); DROP TABLE needs;--繁體字測試🎒📚AB" + tag in html, (path, tag)
            seen.add(tag)
    return seen
