"""The OpenAPI document is generated from the code and lists every API route."""
import re

import pytest
from openapi_spec_validator import validate

from matchmaker.api.openapi import enforced_roles
from matchmaker.api.spec import documented
from matchmaker.auth import roles_required
from matchmaker.models import Role


def test_openapi_document_is_valid_openapi_3(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_api_route_is_in_the_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = "/" + rule.rule.strip("/").replace("<int:", "{").replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented


def test_request_body_schema_comes_from_the_form(client):
    document = client.get("/api/v1/openapi.json").get_json()
    body = document["paths"]["/api/v1/regions"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert body["properties"]["level"]["enum"] == [
        "province", "city", "county", "township", "village"]
    assert set(body["required"]) == {"code", "name", "level"}
    assert body["properties"]["lat"]["type"] == "number"


ROLE_REFUSAL = "没有权限"  # the message of auth.roles_required's 403; services word their own


def _call(client, path: str, method: str, headers: dict):
    """The operation on ids that do not exist, with a body that is not JSON: nothing is changed,
    whatever role gets past the role check stops at the body or the missing object."""
    url = re.sub(r"\{\w+\}", "2147483000", path)
    return client.open(url, method=method.upper(), headers=headers, data=b"{not json",
                       content_type="application/json")


def _refused_for_role(response) -> bool:
    return response.status_code == 403 and response.get_json()["error"]["message"] == ROLE_REFUSAL


def test_documented_roles_are_the_enforced_roles_of_every_route(client, bearer):
    """Each role named in the document gets past the role check, each other role is refused by
    it; a route whose document names no roles refuses no logged-in role."""
    document = client.get("/api/v1/openapi.json").get_json()
    tokens = {role.value: bearer(role.value) for role in Role}
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "security" not in operation:
                continue  # public: no login, no roles
            named = operation.get("description", "").removeprefix("角色: ")
            documented = set(named.split(", ")) if named else set(tokens)
            for role, headers in tokens.items():
                response = _call(client, path, method, headers)
                assert _refused_for_role(response) == (role not in documented), \
                    (method, path, role, response.status_code, response.get_json())
                checked += 1
    assert checked >= 3 * 60


def test_a_role_check_is_documented_from_the_decorator_that_enforces_it():
    """The roles live in one place: roles_required keeps them for the generator, and the
    documentation decorator has no roles of its own to drift from them."""
    view = roles_required(Role.CADRE, Role.ADMIN)(lambda: None)
    assert enforced_roles(view) == ("cadre", "admin")
    with pytest.raises(TypeError):
        documented("x", roles=("cadre",))(lambda: None)
