"""Offline gazetteer of Chinese administrative regions, looked up by code or searched by name."""

import csv
import heapq
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matchmaker.geo.distance import haversine_km

SEEDS_DIR = Path(__file__).parents[2] / "seeds"
DEFAULT_SOURCES = (SEEDS_DIR / "regions.csv", SEEDS_DIR / "gazetteer" / "cn_admin.csv")
LEVELS = ("province", "city", "county", "township", "village")

_PROVINCE, _CITY, _COUNTY, _TOWNSHIP, _VILLAGE = (frozenset({lv}) for lv in LEVELS)
# Administrative suffixes and the levels they imply; stripping one gives a name's stem.
SUFFIX_LEVELS: dict[str, frozenset[str]] = {
    "特别行政区": _PROVINCE, "自治区": _PROVINCE, "自治州": _CITY, "自治县": _COUNTY,
    "管理委员会": _TOWNSHIP, "街道办事处": _TOWNSHIP, "管委会": _TOWNSHIP, "街道": _TOWNSHIP,
    "地区": _CITY | _TOWNSHIP, "居委会": _VILLAGE, "村委会": _VILLAGE, "社区": _VILLAGE,
    "省": _PROVINCE, "市": _PROVINCE | _CITY | _COUNTY, "盟": _CITY, "区": _COUNTY,
    "县": _COUNTY, "旗": _COUNTY, "镇": _TOWNSHIP, "乡": _TOWNSHIP, "村": _VILLAGE,
}
_SUFFIXES = sorted(SUFFIX_LEVELS, key=len, reverse=True)
# Traditional characters common in place names (e.g. 樂山市犍為縣) and their simplified forms.
_TRADITIONAL = str.maketrans(
    "縣區鄉鎮樂為東門陽龍灣廣華興寧蘇滬漢溝嶺崗莊場廠橋關陳劉張楊黃馬雲豐濱澤灘潛遠遼寶貴"
    "鄭齊魯晉閩贛臺開發壩礦鐵堯碼頭壽農鳳鄧蓮樹橫鶴營陰隴萬慶義歷會蘭瀏瀘協員號紅嶽連勝達進"
    "湯潯漳嘉衛濟圍堡峽煙禮園環線觀務總",
    "县区乡镇乐为东门阳龙湾广华兴宁苏沪汉沟岭岗庄场厂桥关陈刘张杨黄马云丰滨泽滩潜远辽宝贵"
    "郑齐鲁晋闽赣台开发坝矿铁尧码头寿农凤邓莲树横鹤营阴陇万庆义历会兰浏泸协员号红岳连胜达进"
    "汤浔漳嘉卫济围堡峡烟礼园环线观务总",
)
_SEPARATORS = frozenset(",，、;；/|·-—()（）")
_CPCA_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative region; parent_code is None for provinces."""

    code: str
    name: str
    level: str
    parent_code: str | None
    lat: float
    lon: float

    @property
    def depth(self) -> int:
        return LEVELS.index(self.level)


@dataclass(frozen=True, slots=True)
class _Segment:
    """A piece of a query: the places it may name, and the levels its suffix implies."""

    candidates: tuple[tuple[str, bool], ...]  # (code, whole name matched rather than stem)
    implied: frozenset[str] | None


def normalise_name(s: str) -> str:
    """NFKC-fold, simplify traditional place-name characters, drop spaces and separators."""
    text = unicodedata.normalize("NFKC", s).translate(_TRADITIONAL)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _SEPARATORS)


def name_stem(name: str) -> str:
    """The name without its administrative suffix (五陂镇 -> 五陂), if two characters remain."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _leading_suffix(text: str) -> str | None:
    return next((s for s in _SUFFIXES if text.startswith(s)), None)


