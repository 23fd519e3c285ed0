"""The world map's geometry: the shipped outlines, the projection, hit-testing
and keyboard navigation."""

from __future__ import annotations

import math

import pytest

from flaggui.core.countries import FLAG_CODES
from flaggui.core.worldmap import Direction, equal_earth, load_world

# Well inside each country (longitude, latitude).
INSIDE = {
    "FR": (2.35, 46.5),  # central France
    "BR": (-47.9, -15.8),  # Brasília
    "AU": (133.9, -23.7),  # Alice Springs
    "CN": (104.0, 35.0),
    "US": (-98.0, 39.0),
    "DE": (10.0, 51.0),
    "RU": (100.0, 60.0),
    "ZA": (25.0, -29.0),
}


def test_every_flag_of_the_set_has_an_outline_or_a_marker() -> None:
    world = load_world()
    missing = [code for code in FLAG_CODES if code not in world.places]
    assert missing == []
    markers = {code for code, place in world.places.items() if place.marker is not None}
    assert {"VA", "MC", "SG", "MV", "TV", "NR"} <= markers
    for code, place in world.places.items():
        assert (place.marker is None) == bool(place.parts), code


def test_countries_are_where_they_belong() -> None:
    world = load_world()
    for code, (longitude, latitude) in INSIDE.items():
        assert world.place_at(equal_earth(longitude, latitude)) == code
    assert world.place_at(equal_earth(-30.0, 30.0)) is None  # the Atlantic
    assert world.place_at(equal_earth(-150.0, 0.0)) is None  # the Pacific


def test_lesotho_is_a_hole_in_south_africa() -> None:
    world = load_world()
    maseru = equal_earth(28.2, -29.5)
    assert world.place_at(maseru) == "LS"
    assert not any(part.contains(maseru) for part in world.places["ZA"].parts)


def test_markers_are_hit_within_their_radius_and_lie_over_outlines() -> None:
    world = load_world()
    vatican = world.places["VA"].marker
    assert vatican is not None
    assert world.place_at(vatican, marker_radius=0.01) == "VA"
    assert world.place_at((vatican[0] + 0.02, vatican[1]), marker_radius=0.01) == "IT"
    # Monaco's marker sits on the French coast; the nearer marker wins.
    monaco = world.places["MC"].marker
    assert monaco is not None
    assert world.place_at(monaco, marker_radius=0.05) == "MC"


def test_equal_earth_projection() -> None:
    assert equal_earth(0.0, 0.0) == (0.0, 0.0)
    # The published extent of Equal Earth on the unit sphere.
    x, _ = equal_earth(180.0, 0.0)
    _, y = equal_earth(0.0, 90.0)
    assert x == pytest.approx(2.7066, abs=1e-3)
    assert y == pytest.approx(-1.3173, abs=1e-3)  # north is up: y grows southwards
    # Symmetric, and east is right.
    assert equal_earth(-30.0, -40.0) == pytest.approx(tuple(-v for v in equal_earth(30.0, 40.0)))
    assert equal_earth(10.0, 0.0)[0] > 0

    # Equal area: a 1-degree cell has the same area at the equator and at 60 degrees.
    def cell(latitude: float) -> float:
        (x0, y0), (x1, y1) = equal_earth(0.0, latitude), equal_earth(1.0, latitude + 1.0)
        return abs(x1 - x0) * abs(y1 - y0)

    expected = math.cos(math.radians(60.5)) / math.cos(math.radians(0.5))
    assert cell(60.0) / cell(0.0) == pytest.approx(expected, rel=0.02)


def test_the_world_fits_the_projection() -> None:
    bounds = load_world().bounds
    assert -2.73 < bounds.left < -2.6
    assert 2.6 < bounds.right < 2.73
    assert -1.32 < bounds.top < -1.1  # the Arctic islands
    assert 0.0 < bounds.bottom < 1.2  # no Antarctica


def test_nearest_in_a_direction() -> None:
    world = load_world()
    assert world.nearest("FR", Direction.LEFT) in {"ES", "GB", "IE", "PT"}
    assert world.nearest("FR", Direction.RIGHT) in {"DE", "CH", "IT", "LI", "AT", "MC"}
    assert world.nearest("FR", Direction.UP) in {"BE", "GB", "LU", "NL", "DE"}
    assert world.nearest("FR", Direction.DOWN) in {"ES", "AD", "DZ", "MC", "IT"}
    assert world.nearest("DE", Direction.UP) in {"DK", "NO", "SE"}
    assert world.nearest("BR", Direction.UP) in {"VE", "GY", "SR", "CO"}
    # Nothing lies east of the easternmost place, or anywhere from nowhere.
    east = max(world.places.values(), key=lambda place: place.anchor[0])
    assert world.nearest(east.code, Direction.RIGHT) is None
    assert world.nearest("ZZ", Direction.RIGHT) is None
