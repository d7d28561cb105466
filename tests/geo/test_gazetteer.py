"""The seed gazetteer files and name/code lookups over them."""

import csv
import re
from pathlib import Path

import pytest

from matchmaker.geo import (
    LEVELS,
    Gazetteer,
    default_gazetteer,
    haversine_km,
    name_stem,
    normalise_name,
)
from matchmaker.geo.gazetteer import DEFAULT_SOURCES

REPO = Path(__file__).parents[2]
REGIONS_CSV = REPO / "seeds" / "regions.csv"
CPCA_CSV = REPO / "seeds" / "gazetteer" / "cn_admin.csv"
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9}
WUBEI_VILLAGE = "360302102200"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


REGIONS = _read(REGIONS_CSV)
BY_CODE = {row["code"]: row for row in REGIONS}
CPCA = {row["adcode"]: row for row in _read(CPCA_CSV) if row["longitude"]}


def _cpca_coords(row: dict[str, str]) -> tuple[float, float]:
    """cpca's coordinates for a county or city row, by code, else by name in the same city
    (cpca predates some recodings, e.g. 玉环县 331021 -> 玉环市 331083)."""
    found = CPCA.get(row["code"]) or next(
        r for code, r in CPCA.items()
        if code[:4] == row["code"][:4] and name_stem(r["name"]) == name_stem(row["name"]))
    return float(found["latitude"]), float(found["longitude"])


def _anchor(row: dict[str, str]) -> dict[str, str]:
    """The row's nearest county-or-city ancestor (itself if it is one)."""
    while row["level"] not in ("county", "city"):
        row = BY_CODE[row["parent_code"]]
    return row


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def _write(tmp_path: Path, name: str, rows: list[tuple]) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "name", "level", "parent_code", "lat", "lon", "code_official"])
        writer.writerows(rows)
    return path


# --- the seed file -------------------------------------------------------------------------

def test_seed_codes_are_unique_twelve_digits_with_known_levels_and_flags():
    assert len(BY_CODE) == len(REGIONS)
    for row in REGIONS:
        assert re.fullmatch(r"\d{12}", row["code"]), row
        assert row["level"] in LEVELS, row
        assert row["code_official"] in {"0", "1"}, row


def test_every_seed_place_has_its_parent_earlier_in_the_file_and_shares_its_code_prefix():
    seen: set[str] = set()
    for row in REGIONS:
        if row["level"] == "province":
            assert row["parent_code"] == "" and row["code"].endswith("0" * 10), row
        else:
            parent = BY_CODE[row["parent_code"]]
            assert row["parent_code"] in seen, f"{row['name']} comes before its parent"
            assert LEVELS.index(parent["level"]) < LEVELS.index(row["level"]), row
            prefix = row["code"][: PREFIX_LENGTH[parent["level"]]]
            assert parent["code"].startswith(prefix), row
            assert parent["code"][len(prefix):] == "0" * (12 - len(prefix)), parent
        seen.add(row["code"])


def test_every_seed_place_lies_within_60_km_of_its_county_in_cpca():
    for row in REGIONS:
        if row["level"] == "province":
            continue
        lat, lon = _cpca_coords(_anchor(row))
        distance = haversine_km(float(row["lat"]), float(row["lon"]), lat, lon)
        assert distance < 60, f"{row['name']} is {distance:.0f} km from its county"


def test_seed_provinces_cities_and_counties_carry_cpca_coordinates_and_real_codes():
    for row in REGIONS:
        if row["level"] in ("province", "city", "county"):
            assert row["code_official"] == "1", row
            expected = (float(CPCA[row["code"]]["latitude"]), float(CPCA[row["code"]]["longitude"])
                        ) if row["level"] == "province" else _cpca_coords(row)
            assert (float(row["lat"]), float(row["lon"])) == pytest.approx(expected, abs=1e-6)


def test_seed_villages_sit_in_the_village_code_ranges_of_their_township():
    for row in REGIONS:
        if row["level"] == "village":
            number = int(row["code"][9:])
            is_community = row["name"].endswith(("社区", "居委会"))
            assert (1 <= number <= 199) if is_community else (200 <= number <= 399), row


def test_seed_names_are_already_normalised():
    assert all(normalise_name(row["name"]) == row["name"] for row in REGIONS)


# --- loading -------------------------------------------------------------------------------

def test_default_sources_are_the_two_seed_files():
    assert DEFAULT_SOURCES == (REGIONS_CSV, CPCA_CSV)


def test_default_gazetteer_holds_the_seed_places_and_all_cpca_units(gaz):
    assert all(row["code"] in gaz for row in REGIONS)
    assert gaz.get("360302102200").name == "五陂村"
    assert gaz.get("650100").name == "乌鲁木齐市"  # a cpca-only place, by its 6-digit code
    assert len(gaz) > 3200


def test_cpca_rows_take_level_and_parent_from_their_code(gaz):
    assert gaz.get("330100").level == "city"
    assert gaz.get("330100").parent_code == "330000000000"
    assert gaz.get("110101").level == "county"
    assert gaz.get("110101").parent_code == "110000000000"  # cpca's 市辖区 rows are skipped
    assert gaz.get("429005").parent_code == "420000000000"  # 潜江市, directly under the province
    assert gaz.get("110100") is None


