"""Coordinates for regions: the offline gazetteer first, then the configured geopy geocoder."""
from __future__ import annotations

import logging

from flask import current_app

from matchmaker.extensions import db
from matchmaker.geo import make_geocoder, name_stem, normalise_name
from matchmaker.models import Region

log = logging.getLogger("matchmaker.geocoding")


def full_name(region: Region) -> str:
    """The names from the province down, as a postal address reads: 江西省萍乡市安源区…"""
    return "".join(place.name for place in region.lineage)


def _names(region: Region, address: str) -> bool:
    """The answer is this place, not one of its ancestors that the query also named."""
    return name_stem(normalise_name(region.name)) in normalise_name(address or "")


def geocode_region(region_id: int) -> str:
    """Fill in lat/lon; 'found', 'approximate' (the nearest ancestor's) or 'missing'."""
    region = db.session.get(Region, region_id)
    if region is None or region.lat is not None:
        return "found" if region is not None else "missing"
    location = make_geocoder(current_app.config["GEOCODER"]).geocode(full_name(region))
    if location is not None and _names(region, location.address):
        region.lat, region.lon = location.latitude, location.longitude
        return "found"
    ancestor = next((place for place in reversed(region.lineage[:-1]) if place.lat is not None),
                    None)
    if ancestor is None:
        log.warning("no coordinates for region %s", region.code)
        return "missing"
    region.lat, region.lon = ancestor.lat, ancestor.lon
    return "approximate"
