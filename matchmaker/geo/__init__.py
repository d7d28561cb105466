"""Places and distances without Flask: gazetteer, offline geocoder, distance functions."""

from matchmaker.geo.distance import EARTH_RADIUS_KM, geodesic_km, haversine_km, to_unit_vector
from matchmaker.geo.gazetteer import (
    LEVELS,
    Gazetteer,
    Place,
    default_gazetteer,
    name_stem,
    normalise_name,
)
from matchmaker.geo.geocoder import ChainedGeocoder, OfflineGeocoder, make_geocoder

__all__ = [
    "EARTH_RADIUS_KM",
    "LEVELS",
    "ChainedGeocoder",
    "Gazetteer",
    "OfflineGeocoder",
    "Place",
    "default_gazetteer",
    "geodesic_km",
    "haversine_km",
    "make_geocoder",
    "name_stem",
    "normalise_name",
    "to_unit_vector",
]
