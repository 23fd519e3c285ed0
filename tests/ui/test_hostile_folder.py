"""A folder anyone could have filled: FIFOs, links to devices, sparse files
of gigabytes, damaged settings. The window reads none of them through Qt,
never blocks, and says on each broken tile why it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt

from flaggui.core.servers import LOCAL
from flaggui.core.untrusted import clean_text
from flaggui.ui.flag_model import FlagRoles, TileState, mime_for
from flaggui.ui.folder import scan_folder
from flaggui.ui.main_window import MainWindow
from flaggui.ui.settings import Settings
from flaggui.ui.sources import parse_sources
from flaggui.ui.thumbnails import RefusedImage, decode_scaled, read_flag
from tests.images import make_gif, make_png
from tests.ui.conftest import Loop, WindowFactory
from tests.ui.hostile import fifo, settled, sparse_file
from tests.ui.test_main_window import rendered


def test_the_safe_loader_reads_only_sound_flags_in_regular_files(tmp_path: Path) -> None:
    good = tmp_path / "fr.gif"
    good.write_bytes(make_gif("fr"))
    assert read_flag(good) == (make_gif("fr"), "gif")
    image = decode_scaled(str(good), 96, 64)
    assert image is not None
    assert image.size() == QSize(30, 20)

    (tmp_path / "br.gif").symlink_to(good)  # even a link to a good flag
    (tmp_path / "jp.gif").symlink_to("/dev/zero")
    sparse_file(tmp_path / "us.png", make_png())
    (tmp_path / "de.png").write_bytes(make_gif("de"))
    refusals = {
        "br.gif": "br.gif is a symbolic link, not a regular file",
        "jp.gif": "jp.gif is a symbolic link, not a regular file",
        "us.png": "us.png is larger than 16384 KiB, too large for a flag",
        "de.png": "expected a PNG image",
        "it.gif": "cannot read the file: No such file or directory",
    }
    for name, reason in refusals.items():
        with pytest.raises(RefusedImage, match=reason):
            decode_scaled(str(tmp_path / name), 96, 64)

    with fifo(tmp_path / "cn.gif") as pipe:
        with pytest.raises(RefusedImage, match=r"cn.gif is a FIFO \(named pipe\)"):
            decode_scaled(str(tmp_path / "cn.gif"), 96, 64)
        assert pipe.never_opened()


def test_dragging_or_copying_a_fifo_never_opens_it(qapp: object, tmp_path: Path) -> None:
    good = tmp_path / "fr.gif"
    good.write_bytes(make_gif("fr"))
    assert mime_for([good]).hasImage()
    with fifo(tmp_path / "cn.gif") as pipe:
        mime = mime_for([tmp_path / "cn.gif"])
        assert pipe.never_opened()
    assert not mime.hasImage()
    assert mime.text() == str(tmp_path / "cn.gif")


def test_the_folder_scan_never_follows_links(tmp_path: Path) -> None:
    good = tmp_path / "fr.gif"
    good.write_bytes(make_gif("fr"))
    (tmp_path / "br.gif").symlink_to(good)
    (tmp_path / "jp.gif").symlink_to("/dev/zero")
    (tmp_path / "de.gif").mkdir()
    (tmp_path / "it.png").write_bytes(make_png())
    (tmp_path / "it.svg").symlink_to(good)  # a real flag of another format wins
    with fifo(tmp_path / "cn.gif") as pipe:
        found = scan_folder(tmp_path)
        assert pipe.never_opened()

    assert sorted(found) == ["BR", "CN", "FR", "IT", "JP"]
    assert found["BR"].size == len(str(good))  # the link's own size, not its target's
    assert found["IT"].path.name == "it.png"


def test_a_folder_of_hostile_files_shows_broken_tiles_and_never_freezes(
    loop: Loop, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "flags"
    folder.mkdir()
    (folder / "fr.gif").write_bytes(make_gif("fr"))
    (folder / "de.png").write_bytes(make_png())
    (folder / "jp.gif").symlink_to("/dev/zero")
    sparse_file(folder / "us.png", make_png())
    with fifo(folder / "cn.gif") as pipe:
        window = make_window(server=LOCAL, folder=folder, countries=[])
        codes = ["CN", "DE", "FR", "JP", "US"]
        loop.until(lambda: window.flags.rowCount() == len(codes))
        loop.until(lambda: all(settled(window, code) for code in codes))

        assert rendered(window, "FR")
        assert rendered(window, "DE")
        reasons = {
            "CN": "cn.gif is a FIFO (named pipe), not a regular file",
            "JP": "jp.gif is a symbolic link, not a regular file",
            "US": "us.png is larger than 16384 KiB, too large for a flag",
        }
        for code, reason in reasons.items():
            tile = window.flags.tile(code)
            assert tile is not None
            assert (tile.state, tile.reason) == (TileState.ERROR, reason)
            index = window.flags.index(_row_of(window, code))
            assert reason in window.flags.data(index, Qt.ItemDataRole.ToolTipRole)

        proxy = window.browser.proxy
        row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "CN")
        window.browser.open_viewer(proxy.index(row, 0))
        viewer = window.browser.viewer
        assert viewer is not None
        loop.until(lambda: "FIFO" in viewer.image.text())
        assert viewer.image.text() == f"This flag is not shown: {reasons['CN']}"
        assert viewer.pixels.text() == "—"

        assert pipe.never_opened()
        make_window.close(window, timeout=1.0)


def test_a_dest_the_system_rejects_opens_the_usual_folder_with_a_warning(
    loop: Loop, make_window: WindowFactory, settings: Settings, tmp_path: Path
) -> None:
    usual = tmp_path / "usual"
    usual.mkdir()
    (usual / "fr.gif").write_bytes(make_gif("fr"))
    settings.folder = usual
    too_long = tmp_path / ("\u202ex" * 128) / "flags"  # a component of 256 characters

    window = make_window(server=LOCAL, folder=too_long, countries=[])

    assert window.folder() == usual
    assert window.panel.folder_edit.text() == str(usual)
    loop.until(lambda: window.flags.tile("FR") is not None)
    box = window._folder_warning
    assert box is not None
    loop.until(box.isVisible)
    assert box.text().startswith(f"Cannot open the folder {str(tmp_path)[:40]}")
    assert box.text().endswith("…: File name too long.")  # the path cut short, cleaned
    assert "\u202e" not in box.text()
    assert box.informativeText() == f"The window shows {clean_text(str(usual), 80)} instead."
    box.accept()


def test_saved_numbers_are_read_strictly(settings: Settings) -> None:
    for bad in ["١٢", "nan", "1e9", "1_000", "99999", " ", "0x20"]:
        settings.store.setValue("download/concurrency", bad)
        settings.store.setValue("view/zoom", bad)
        assert (settings.concurrency, settings.zoom) == (20, 96), bad
    settings.store.setValue("download/concurrency", "12")
    assert settings.concurrency == 12


def test_a_window_starts_from_damaged_settings(
    make_window: WindowFactory,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # where the default folder is
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings.store.setValue("download/concurrency", "١٢")
    settings.store.setValue("view/zoom", "nan")
    settings.store.setValue("download/sources", "[" * 100_000)
    settings.folder = tmp_path / ("x" * 300)

    window = make_window(server=LOCAL, countries=[])

    assert window.panel.concurrency_spin.value() == 20
    assert window.browser.zoom == 96
    assert window.folder() == tmp_path / "home" / "Pictures" / "flags"
    assert window._folder_warning is not None
    assert [source.builtin for source in window.panel.sources()] == [True, True, True]


def test_saved_sources_are_bounded_and_cleaned() -> None:
    entry = '{"name": "Mirror\\u202e\\u0007 one", "template": "{base}/{cc}.gif"}'
    sources = parse_sources("[" + ",".join([entry] * 1000) + "]")
    assert len(sources) == 100
    assert sources[0].name == "Mirror one"


def _row_of(window: MainWindow, code: str) -> int:
    return next(
        row
        for row in range(window.flags.rowCount())
        if window.flags.index(row).data(FlagRoles.CODE) == code
    )
