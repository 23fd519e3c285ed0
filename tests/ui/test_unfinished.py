"""The flags a batch left unfinished, remembered across a restart: the file
read as untrusted, and the window that shows them again."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from flaggui.core.events import FailureKind
from flaggui.ui.flag_model import TileState
from flaggui.ui.unfinished import (
    MAX_FILE,
    MAX_FLAGS,
    MAX_REASON,
    UnfinishedFlag,
    dump_unfinished,
    load_unfinished,
    memory_file,
    save_unfinished,
)
from tests import faults
from tests.conftest import folder_files
from tests.images import make_gif
from tests.scripted_server import ScriptedServer
from tests.ui.conftest import Loop, WindowFactory
from tests.ui.test_main_window import states

FLAGS = [
    UnfinishedFlag("CN", TileState.NOT_FOUND, "the server has no flag for this code", "http://a"),
    UnfinishedFlag(
        "DE", TileState.ERROR, "HTTP 403 Forbidden", "http://a", FailureKind.HTTP_STATUS, 403
    ),
    UnfinishedFlag("JP", TileState.CANCELLED, "cancelled", "http://a"),
]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "flags"


def document(folder: Path, *entries: object) -> dict[str, object]:
    return {"version": 1, "folder": os.path.abspath(folder), "flags": list(entries)}


def entry(code: object = "CN", **changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "code": code,
        "state": "error",
        "reason": "HTTP 500",
        "server": "http://a",
        "kind": "http status",
        "status": 500,
    }
    fields.update(changes)
    return fields


def write(store: Path, folder: Path, data: bytes | object) -> Path:
    path = memory_file(store, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def ignored(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# The file ---------------------------------------------------------------------


def test_what_is_saved_is_loaded_and_nothing_left_removes_the_file(
    store: Path, folder: Path
) -> None:
    assert load_unfinished(store, folder) == []
    assert save_unfinished(store, folder, FLAGS)
    assert load_unfinished(store, folder) == FLAGS
    # Written whole, by a rename: no temporary file stays beside it.
    assert folder_files(store) == [memory_file(store, folder).name]
    data = memory_file(store, folder).read_bytes()
    assert data.isascii()
    assert json.loads(data)["version"] == 1
    # Another folder has its own file.
    assert load_unfinished(store, folder / "other") == []

    assert save_unfinished(store, folder, [])
    assert folder_files(store) == []
    assert save_unfinished(store, folder, [])  # nothing to remove


def test_the_largest_file_flaggui_writes_is_read(store: Path, folder: Path) -> None:
    """Every code AA..ZZ a batch can try, with the longest texts kept."""
    codes = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    flags = [
        UnfinishedFlag(code, TileState.ERROR, "é" * 5000, "http://" + "s" * 5000) for code in codes
    ]
    assert len(flags) == MAX_FLAGS
    assert len(dump_unfinished(folder, flags)) < MAX_FILE
    save_unfinished(store, folder, flags)
    loaded = load_unfinished(store, folder)
    assert loaded  # the codes ISO knows
    assert {len(flag.reason) for flag in loaded} == {MAX_REASON}


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\xff\xfe\x00garbage\x9c\x00" * 100, "not JSON"),
        (b"", "not JSON"),
        (b"{" * 200_000, "not JSON"),  # nested far deeper than Python recurses
        (b"[" * 200_000 + b"]" * 200_000, "not JSON"),
        (b'{"version": NaN}', "not JSON"),
        (b'{"version": 1, "status": ' + b"9" * 5000 + b"}", "not JSON"),
        (b"[1, 2, 3]", "expected an object"),
        (b'"text"', "expected an object"),
        (b"null", "expected an object"),
        (b"{}", "version None"),
        (b'{"version": "1"}', "version '1'"),
        (b'{"version": true}', "version True"),
        (b'{"version": 2}', "version 2"),
        (b'{"version": 1.0}', "version 1.0"),
    ],
)
def test_a_file_that_is_not_flaggui_s_is_ignored_with_a_warning(
    store: Path,
    folder: Path,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
    why: str,
) -> None:
    write(store, folder, content)
    assert load_unfinished(store, folder) == []
    assert len(ignored(caplog)) == 1
    assert why in ignored(caplog)[0]


@pytest.mark.parametrize(
    ("flags", "why"),
    [
        ({"CN": "error"}, "flags: expected a list, not dict"),
        ("CN", "flags: expected a list, not str"),
        (None, "flags: expected a list, not NoneType"),
        ([entry()] * (MAX_FLAGS + 1), f"more than {MAX_FLAGS}"),
    ],
)
def test_a_flag_list_of_the_wrong_type_or_size_is_ignored(
    store: Path, folder: Path, caplog: pytest.LogCaptureFixture, flags: object, why: str
) -> None:
    write(store, folder, {**document(folder), "flags": flags})
    assert load_unfinished(store, folder) == []
    assert why in ignored(caplog)[0]


def test_a_file_for_another_folder_is_ignored(
    store: Path, folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    save_unfinished(store, tmp_path / "elsewhere", FLAGS)
    # Copied under this folder's name, or naming no folder at all.
    memory_file(store, folder).write_bytes(memory_file(store, tmp_path / "elsewhere").read_bytes())
    assert load_unfinished(store, folder) == []
    assert "another folder" in ignored(caplog)[0]
    write(store, folder, {"version": 1, "flags": []})
    assert load_unfinished(store, folder) == []


def test_a_huge_file_is_not_read(
    store: Path, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(store, folder, b"")
    with path.open("wb") as stream:
        stream.truncate(4 * 1024**3)  # sparse: 4 GiB claimed, nothing on disk
    assert load_unfinished(store, folder) == []
    assert "too large" in ignored(caplog)[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_link_in_its_place_is_not_opened(
    store: Path, folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store.mkdir()
    os.mkfifo(memory_file(store, folder))  # opening it for reading would wait forever
    assert load_unfinished(store, folder) == []
    assert "FIFO" in ignored(caplog)[0]
    os.unlink(memory_file(store, folder))
    save_unfinished(store, tmp_path / "a", FLAGS)
    os.symlink(memory_file(store, tmp_path / "a"), memory_file(store, folder))
    assert load_unfinished(store, folder) == []


def test_invalid_entries_are_dropped_and_the_others_kept(
    store: Path, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = [
        entry("XQ"),  # no such country
        entry("cn"),  # flaggui writes codes in upper case
        entry("C1"),
        entry("../../etc"),
        entry(""),
        entry(86),
        entry(None),
        entry(["CN"]),
        entry(state="done"),  # saved flags come from the folder
        entry(state="downloading"),
        entry(state=3),
        entry(reason=None),
        entry(reason=["HTTP 500"]),
        entry(server={"url": "http://a"}),
        entry(kind="meteor strike"),
        entry(kind=7),
        entry(status="500"),
        entry(status=True),
        entry(status=99),
        entry(status=600),
        entry(status=500.0),
        "CN",
        None,
        [],
        42,
    ]
    good = entry("BR", state="not found", kind=None, status=None)
    later = entry("BR", reason="a second entry for BR")
    write(store, folder, document(folder, *bad, good, later, entry("JP")))
    assert load_unfinished(store, folder) == [
        UnfinishedFlag("BR", TileState.NOT_FOUND, "HTTP 500", "http://a"),
        UnfinishedFlag("JP", TileState.ERROR, "HTTP 500", "http://a", FailureKind.HTTP_STATUS, 500),
    ]
    assert ignored(caplog) == [
        f"ignored {len(bad) + 1} of the {len(bad) + 3} unfinished flags remembered"
    ]


def test_texts_are_cleaned_of_control_characters_and_cut_short(store: Path, folder: Path) -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J\u202eHTTP\r\n500\x00 " + "x" * 10_000
    write(store, folder, document(folder, entry(reason=hostile, server="http://a/\x1b[31m" * 500)))
    [flag] = load_unfinished(store, folder)
    assert flag.reason.startswith("]0;owned[2JHTTP 500 xxx")
    assert len(flag.reason) == MAX_REASON
    assert all(char.isprintable() for char in flag.reason + flag.server)
    # What is written is cleaned the same way.
    save_unfinished(store, folder, [UnfinishedFlag("CN", TileState.ERROR, hostile, "http://a")])
    assert load_unfinished(store, folder)[0].reason == flag.reason


def test_a_store_that_cannot_be_written_is_a_warning_not_a_crash(
    store: Path, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store.write_bytes(b"a file where the folder should be")
    assert not save_unfinished(store, folder, FLAGS)
    assert "cannot remember" in ignored(caplog)[0]


# The window -------------------------------------------------------------------


def test_the_last_batch_s_failures_survive_a_restart_and_retry_then_succeeds(
    loop: Loop,
    flag_server: ScriptedServer,
    make_window: WindowFactory,
    tmp_path: Path,
) -> None:
    faults.route_healthy(flag_server, ["BR"])
    flag_server.route("cn", faults.status(404))
    flag_server.route("de", faults.status(403))
    flag_server.route("fr", faults.status(403))
    flag_server.route("jp", faults.drips("jp", interval=0.05))
    folder = tmp_path / "flags"
    window = make_window(
        server=flag_server.base_url, folder=folder, countries=["BR", "CN", "DE", "FR", "JP"]
    )
    window.start_download()
    loop.until(lambda: flag_server.hits["jp"] and not window.flags.tile("FR").state.busy)  # type: ignore[union-attr]
    window.controller.cancel()
    loop.until(lambda: not window.controller.busy)
    before = {tile.code: tile for tile in window.flags.tiles()}
    assert {code: tile.state for code, tile in before.items()} == {
        "BR": TileState.DONE,
        "CN": TileState.NOT_FOUND,
        "DE": TileState.ERROR,
        "FR": TileState.ERROR,
        "JP": TileState.CANCELLED,
    }
    store = window.controller.unfinished_store
    assert [flag.code for flag in load_unfinished(store, folder)] == ["CN", "DE", "FR", "JP"]
    make_window.close(window)

    # Meanwhile another program puts France in the folder.
    (folder / "fr.gif").write_bytes(make_gif("fr"))
    window = make_window(folder=folder, server=flag_server.base_url)
    assert states(window) == {
        "BR": TileState.ON_DISK,
        "CN": TileState.NOT_FOUND,
        "DE": TileState.ERROR,
        "FR": TileState.ON_DISK,
        "JP": TileState.CANCELLED,
    }
    for code in ["CN", "DE", "JP"]:
        assert window.flags.tile(code).reason == before[code].reason  # type: ignore[union-attr]
    tooltip = window.flags.index(2).data(Qt.ItemDataRole.ToolTipRole)
    assert "Germany (DE) — error\nHTTP 403" in tooltip
    assert window.summary_label.text() == (
        f"3 flags did not arrive last time, from {flag_server.base_url}. "
        "Retry failed (Ctrl+R) downloads the failed and cancelled ones again."
    )
    assert window.browser.shown_group() is None  # the grid opens on every flag
    assert window.retry_button.isEnabled()

    # The server answers now: Retry failed takes DE and JP, the tile's Retry CN.
    faults.route_healthy(flag_server, ["CN", "DE", "JP"])
    window.retry_button.click()
    loop.until(lambda: not window.controller.busy)
    assert (states(window)["DE"], states(window)["JP"]) == (TileState.DONE, TileState.DONE)
    assert [flag.code for flag in load_unfinished(store, folder)] == ["CN"]
    window.grid.setCurrentIndex(window.browser.proxy.index(1, 0))
    window.browser.flag_actions.update_enabled()
    assert window.browser.flag_actions.retry.text() == "&Retry"
    window.browser.flag_actions.retry.trigger()
    loop.until(lambda: not window.controller.busy)
    assert set(states(window).values()) <= {TileState.ON_DISK, TileState.DONE}
    assert folder_files(folder) == ["br.gif", "cn.gif", "de.gif", "fr.gif", "jp.gif"]
    assert folder_files(store) == []  # nothing left to remember


def test_closing_during_a_batch_remembers_its_cancelled_flags(
    loop: Loop, flag_server: ScriptedServer, make_window: WindowFactory, tmp_path: Path
) -> None:
    flag_server.route("jp", faults.drips("jp", interval=0.05))
    folder = tmp_path / "flags"
    window = make_window(server=flag_server.base_url, folder=folder, countries=["JP"])
    window.start_download()
    loop.until(lambda: flag_server.hits["jp"])
    make_window.close(window)
    [flag] = load_unfinished(window.controller.unfinished_store, folder)
    assert (flag.code, flag.state, flag.server) == ("JP", TileState.CANCELLED, flag_server.base_url)

    window = make_window(folder=folder)
    assert states(window) == {"JP": TileState.CANCELLED}


def test_a_damaged_file_opens_the_folder_as_usual(
    make_window: WindowFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "flags"
    folder.mkdir()
    (folder / "br.gif").write_bytes(make_gif("br"))
    first = make_window(folder=folder)
    store = first.controller.unfinished_store
    make_window.close(first)
    write(store, folder, b'{"version": 1, "folder": ' + b"[" * 100_000)
    window = make_window(folder=folder)
    assert states(window) == {"BR": TileState.ON_DISK}
    assert any("not JSON" in message for message in ignored(caplog))
    # Closing leaves what the window shows: nothing unfinished, no file.
    make_window.close(window)
    assert folder_files(store) == []
