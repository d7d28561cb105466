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
