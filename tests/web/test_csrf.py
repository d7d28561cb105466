"""Every page form needs its CSRF token."""
import pytest


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_login_form_without_csrf_token_is_refused(client, make_user):
    make_user("admin", username="csrf-user")
    response = client.post("/login", data={"username": "csrf-user",
                                           "password": "correct-horse-9"})
    assert response.status_code == 400
    assert "退出" not in client.get("/").get_data(as_text=True)


# -- the API: only a valid bearer token lifts the check ------------------------------------------

def _session_organizer(client, make_user, make_household):
    """A logged-in organizer of an organization (logged in before CSRF is switched on), its need."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Region
    from tests.api.market import make_need, make_org
    from tests.conftest import VILLAGE

    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    user = make_user("organizer")
    user.organization_id = make_org(village, "赣鄱建材有限公司").id
    db.session.commit()
    client.application.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/login", data={"username": user.username,
                                       "password": "correct-horse-9"}).status_code == 302
    client.application.config["WTF_CSRF_ENABLED"] = True
    return user, make_need(make_household())


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Bearer ", "bearer x"])
def test_a_session_call_with_no_valid_bearer_token_needs_csrf(client, make_user, make_household,
                                                              authorization):
    from matchmaker.extensions import db
    from matchmaker.models import Need

    _, need = _session_organizer(client, make_user, make_household)
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(f"/api/v1/needs/{need.id}/claim", json={}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert db.session.get(Need, need.id).status == "open"


def test_a_valid_bearer_token_of_another_user_does_not_lift_csrf_from_a_session(
        client, make_user, make_household, bearer):
    from matchmaker.extensions import db
    from matchmaker.models import Need

    others = bearer("organizer")  # asked for before the session logs in
    _, need = _session_organizer(client, make_user, make_household)
    response = client.post(f"/api/v1/needs/{need.id}/claim", json={}, headers=others)
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert db.session.get(Need, need.id).status == "open"


def test_a_valid_bearer_token_needs_no_csrf_token(client, make_user, make_household):
    from matchmaker.extensions import db
    from matchmaker.models import Need

    user, need = _session_organizer(client, make_user, make_household)
    token = client.application.test_client().post(  # a client without the session cookie
        "/api/v1/auth/token", json={"username": user.username, "password": "correct-horse-9"})
    response = client.post(f"/api/v1/needs/{need.id}/claim", json={},
                           headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    assert response.status_code == 200, response.get_json()
    assert db.session.get(Need, need.id).status == "claimed"
