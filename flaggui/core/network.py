"""The network the built-in flag server plays: how long it waits before each
answer, how often it fails, how fast it sends a body. Named presets give a
feel for real networks, from a flag server on the same machine to a flaky
mobile connection, so that concurrency can be seen without the internet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flaggui.core.i18n import _
from flaggui.core.untrusted import ASCII_SPACE, parse_int, quoted

# Bounds of what a server may be asked to play.
MAX_DELAY = 60.0
MAX_BANDWIDTH = 1_000_000_000  # bytes per second


@dataclass(frozen=True, slots=True)
class NetworkConditions:
    """Each answer waits a time drawn uniformly from ``latency`` (min, max
    seconds); ``error_rate`` of them are HTTP 500; a body is sent at
    ``bandwidth`` bytes per second per connection (0: as fast as it goes)."""

    latency: tuple[float, float] = (0.0, 0.0)
    error_rate: float = 0.0
    bandwidth: int = 0

    def __post_init__(self) -> None:
        low, high = self.latency
        if not 0.0 <= low <= high <= MAX_DELAY:
            raise ValueError(
                _("the latency must be MIN:MAX seconds, 0 <= MIN <= MAX <= {high:g}").format(
                    high=MAX_DELAY
                )
            )
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError(
                _("the error rate must be between 0 and 1, not {rate}").format(rate=self.error_rate)
            )
        if not 0 <= self.bandwidth <= MAX_BANDWIDTH:
            raise ValueError(
                _("the bandwidth must be from 0 to {high} bytes per second").format(
                    high=MAX_BANDWIDTH
                )
            )

    def describe(self) -> str:
        """One short line: ``20-80 ms, 2 MB/s``."""
        parts = []
        low, high = (round(bound * 1000) for bound in self.latency)
        if high:
            span = f"{low}-{high}" if low != high else f"{high}"
            parts.append(_("{span} ms").format(span=span))
        if self.bandwidth:
            parts.append(_("{rate}/s").format(rate=_bytes(self.bandwidth)))
        if self.error_rate:
            parts.append(_("{percent:g}% errors").format(percent=round(self.error_rate * 100, 1)))
        return ", ".join(parts) or _("no delay, full speed")


def _bytes(count: int) -> str:
    """``2000000`` -> ``2 MB``, ``50000`` -> ``50 KB`` (powers of 1000, as
    network speeds are counted)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} B"


class NetworkPreset(enum.Enum):
    """Named conditions (the value is the name the command line takes)."""

    INSTANT = "instant"
    WIFI = "wifi"
    MOBILE = "mobile"
    FLAKY = "flaky"

    @property
    def conditions(self) -> NetworkConditions:
        return _CONDITIONS[self]


_CONDITIONS = {
    NetworkPreset.INSTANT: NetworkConditions(),
    NetworkPreset.WIFI: NetworkConditions((0.02, 0.08), 0.0, 2_000_000),
    NetworkPreset.MOBILE: NetworkConditions((0.15, 0.6), 0.0, 50_000),
    NetworkPreset.FLAKY: NetworkConditions((0.05, 0.4), 0.15),
}


def parse_preset(text: str) -> NetworkPreset:
    """A preset by its name (ASCII, any case); ValueError naming the choices."""
    name = text.strip(ASCII_SPACE).lower() if text.isascii() else None
    for preset in NetworkPreset:
        if preset.value == name:
            return preset
    raise ValueError(
        _("unknown network {name} (choose from {choices})").format(
            name=quoted(text), choices=", ".join(preset.value for preset in NetworkPreset)
        )
    )


def parse_bandwidth(text: str) -> int:
    """Bytes per second, a whole number from 0 (no limit) to MAX_BANDWIDTH."""
    return parse_int(text, 0, MAX_BANDWIDTH, _("the bandwidth"))
