"""GET/POST /api/v1/regions."""
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import JobRecord, Region

NEW_VILLAGE = {"code": "360302102299", "name": "新建村", "level": "village",
               "parent_code": "360302102000"}


def test_provinces_are_listed_without_a_parent(client):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    names = {item["name"] for item in response.get_json()["items"]}
    assert "江西省" in names
    assert all(item["level"] == "province" for item in response.get_json()["items"])


def test_children_of_a_county_are_its_townships(client):
    items = client.get("/api/v1/regions?parent=360302000000").get_json()["items"]
    assert items and all(item["level"] == "township" for item in items)
    assert all(item["parent_code"] == "360302000000" for item in items)


def test_unknown_parent_is_404(client):
    response = client.get("/api/v1/regions?parent=999999999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_admin_adds_a_village_and_it_is_geocoded_in_process(client, bearer):
    response = client.post("/api/v1/regions", json=NEW_VILLAGE, headers=bearer("admin"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["geocoding"]["status"] == "finished"
    region = db.session.scalar(select(Region).where(Region.code == NEW_VILLAGE["code"]))
    township = region.parent
    # not in the gazetteer: it takes its township's coordinates
    assert (region.lat, region.lon) == (township.lat, township.lon)
    assert region.path == township.path + f"{region.id}/"


def test_given_coordinates_are_kept_and_no_job_runs(client, bearer):
    response = client.post("/api/v1/regions", json={**NEW_VILLAGE, "lat": 27.6, "lon": 113.95},
                           headers=bearer("admin"))
    assert response.status_code == 201
    assert response.get_json()["geocoding"] is None
    assert db.session.scalar(select(JobRecord)) is None


def test_organizer_may_not_add_regions(client, bearer):
    response = client.post("/api/v1/regions", json=NEW_VILLAGE, headers=bearer("organizer"))
    assert response.status_code == 403


def test_anonymous_may_not_add_regions(client):
    assert client.post("/api/v1/regions", json=NEW_VILLAGE).status_code == 401


def test_duplicate_code_is_409(client, bearer):
    headers = bearer("admin")
    client.post("/api/v1/regions", json=NEW_VILLAGE, headers=headers)
    response = client.post("/api/v1/regions", json=NEW_VILLAGE, headers=headers)
    assert response.status_code == 409


def test_bad_fields_are_422_with_reasons(client, bearer):
    body = {"code": "12ab", "name": "", "level": "planet", "lat": 123}
    response = client.post("/api/v1/regions", json=body, headers=bearer("admin"))
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"code", "name", "level", "lat"}
    assert fields["code"] == "区划代码须为12位数字"


def test_village_directly_under_a_county_is_refused(client, bearer):
    body = {**NEW_VILLAGE, "parent_code": "360302000000", "level": "city"}
    response = client.post("/api/v1/regions", json=body, headers=bearer("admin"))
    assert response.status_code == 422
    assert "level" in response.get_json()["error"]["fields"]
