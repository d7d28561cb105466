"""Distances on the Earth: geodesic for what users see, haversine and unit vectors for speed."""

import math
from typing import Protocol, TypeAlias

from geopy.distance import geodesic
from geopy.point import Point

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), the sphere the fast functions assume


class HasLatLon(Protocol):
    """Anything with lat and lon attributes, such as a gazetteer Place."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


PointLike: TypeAlias = tuple[float, float] | Point | HasLatLon


def _as_point(p: PointLike) -> tuple[float, float] | Point:
    return (p.lat, p.lon) if hasattr(p, "lat") else p


def geodesic_km(a: PointLike, b: PointLike) -> float:
    """Distance in km on the WGS-84 ellipsoid between two (lat, lon) points or places."""
    return geodesic(_as_point(a), _as_point(b)).km


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere; within 0.5% of the geodesic."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def to_unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point on the unit sphere, so that straight-line (chord) distances order like
    great-circle ones, e.g. in a k-d tree."""
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)
