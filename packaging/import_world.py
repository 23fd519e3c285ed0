"""Make resources/world.json, the outlines of the world map, from world-atlas.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python packaging/import_world.py package/countries-110m.json

world-atlas (ISC licence, Mike Bostock) packages Natural Earth's 1:110m
admin-0 countries (public domain) as TopoJSON: shared arcs, delta-encoded on
a quantized grid. This script decodes the arcs into one list of polygons per
country, keyed by ISO 3166-1 alpha-2 (the TopoJSON ids are ISO numeric codes),
and keeps them as longitude/latitude on the same quantized grid: the map
projects them when it loads. Each ring is stored as its first point and then
the step to each next point, which keeps the file small.

Three shapes have no ISO numeric id: Kosovo becomes XK (the code the EU and
most flag sets use), Northern Cyprus and Somaliland are drawn as parts of
Cyprus and Somalia, as ISO 3166 counts them. Antarctica is left out.

Flags of the standard set that have no outline at this scale (microstates and
small island states) get a marker at their capital, so every flag has a place.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from flaggui.core.countries import FLAG_CODES  # noqa: E402

OUTPUT = ROOT / "resources" / "world.json"

# Shapes without an ISO numeric id, by their Natural Earth name.
UNNUMBERED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
LEFT_OUT = {"AQ"}  # Antarctica: a band across the bottom of the map, no flag in the set

# Capitals (longitude, latitude) of the flag codes too small for 1:110m.
CAPITALS = {
    "AD": (1.52, 42.51),  # Andorra la Vella
    "AG": (-61.85, 17.12),  # St. John's
    "BB": (-59.62, 13.10),  # Bridgetown
    "BH": (50.58, 26.23),  # Manama
    "CV": (-23.51, 14.93),  # Praia
    "DM": (-61.39, 15.30),  # Roseau
    "FM": (158.16, 6.92),  # Palikir
    "GD": (-61.75, 12.06),  # St. George's
    "KI": (172.98, 1.33),  # South Tarawa
    "KM": (43.26, -11.70),  # Moroni
    "KN": (-62.72, 17.30),  # Basseterre
    "LC": (-60.99, 14.01),  # Castries
    "LI": (9.52, 47.14),  # Vaduz
    "MC": (7.42, 43.74),  # Monaco
    "MH": (171.38, 7.09),  # Majuro
    "MT": (14.51, 35.90),  # Valletta
    "MU": (57.50, -20.16),  # Port Louis
    "MV": (73.51, 4.18),  # Malé
    "NR": (166.92, -0.55),  # Yaren
    "PW": (134.62, 7.50),  # Ngerulmud
    "SC": (55.45, -4.62),  # Victoria
    "SG": (103.82, 1.35),  # Singapore
    "SM": (12.45, 43.94),  # San Marino
    "ST": (6.73, 0.34),  # São Tomé
    "TO": (-175.20, -21.14),  # Nuku'alofa
    "TV": (179.19, -8.52),  # Funafuti
    "VA": (12.45, 41.90),  # Vatican City
    "VC": (-61.23, 13.16),  # Kingstown
    "WS": (-171.77, -13.83),  # Apia
}

Ring = list[tuple[int, int]]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc as absolute points on the quantized grid."""
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def ring_of(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join a ring's arcs (``~i`` is arc i backwards); each arc starts where
    the previous one ended, so that point is kept once."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def unwrap(ring: Ring, width: int) -> Ring:
    """The ring with no step longer than half the world: a ring that crosses
    the antimeridian continues past it instead of jumping to the other side."""
    shift = 0
    points = [ring[0]]
    for (x0, _), (x1, y1) in pairwise(ring):
        if x1 - x0 > width // 2:
            shift -= width
        elif x0 - x1 > width // 2:
            shift += width
        points.append((x1 + shift, y1))
    return points


def clip(ring: Ring, edge: int, keep_below: bool) -> Ring:
    """The part of the ring on one side of the meridian x = *edge*
    (Sutherland-Hodgman against one half-plane)."""

    def inside(point: tuple[int, int]) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    def crossing(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
        t = (edge - a[0]) / (b[0] - a[0])
        return edge, round(a[1] + t * (b[1] - a[1]))

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(crossing(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(crossing(previous, current))
    return out


def split_at_antimeridian(ring: Ring, width: int) -> list[Ring]:
    """A ring that crosses the antimeridian as one ring on each side of it."""
    ring = unwrap(ring, width)
    low, high = min(x for x, _ in ring), max(x for x, _ in ring)
    if low >= 0 and high <= width:
        return [ring]
    if high > width:
        east, west = clip(ring, width, True), clip(ring, width, False)
        return [part for part in (east, [(x - width, y) for x, y in west]) if len(part) > 2]
    west, east = clip(ring, 0, False), clip(ring, 0, True)
    return [part for part in (west, [(x + width, y) for x, y in east]) if len(part) > 2]


def code_of(geometry: dict[str, Any]) -> str | None:
    number = geometry.get("id")
    if number is None:
        return UNNUMBERED.get(geometry["properties"]["name"])
    country = pycountry.countries.get(numeric=str(number))
    return None if country is None else str(country.alpha_2)


def encode(ring: Ring) -> list[int]:
    """The first point, then the steps between points."""
    flat = [*ring[0]]
    for (x0, y0), (x1, y1) in pairwise(ring):
        flat += [x1 - x0, y1 - y0]
    return flat


def convert(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    transform = topology["transform"]
    # The quantized width of the world: 360 degrees of longitude.
    width = round(360 / transform["scale"][0])
    countries: dict[str, list[list[list[int]]]] = {}
    geometries = topology["objects"]["countries"]["geometries"]
    for geometry in geometries:
        code = code_of(geometry)
        if code is None:
            raise SystemExit(f"no ISO code for {geometry['properties']['name']}")
        if code in LEFT_OUT:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        for polygon in polygons:
            rings = [ring_of(indices, arcs) for indices in polygon]
            outer = split_at_antimeridian(rings[0], width)
            # At this scale no ring with holes crosses the antimeridian.
            assert len(outer) == 1 or len(rings) == 1, code
            shapes = [[part] for part in outer] if len(outer) > 1 else [rings]
            for shape in shapes:
                countries.setdefault(code, []).append(
                    [encode(ring) for ring in shape if len(ring) > 2]
                )
    missing = [code for code in FLAG_CODES if code not in countries and code not in CAPITALS]
    if missing:
        raise SystemExit(f"no outline and no capital for {' '.join(missing)}")
    return {
        "source": "world-atlas 2.0.2 countries-110m.json (ISC), from Natural Earth 1:110m "
        "admin-0 countries (public domain)",
        "scale": transform["scale"],
        "translate": transform["translate"],
        "countries": dict(sorted(countries.items())),
        "markers": {code: list(CAPITALS[code]) for code in sorted(CAPITALS)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas's countries-110m.json")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    world = convert(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.output.write_text(json.dumps(world, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{args.output}: {len(world['countries'])} outlines, {len(world['markers'])} markers, "
        f"{args.output.stat().st_size // 1024} KiB"
    )


if __name__ == "__main__":
    main()
