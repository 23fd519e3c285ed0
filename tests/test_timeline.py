"""The timeline built from a real engine run against a real server."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

from flaggui.core.adaptive import LimitChange, ServerSign
from flaggui.core.engine import DownloadEngine
from flaggui.core.events import FlagEvent, FlagResult, FlagState, Phase
from flaggui.core.timeline import Segment, Timeline
from tests import faults
from tests.scripted_server import ScriptedServer
from tests.test_engine import quick


async def test_tracks_phases_retries_and_in_flight(dest: Path) -> None:
    server = ScriptedServer(delay=0.1)
    await server.start()
    faults.route_healthy(server, ["cn", "br", "jp"])
    server.route("fr", faults.first_then(1, faults.status(503), faults.healthy("fr")))
    timeline = Timeline(limit=2)
    try:
        engine = DownloadEngine(dest, quick(server, concurrency=2, timeout=5), timeline.add)
        await engine.run(["CN", "BR", "JP", "FR", "DE"])
    finally:
        await server.close()

    tracks = {track.code: track for track in timeline.tracks}
    assert [t.code for t in timeline.tracks] == ["CN", "BR", "JP", "FR", "DE"]
    cn = tracks["CN"]
    assert [s.segment for s in cn.spans] == [
        Segment.WAITING,
        Segment.CONNECTING,
        Segment.RECEIVING,
        Segment.SAVING,
    ]
    assert cn.state is FlagState.DONE
    assert all(a.end <= b.start + 1e-9 for a, b in itertools.pairwise(cn.spans))
    # JP waited for one of the two slots.
    assert tracks["JP"].spans[0].end - tracks["JP"].spans[0].start >= 0.09

    fr = tracks["FR"]
    segments = [(s.segment, s.attempt, s.failed) for s in fr.spans]
    assert (Segment.RECEIVING, 1, True) in segments  # the 503 attempt
    assert (Segment.WAITING, 1, False) in segments  # backing off
    assert (Segment.SAVING, 2, False) in segments
    assert fr.state is FlagState.DONE

    de = tracks["DE"]
    assert de.state is FlagState.NOT_FOUND
    assert de.spans[-1].failed

    assert timeline.peak_in_flight() == 2
    assert timeline.in_flight()[-1][1] == 0
    assert timeline.duration > 0.2


def test_exports_csv_and_json() -> None:
    timeline = Timeline(limit=5)
    for phase, at in [
        (Phase.QUEUED, 0.0),
        (Phase.STARTED, 0.1),
        (Phase.FIRST_BYTE, 0.3),
        (Phase.RECEIVED, 0.4),
        (Phase.SAVED, 0.45),
    ]:
        timeline.add(FlagEvent("CN", phase, at, 1))
    timeline.add(FlagEvent("CN", Phase.FINISHED, 0.45, 1, "", FlagResult("CN", FlagState.DONE)))
    timeline.add(FlagEvent("BR", Phase.QUEUED, 0.0))
    timeline.add(FlagEvent("BR", Phase.STARTED, 0.2, 1))

    rows = list(csv.DictReader(io.StringIO(timeline.to_csv())))
    assert [(r["code"], r["segment"]) for r in rows] == [
        ("CN", "waiting"),
        ("CN", "connecting"),
        ("CN", "receiving"),
        ("CN", "saving"),
        ("BR", "waiting"),
        ("BR", "connecting"),
    ]
    assert rows[1]["start_s"] == "0.1"
    assert rows[3]["final_state"] == "done"
    data = json.loads(timeline.to_json())
    assert data["limit"] == 5
    assert data["peak_in_flight"] == 2
    assert data["in_flight"][0] == [0.1, 1]
    assert len(data["spans"]) == 6


def test_the_adaptive_limit_is_a_step_line_summed_over_hosts_under_the_ceiling() -> None:
    timeline = Timeline(limit=10)
    assert timeline.adaptive_limit() == []
    timeline.add_limit(LimitChange("http://a:80", 0.1, 4, 5, 4, None))
    timeline.add_limit(LimitChange("http://a:80", 0.2, 5, 8, 8, None))
    timeline.add_limit(LimitChange("http://b:80", 0.2, 4, 5, 4, None))  # same moment
    timeline.add_limit(LimitChange("http://a:80", 0.3, 8, 4, 8, ServerSign.THROTTLED))
    assert timeline.adaptive_limit() == [(0.0, 4), (0.1, 5), (0.2, 10), (0.3, 9)]
    assert json.loads(timeline.to_json())["adaptive_limit"][-1] == [0.3, 9]


def test_a_retry_pause_is_its_own_segment_and_attempts_count_from_one() -> None:
    timeline = Timeline(limit=2)
    for event in [
        FlagEvent("CN", Phase.QUEUED, 0.0),
        FlagEvent("CN", Phase.STARTED, 0.1, 1),
        FlagEvent("CN", Phase.FIRST_BYTE, 0.2, 1, "HTTP 503"),
        FlagEvent("CN", Phase.RETRY, 0.2, 1, "HTTP 503; retry in 0.5s"),
        FlagEvent("CN", Phase.QUEUED, 0.7, 1),
        FlagEvent("CN", Phase.STARTED, 0.8, 2),
    ]:
        timeline.add(event)
    spans = timeline.tracks[0].current(1.0)
    assert [(s.segment, s.attempt, s.start, s.end) for s in spans] == [
        (Segment.WAITING, 1, 0.0, 0.1),
        (Segment.CONNECTING, 1, 0.1, 0.2),
        (Segment.RECEIVING, 1, 0.2, 0.2),
        (Segment.BACKOFF, 2, 0.2, 0.7),
        (Segment.WAITING, 2, 0.7, 0.8),
        (Segment.CONNECTING, 2, 0.8, 1.0),
    ]
    assert spans[2].failed
    assert not timeline.finished
