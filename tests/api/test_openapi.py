"""The OpenAPI document is generated from the code and lists every API route."""
from openapi_spec_validator import validate


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