def read_places(path: Path) -> Iterator[Place]:
    """Places from a regions CSV (our seed format) or a cpca adcodes CSV."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and "adcode" in rows[0]:
        yield from _cpca_places(rows)
        return
    for row in rows:
        yield Place(row["code"], normalise_name(row["name"]), row["level"],
                    row["parent_code"] or None, float(row["lat"]), float(row["lon"]))


def _cpca_places(rows: list[dict[str, str]]) -> Iterator[Place]:
    usable = {r["adcode"]: r for r in rows
              if r["longitude"] and r["latitude"] and r["name"] not in _CPCA_PLACEHOLDERS}
    for code, row in usable.items():
        level, parents = _cpca_level_and_parents(code)
        parent = next((p for p in parents if p in usable), None)
        yield Place(code, normalise_name(row["name"]), level, parent,
                    float(row["latitude"]), float(row["longitude"]))


def _cpca_level_and_parents(code: str) -> tuple[str, list[str]]:
    province, city = code[:2] + "0" * 10, code[:4] + "0" * 8
    if code == province:
        return "province", []
    if code == city:
        return "city", [province]
    return "county", [city, province]


class Gazetteer:
    """Places loaded from CSV files; a code seen in an earlier file wins over later ones."""

    def __init__(self, paths: Iterable[Path | str] | None = None) -> None:
        self._places: dict[str, Place] = {}
        self._rank: dict[str, int] = {}
        self._index: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        for path in DEFAULT_SOURCES if paths is None else paths:
            for place in read_places(Path(path)):
                self._add(place)
        self._longest_key = max(map(len, self._index), default=0)

    def _add(self, place: Place) -> None:
        if place.code in self._places:
            return
        self._places[place.code] = place
        self._rank[place.code] = len(self._rank)
        self._index[place.name].append((place.code, True))
        stem = name_stem(place.name)
        if stem != place.name:
            self._index[stem].append((place.code, False))

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __contains__(self, code: object) -> bool:
        return code in self._places

    def get(self, code: str) -> Place | None:
        """The place with this 12-digit code (shorter codes are padded with zeros)."""
        return self._places.get(code.strip().ljust(12, "0"))

    def parent(self, place: Place) -> Place | None:
        return self._places.get(place.parent_code) if place.parent_code else None

    def ancestors(self, place: Place) -> list[Place]:
        """Ancestors from the province down, without the place itself."""
        chain: list[Place] = []
        while (place := self.parent(place)) is not None:
            chain.append(place)
        return chain[::-1]

    def address(self, place: Place) -> str:
        """The full name, e.g. 江西省萍乡市安源区五陂镇五陂村."""
        return "".join(p.name for p in [*self.ancestors(place), place])

    def find(self, query: str) -> Place | None:
        """The best match for a name or a chain of names, or None."""
        found = self.search(query, limit=1)
        return found[0] if found else None

    def search(self, query: str, limit: int | None = None) -> list[Place]:
        """Places named by the query, best first.

        The query is split into known names (江西省|萍乡市|安源区|五陂镇|五陂村, suffixes
        optional). A candidate ranks higher the more of the other names are its ancestors,
        then if the query gave its whole name or a suffix fitting its level, then the deeper
        its level, then the earlier its source file. Ancestors of the best match are context,
        not answers, and are left out.
        """
        text = normalise_name(query)
        if text.isdigit():
            place = self.get(text)
            return [place] if place else []
        segments = self._segments(text)
        scored = {code: self._score(code, exact, segment, segments)
                  for segment in segments for code, exact in segment.candidates}
        ranked = sorted(scored, key=scored.__getitem__, reverse=True)
        if ranked:
            context = {p.code for p in self.ancestors(self._places[ranked[0]])}
            ranked = [code for code in ranked if code not in context]
        return [self._places[code] for code in ranked[:limit]]

    def _segments(self, text: str) -> list[_Segment]:
        segments, i = [], 0
        while i < len(text):
            key = self._longest_key_at(text, i)
            if key is None:
                i += 1
                continue
            i += len(key)
            suffix = _leading_suffix(text[i:]) if key == name_stem(key) else None
            i += len(suffix or "")
            implied = SUFFIX_LEVELS.get(suffix) if suffix else None
            segments.append(_Segment(tuple(self._index[key]), implied))
        return segments

    def _longest_key_at(self, text: str, start: int) -> str | None:
        for end in range(min(len(text), start + self._longest_key), start + 1, -1):
            if text[start:end] in self._index:
                return text[start:end]
        return None

    def _score(self, code: str, exact: bool, own: _Segment,
               segments: list[_Segment]) -> tuple[int, bool, int, int]:
        place = self._places[code]
        lineage = {p.code for p in self.ancestors(place)}
        hints = sum(any(c in lineage for c, _ in s.candidates) for s in segments if s is not own)
        fits = exact or (own.implied is not None and place.level in own.implied)
        return hints, fits, place.depth, -self._rank[code]

    def nearest(self, lat: float, lon: float, limit: int = 1) -> list[Place]:
        """The places closest to a point; at equal distance the deeper level first."""
        return heapq.nsmallest(limit, self._places.values(), key=lambda p: (
            haversine_km(lat, lon, p.lat, p.lon), -p.depth, self._rank[p.code]))


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the seed files, loaded once per process."""
    return Gazetteer()
