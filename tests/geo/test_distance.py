"""Distance functions: geodesic for display, haversine and unit vectors for speed."""

import math

import pytest

from matchmaker.geo import EARTH_RADIUS_KM, Place, geodesic_km, haversine_km, to_unit_vector

ANYUAN = (27.61511, 113.870704)  # 安源区 seat (cpca)
NANCHANG = (28.682892, 115.858198)  # 南昌市 (cpca)
QIANWEI = (29.20817, 103.949326)  # 犍为县 (cpca)


def test_haversine_one_degree_of_longitude_on_the_equator_is_111_195_km():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)


def test_haversine_is_zero_for_the_same_point_and_symmetric():
    assert haversine_km(*ANYUAN, *ANYUAN) == 0
    assert haversine_km(*ANYUAN, *NANCHANG) == haversine_km(*NANCHANG, *ANYUAN)


def test_haversine_of_antipodes_is_half_the_circumference():
    assert haversine_km(10, 20, -10, -160) == pytest.approx(math.pi * EARTH_RADIUS_KM)


@pytest.mark.parametrize("a, b", [(ANYUAN, NANCHANG), (ANYUAN, QIANWEI)])
def test_haversine_stays_within_half_a_percent_of_the_geodesic(a, b):
    exact = geodesic_km(a, b)
    assert haversine_km(*a, *b) == pytest.approx(exact, rel=0.005)


def test_geodesic_one_degree_on_the_equator_follows_the_wgs84_ellipsoid():
    assert geodesic_km((0, 0), (0, 1)) == pytest.approx(111.3195, abs=0.001)


def test_geodesic_between_anyuan_and_nanchang_is_about_228_km():
    assert geodesic_km(ANYUAN, NANCHANG) == pytest.approx(228.3, abs=0.5)


def test_geodesic_accepts_places():
    a = Place("360302000000", "安源区", "county", "360300000000", *ANYUAN)
    b = Place("360100000000", "南昌市", "city", "360000000000", *NANCHANG)
    assert geodesic_km(a, b) == geodesic_km(ANYUAN, NANCHANG)


@pytest.mark.parametrize("lat, lon, expected", [
    (0, 0, (1, 0, 0)),
    (0, 90, (0, 1, 0)),
    (0, 180, (-1, 0, 0)),
    (90, 45, (0, 0, 1)),
    (-90, 0, (0, 0, -1)),
])
def test_unit_vector_of_reference_points(lat, lon, expected):
    assert to_unit_vector(lat, lon) == pytest.approx(expected, abs=1e-12)


def test_unit_vector_chord_matches_the_great_circle_distance():
    u, v = to_unit_vector(*ANYUAN), to_unit_vector(*QIANWEI)
    assert math.dist(u, u) == 0
    assert sum(c * c for c in u) == pytest.approx(1)
    arc_km = 2 * EARTH_RADIUS_KM * math.asin(math.dist(u, v) / 2)
    assert arc_km == pytest.approx(haversine_km(*ANYUAN, *QIANWEI), rel=1e-9)
