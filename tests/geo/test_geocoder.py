"""The offline geopy geocoder, the chain to a web geocoder, and the factory."""

import socket
from pathlib import Path

import pytest
from geopy.exc import GeocoderNotFound
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from matchmaker.geo import ChainedGeocoder, Gazetteer, OfflineGeocoder, make_geocoder

REGIONS_CSV = Path(__file__).parents[2] / "seeds" / "regions.csv"

# Every place named in ../shared/source-articles, as the article writes it (004 is in
# traditional characters), with the code it must resolve to; 湖南/永州/广东 are named only
# implicitly (永组信息 is 永州's bulletin, 驻粤 means in Guangdong).
ARTICLE_PLACES = [
    # 000 江西萍乡
    ("江西", "360000000000"),
    ("萍乡", "360300000000"),
    ("安源区", "360302000000"),
    ("浙江湖州", "330500000000"),
    ("江西景德镇", "360200000000"),
    ("南昌市", "360100000000"),
    ("五陂镇五陂村", "360302102200"),
    ("城郊管委会", "360302401000"),
    ("安源区东大街东外社区", "360302001001"),
    ("高坑镇彭泉村", "360302101200"),
    # 001 浙江
    ("浙江", "330000000000"),
    ("嘉兴市", "330400000000"),
    ("金华市", "330700000000"),
    ("绍兴市柯桥区", "330603000000"),
    ("杭州市拱墅区小河街道", "330105003000"),
    ("温州", "330300000000"),
    ("德清", "330521000000"),
    ("玉环", "331083000000"),
    ("玉环楚门", "331083102000"),
    # 002 安徽
    ("安徽省亳州市", "341600000000"),
    # 003 湖南永州 (with the places its branches reach: 北京, 东莞, 虎门)
    ("湖南", "430000000000"),
    ("永州", "431100000000"),
    ("广东", "440000000000"),
    ("新田县", "431128000000"),
    ("知市坪乡", "431128203000"),
    ("冷水滩区", "431103000000"),
    ("东安县", "431122000000"),
    ("北京", "110000000000"),
    ("东莞", "441900000000"),
    ("虎门", "441900121000"),
    ("双牌县", "431123000000"),
    ("青龙洞社区", "431123100001"),
    ("阳明社区", "431123100002"),
    ("林峰社区", "431123100003"),
    ("滨河社区", "431123100004"),
    # 004 四川
    ("四川", "510000000000"),
    ("樂山市犍為縣", "511123000000"),
]


@pytest.fixture(scope="module")
def offline() -> OfflineGeocoder:
    return OfflineGeocoder()


class RecordingGeocoder(Geocoder):
    """A stand-in web geocoder that records its calls and answers with one fixed place."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, object, dict]] = []
        self.answer = Location("Somewhere", (1.0, 2.0), {"source": "web"})

    def geocode(self, query, *, exactly_one=True, **kwargs):
        self.calls.append(("geocode", query, kwargs))
        return self.answer

    def reverse(self, query, *, exactly_one=True, **kwargs):
        self.calls.append(("reverse", query, kwargs))
        return self.answer


@pytest.mark.parametrize("query, code", ARTICLE_PLACES)
def test_every_place_named_in_the_articles_resolves(offline, query, code):
    location = offline.geocode(query)
    assert location is not None, query
    assert location.raw["code"] == code


def test_every_article_place_resolves_from_the_curated_regions_seed_alone():
    curated = OfflineGeocoder(Gazetteer([REGIONS_CSV]))
    found = [curated.geocode(query) for query, _ in ARTICLE_PLACES]
    assert [loc.raw["code"] if loc else None for loc in found] == [c for _, c in ARTICLE_PLACES]


def test_geocode_returns_a_location_with_the_full_address_and_the_place_fields_as_raw(offline):
    location = offline.geocode("五陂村")
    assert location.address == "江西省萍乡市安源区五陂镇五陂村"
    assert (location.latitude, location.longitude) == (27.588, 113.903)
    assert location.raw == {"code": "360302102200", "name": "五陂村", "level": "village",
                            "parent_code": "360302102000", "lat": 27.588, "lon": 113.903}


def test_geocode_with_exactly_one_false_lists_the_candidates_best_first(offline):
    found = offline.geocode("东安", exactly_one=False)
    assert [loc.raw["code"] for loc in found] == ["431122000000", "231002000000"]
    assert found[0].address == "湖南省永州市东安县"


def test_geocode_of_an_unknown_place_returns_none(offline):
    assert offline.geocode("不存在的地方") is None
    assert offline.geocode("不存在的地方", exactly_one=False) is None


@pytest.mark.parametrize("query", [(27.588, 113.903), "27.588, 113.903", Point(27.588, 113.903)])
def test_reverse_accepts_tuples_strings_and_points_and_returns_the_nearest_place(offline, query):
    assert offline.reverse(query).raw["code"] == "360302102200"


def test_reverse_with_exactly_one_false_lists_nearby_places_nearest_first(offline):
    found = offline.reverse((30.3085, 120.1482), exactly_one=False)
    assert [loc.raw["name"] for loc in found[:2]] == ["小河街道", "拱墅区"]
    assert len(found) == 5


def test_offline_geocoder_never_opens_a_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    geocoder = OfflineGeocoder()
    assert geocoder.geocode("犍为县").raw["code"] == "511123000000"
    assert geocoder.reverse("29.2, 103.95").raw["code"] == "511123000000"


def test_chain_answers_from_the_offline_geocoder_without_asking_the_fallback(offline):
    web = RecordingGeocoder()
    chain = ChainedGeocoder(offline, web)
    assert chain.geocode("安源区").raw["code"] == "360302000000"
    assert chain.reverse((27.588, 113.903)).raw["code"] == "360302102200"
    assert web.calls == []


def test_chain_asks_the_fallback_when_the_offline_geocoder_finds_nothing(offline):
    web = RecordingGeocoder()
    chain = ChainedGeocoder(offline, web)
    assert chain.geocode("Paris", language="fr") is web.answer
    assert chain.geocode("London", timeout=3) is web.answer
    assert web.calls == [("geocode", "Paris", {"language": "fr"}),
                         ("geocode", "London", {"timeout": 3})]


def test_chain_reverse_falls_back_when_the_gazetteer_is_empty(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("code,name,level,parent_code,lat,lon,code_official\n", encoding="utf-8")
    web = RecordingGeocoder()
    chain = ChainedGeocoder(OfflineGeocoder(Gazetteer([empty])), web)
    assert chain.reverse((48.85, 2.35)) is web.answer
    assert web.calls == [("reverse", (48.85, 2.35), {})]


def test_make_geocoder_is_offline_by_default():
    geocoder = make_geocoder()
    assert isinstance(geocoder, OfflineGeocoder)
    assert geocoder.geocode("萍乡市").raw["code"] == "360300000000"
    assert isinstance(make_geocoder("offline", user_agent="ignored"), OfflineGeocoder)


def test_make_geocoder_chains_offline_to_the_named_geopy_service():
    chain = make_geocoder("Nominatim", user_agent="matchmaker-tests", timeout=5)
    assert isinstance(chain, ChainedGeocoder)
    assert isinstance(chain.first, OfflineGeocoder)
    assert isinstance(chain.fallback, Nominatim)
    assert chain.fallback.headers["User-Agent"] == "matchmaker-tests"
    assert chain.fallback.timeout == 5


def test_make_geocoder_rejects_an_unknown_service():
    with pytest.raises(GeocoderNotFound):
        make_geocoder("no-such-service")