def test_an_earlier_file_wins_for_a_code_in_both(tmp_path):
    first = _write(tmp_path, "a.csv", [("360000000000", "江西省", "province", "", 28.6, 115.8, 1)])
    second = _write(tmp_path, "b.csv", [("360000000000", "赣", "province", "", 0, 0, 1)])
    gaz = Gazetteer([first, second])
    assert (gaz.get("36").name, gaz.get("36").lat) == ("江西省", 28.6)
    assert len(gaz) == 1


def test_ancestors_and_address_follow_the_parent_chain(gaz):
    village = gaz.get(WUBEI_VILLAGE)
    assert [p.name for p in gaz.ancestors(village)] == ["江西省", "萍乡市", "安源区", "五陂镇"]
    assert gaz.address(village) == "江西省萍乡市安源区五陂镇五陂村"
    assert gaz.ancestors(gaz.get("36")) == []


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("　安源区　", "安源区"),  # ideographic spaces
    (" 安 源 区\t", "安源区"),
    ("ＡＢ１２", "AB12"),  # full-width letters and digits
    ("樂山市犍為縣", "乐山市犍为县"),
    ("江西省, 萍乡市、安源区", "江西省萍乡市安源区"),
])
def test_normalise_name_folds_width_spaces_separators_and_traditional_characters(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize("name, stem", [
    ("五陂镇", "五陂"), ("东大街街道", "东大街"), ("城郊管委会", "城郊"), ("青龙洞社区", "青龙洞"),
    ("景德镇市", "景德镇"), ("江西省", "江西"), ("范镇", "范镇"), ("北京", "北京"),
])
def test_name_stem_drops_one_administrative_suffix_keeping_two_characters(name, stem):
    assert name_stem(name) == stem


def test_full_chain_query_returns_the_village(gaz):
    assert gaz.find("江西省萍乡市安源区五陂镇五陂村").code == WUBEI_VILLAGE


@pytest.mark.parametrize("query, code", [
    ("安源区", "360302000000"),
    ("安源", "360302000000"),
    ("萍乡安源", "360302000000"),
    ("五陂村", WUBEI_VILLAGE),
    ("五陂镇", "360302102000"),
    ("江西萍乡安源五陂五陂村", WUBEI_VILLAGE),
    ("  安源区五陂镇  五陂村 ", WUBEI_VILLAGE),
    ("３６０３０２", "360302000000"),
])
def test_names_resolve_with_or_without_suffixes_and_spaces(gaz, query, code):
    assert gaz.find(query).code == code


def test_chain_resolves_to_its_deepest_place_in_any_order(gaz):
    assert gaz.find("萍乡市安源区").code == "360302000000"
    assert gaz.find("五陂村，安源区，江西省").code == WUBEI_VILLAGE


def test_bare_stem_prefers_the_deeper_place_and_a_suffix_selects_the_level(gaz):
    assert gaz.find("五陂").level == "village"
    assert gaz.find("五陂乡").code == "360302102000"  # 乡 implies a township: 五陂镇


def test_same_named_counties_are_told_apart_by_the_ancestors_in_the_query(gaz):
    assert gaz.find("湖南省永州市东安").code == "431122000000"
    assert gaz.find("黑龙江牡丹江东安").code == "231002000000"
    assert [p.code for p in gaz.search("东安")] == ["431122000000", "231002000000"]


def test_village_query_with_ancestors_picks_the_right_village(tmp_path):
    path = _write(tmp_path, "regions.csv", [
        ("360000000000", "江西省", "province", "", 28.63, 115.81, 1),
        ("360300000000", "萍乡市", "city", "360000000000", 27.65, 113.88, 1),
        ("360302000000", "安源区", "county", "360300000000", 27.61, 113.87, 1),
        ("360302101000", "高坑镇", "township", "360302000000", 27.64, 114.00, 1),
        ("360302102000", "五陂镇", "township", "360302000000", 27.59, 113.90, 1),
        ("360302101201", "新村村", "village", "360302101000", 27.65, 114.01, 0),
        ("360302102201", "新村村", "village", "360302102000", 27.58, 113.91, 0),
    ])
    gaz = Gazetteer([path])
    assert gaz.find("高坑镇新村村").code == "360302101201"
    assert gaz.find("安源区五陂新村").code == "360302102201"
    assert gaz.find("新村村").code == "360302101201"  # no hint: the first in the file
    assert len(gaz.search("新村")) == 2


def test_search_leaves_out_the_ancestors_named_as_context(gaz):
    codes = [p.code for p in gaz.search("江西省萍乡市安源区五陂镇五陂村")]
    assert codes == [WUBEI_VILLAGE]


def test_unknown_names_and_codes_find_nothing(gaz):
    assert gaz.search("不存在的地方") == []
    assert gaz.find("999999999999") is None
    assert gaz.find("") is None


def test_nearest_returns_the_closest_places_first(gaz):
    village = gaz.get(WUBEI_VILLAGE)
    nearest = gaz.nearest(village.lat + 0.001, village.lon, limit=3)
    assert nearest[0] == village
    assert [p.code for p in nearest[1:]] == ["360302102000", "360302102201"]


def test_geo_package_never_imports_flask():
    sources = (REPO / "matchmaker" / "geo").glob("*.py")
    assert not [p.name for p in sources if re.search(r"^\s*(from|import)\s+flask", p.read_text(),
                                                      re.MULTILINE | re.IGNORECASE)]
