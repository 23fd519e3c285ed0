"""The world map's geometry: country outlines and markers, projected, with
hit-testing and the nearest country in a direction.

The outlines come from ``flaggui.resources/world.json`` (see
``packaging/import_world.py``): polygons in longitude and latitude, keyed by
ISO 3166 alpha-2 code, and markers for the countries too small to have an
outline at that scale. They are projected with the Equal Earth projection
into *map units*: the Earth's radius is 1, x grows eastwards and y grows
southwards, as on a screen.
"""

from __future__ import annotations

import enum
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

Point = tuple[float, float]
Ring = tuple[Point, ...]

# Equal Earth (Šavrič, Patterson and Jenny, 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(longitude: float, latitude: float) -> Point:
    """Map units of a place given in degrees (y grows southwards)."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, -y


@dataclass(frozen=True, slots=True)
class Bounds:
    """An axis-aligned rectangle in map units."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> Point:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def contains(self, point: Point) -> bool:
        x, y = point
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def union(self, other: Bounds) -> Bounds:
        return Bounds(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    @staticmethod
    def around(points: tuple[Point, ...] | list[Point]) -> Bounds:
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return Bounds(min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True, slots=True)
class Part:
    """One polygon of a country (an island, a mainland): its outer ring
    first, then its holes."""

    rings: tuple[Ring, ...]
    bounds: Bounds

    def contains(self, point: Point) -> bool:
        """Whether *point* is inside (even-odd over all rings, so holes are out)."""
        if not self.bounds.contains(point):
            return False
        x, y = point
        inside = False
        for ring in self.rings:
            x0, y0 = ring[-1]
            for x1, y1 in ring:
                if (y1 > y) != (y0 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    inside = not inside
                x0, y0 = x1, y1
        return inside

    def area(self) -> float:
        return abs(_signed_area(self.rings[0]))


@dataclass(frozen=True, slots=True)
class Place:
    """Where a country is on the map: its polygons, or a marker point for a
    country too small to have an outline; ``anchor`` is the point keyboard
    navigation measures from (the centre of its largest polygon)."""

    code: str
    parts: tuple[Part, ...]
    marker: Point | None
    bounds: Bounds
    anchor: Point


class Direction(enum.Enum):
    """Arrow-key directions, as unit steps in map units."""

    LEFT = (-1.0, 0.0)
    RIGHT = (1.0, 0.0)
    UP = (0.0, -1.0)
    DOWN = (0.0, 1.0)


class WorldMap:
    """Every place of the map, keyed by country code."""

    def __init__(self, places: dict[str, Place]) -> None:
        self.places = places
        bounds = [place.bounds for place in places.values()]
        total = bounds[0]
        for other in bounds[1:]:
            total = total.union(other)
        self.bounds = total

    def place_at(self, point: Point, marker_radius: float = 0.0) -> str | None:
        """The code of the place at *point*: the nearest marker within
        *marker_radius* (markers lie on top of the outlines), else the
        country whose outline contains the point, else None (the sea)."""
        px, py = point
        best: tuple[float, str] | None = None
        for place in self.places.values():
            if place.marker is not None:
                distance = math.hypot(place.marker[0] - px, place.marker[1] - py)
                if distance <= marker_radius and (best is None or distance < best[0]):
                    best = (distance, place.code)
        if best is not None:
            return best[1]
        for place in self.places.values():
            if place.bounds.contains(point) and any(part.contains(point) for part in place.parts):
                return place.code
        return None

    def nearest(self, code: str, direction: Direction) -> str | None:
        """The place nearest to *code* in *direction*: its anchor must lie
        within about 60 degrees of that direction; a place straight ahead is
        preferred to a nearer one off to the side."""
        start = self.places.get(code)
        if start is None:
            return None
        dx, dy = direction.value
        best: tuple[float, str] | None = None
        for place in self.places.values():
            if place.code == code:
                continue
            vx, vy = place.anchor[0] - start.anchor[0], place.anchor[1] - start.anchor[1]
            along = vx * dx + vy * dy
            across = abs(vx * dy - vy * dx)
            if along <= 0 or across > 2 * along:
                continue
            score = along + 2 * across
            if best is None or score < best[0]:
                best = (score, place.code)
        return None if best is None else best[1]


def _signed_area(ring: Ring) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _centroid(ring: Ring) -> Point:
    area = _signed_area(ring)
    if abs(area) < 1e-12:
        return Bounds.around(ring).center
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)


def parse_world(text: str) -> WorldMap:
    """The map described by the text of a ``world.json``."""
    data = json.loads(text)
    sx, sy = data["scale"]
    tx, ty = data["translate"]

    def ring_of(flat: list[int]) -> Ring:
        x, y = 0, 0
        points = []
        for i in range(0, len(flat), 2):
            x, y = x + flat[i], y + flat[i + 1]
            points.append(equal_earth(x * sx + tx, y * sy + ty))
        return tuple(points)

    places: dict[str, Place] = {}
    for code, polygons in data["countries"].items():
        parts = []
        for polygon in polygons:
            rings = tuple(ring_of(flat) for flat in polygon)
            parts.append(Part(rings, Bounds.around(rings[0])))
        bounds = parts[0].bounds
        for part in parts[1:]:
            bounds = bounds.union(part.bounds)
        largest = max(parts, key=Part.area)
        places[code] = Place(code, tuple(parts), None, bounds, _centroid(largest.rings[0]))
    for code, (longitude, latitude) in data["markers"].items():
        point = equal_earth(longitude, latitude)
        places[code] = Place(code, (), point, Bounds(*point, *point), point)
    return WorldMap(places)


@cache
def load_world() -> WorldMap:
    """The map shipped with flaggui (read and projected once)."""
    text = resources.files("flaggui.resources").joinpath("world.json").read_text("utf-8")
    return parse_world(text)
