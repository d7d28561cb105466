"""Geocoders: an offline geopy geocoder over the gazetteer, optionally chained to a web service."""

from dataclasses import asdict
from typing import Any

from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from matchmaker.geo.gazetteer import Gazetteer, Place, default_gazetteer

REVERSE_CANDIDATES = 5  # how many nearest places reverse() returns when exactly_one=False

Answer = Location | list[Location] | None


class OfflineGeocoder(Geocoder):
    """A geopy geocoder that answers from the gazetteer and never opens a connection.

    Location.raw is the place's fields (code, name, level, parent_code, lat, lon) and
    Location.address its full name, e.g. 江西省萍乡市安源区五陂镇五陂村.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gazetteer = default_gazetteer() if gazetteer is None else gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True,
                timeout: float | None = None) -> Answer:
        """The place(s) a name or chain of names denotes; timeout is accepted and unused."""
        places = self.gazetteer.search(str(query), limit=1 if exactly_one else None)
        return self._answer(places, exactly_one)

    def reverse(self, query: Point | tuple[float, float] | str, *, exactly_one: bool = True,
                timeout: float | None = None) -> Answer:
        """The place nearest to a point given as Point, (lat, lon) or "lat, lon"."""
        point = Point(query)
        limit = 1 if exactly_one else REVERSE_CANDIDATES
        return self._answer(self.gazetteer.nearest(point.latitude, point.longitude, limit),
                            exactly_one)

    def _answer(self, places: list[Place], exactly_one: bool) -> Answer:
        if not places:
            return None
        locations = [self._location(place) for place in places]
        return locations[0] if exactly_one else locations

    def _location(self, place: Place) -> Location:
        return Location(self.gazetteer.address(place), (place.lat, place.lon), asdict(place))


class ChainedGeocoder:
    """Asks `first`; only when it finds nothing asks `fallback` (any geopy geocoder)."""

    def __init__(self, first: Geocoder, fallback: Geocoder) -> None:
        self.first = first
        self.fallback = fallback

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: float | None = None,
                **kwargs: Any) -> Answer:
        """Extra keyword arguments go to the fallback only."""
        found = self.first.geocode(query, exactly_one=exactly_one)
        if found is not None:
            return found
        return self.fallback.geocode(query, exactly_one=exactly_one,
                                     **_with_timeout(timeout, kwargs))

    def reverse(self, query: Point | tuple[float, float] | str, *, exactly_one: bool = True,
                timeout: float | None = None, **kwargs: Any) -> Answer:
        found = self.first.reverse(query, exactly_one=exactly_one)
        if found is not None:
            return found
        return self.fallback.reverse(query, exactly_one=exactly_one,
                                     **_with_timeout(timeout, kwargs))


def _with_timeout(timeout: float | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    # None would mean "no timeout" to geopy; leave it out so the service's default applies.
    return kwargs if timeout is None else {**kwargs, "timeout": timeout}


def make_geocoder(name: str = "offline", gazetteer: Gazetteer | None = None,
                  **kwargs: Any) -> OfflineGeocoder | ChainedGeocoder:
    """The offline geocoder, or for a geopy service name ("nominatim", ...) the chain
    offline -> that service, built with kwargs (e.g. user_agent=...).

    kwargs are ignored for "offline", so one configuration can switch between the two.
    Raises geopy.exc.GeocoderNotFound for an unknown service name.
    """
    offline = OfflineGeocoder(gazetteer)
    if name.strip().lower() == "offline":
        return offline
    service = get_geocoder_for_service(name.strip())
    return ChainedGeocoder(offline, service(**kwargs))
