"""Regions: one look-up by code (one error on every path) and one walk up the tree."""
import pytest

from matchmaker.errors import Invalid, UnknownRegion
from matchmaker.extensions import db
from matchmaker.models import RegionLevel
from matchmaker.serializers import public_need
from matchmaker.services import accounts, regions
from matchmaker.services.geocoding import full_name
from matchmaker.services.records import rules, verification
from matchmaker.services.registry import households, orgs
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE

UNKNOWN = "999999999999"
MESSAGE = f"找不到区划代码 {UNKNOWN}"


def test_an_unknown_code_is_the_one_error_with_a_chinese_message(app):
    with pytest.raises(UnknownRegion) as raised:
        regions.region_by_code(UNKNOWN)
    assert (raised.value.message, raised.value.status) == (MESSAGE, 404)


@pytest.mark.parametrize("look_up, field", [
    (lambda admin: accounts.create_user("cadre-x", "correct-horse-9", "cadre", UNKNOWN), "region"),
    (lambda admin: rules.place(UNKNOWN), "village_code"),
    (lambda admin: households.village_for(admin, UNKNOWN), "village_code"),
    (lambda admin: orgs.region_for(UNKNOWN), "region_code"),
    (lambda admin: verification.records_query("activity", admin, {"village": UNKNOWN}),
     "village"),
    (lambda admin: regions.create_region("360302102299", "新村", "village", UNKNOWN),
     "parent_code"),
])
def test_the_same_unknown_code_gives_the_same_message_on_every_field(make_user, look_up, field):
    admin = make_user("admin")
    with pytest.raises(Invalid) as raised:
        look_up(admin)
    assert raised.value.fields == {field: MESSAGE}


def test_a_known_region_of_the_wrong_level_keeps_the_callers_message(make_user):
    with pytest.raises(Invalid) as raised:
        households.village_for(make_user("admin"), TOWNSHIP)
    assert raised.value.fields == {"village_code": "找不到该村(社区)"}


def test_ancestor_ids_read_the_path_from_the_top_down(app):
    village = regions.region_by_code(VILLAGE)
    assert village.ancestor_ids == [place.id for place in village.lineage]
    assert village.ancestor_ids[-1] == village.id
    assert regions.region_by_code(TOWNSHIP).id in village.ancestor_ids
    assert village.id not in regions.region_by_code(OTHER_VILLAGE).ancestor_ids


def test_ancestor_finds_the_region_at_a_level_or_none_above_it(app):
    village, township = regions.region_by_code(VILLAGE), regions.region_by_code(TOWNSHIP)
    assert village.ancestor(RegionLevel.TOWNSHIP) == township
    assert village.ancestor("village") == village
    assert village.ancestor(RegionLevel.COUNTY).level == RegionLevel.COUNTY
    assert township.ancestor(RegionLevel.VILLAGE) is None
    assert [place.level for place in village.lineage] == list(RegionLevel)


def test_the_walks_agree_with_the_model(world):
    need = world.need()
    village = db.session.get(type(world.village), need.village_id)
    shown = public_need(need)
    assert (shown["township"], shown["county"]) == (
        village.ancestor("township").name, village.ancestor("county").name)
    assert full_name(village) == "".join(place.name for place in village.lineage)
    assert full_name(village).endswith(village.name)
