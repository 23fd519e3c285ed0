"""Settings: every option is declared once, round-trips through a real INI
file in the format earlier versions wrote, and falls back to its default,
with one log line, on anything hostile a settings file may hold."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from flaggui.core.limits import DEFAULT_CONCURRENCY
from flaggui.core.network import NetworkPreset
from flaggui.core.servers import LOCAL, REMOTE
from flaggui.ui.country_model import CountryListModel
from flaggui.ui.download_panel import DownloadPanel, PanelState
from flaggui.ui.grid import SortKey
from flaggui.ui.i18n import LANGUAGES
from flaggui.ui.settings import MAX_TEXT, Language, Settings, default_folder
from flaggui.ui.sources import Source
from flaggui.ui.theme import Theme

ROOT = Path(__file__).resolve().parents[2]

FOLDER = Path("/tmp/my flags, ünïcode").absolute()
MIRROR = Source("Mirror, one", "{base}/w320/{cc}.png")

# A value for each option, and the line an earlier flaggui wrote for it.
VALUES: dict[str, tuple[object, str]] = {
    "geometry": (
        QByteArray(b"\x01\xd9\xd0\xcb\x00\x03geo"),
        r"geometry=@ByteArray(\x1\xd9\xd0\xcb\0\x3geo)",
    ),
    "splitter_state": (QByteArray(b"split"), "splitter=@ByteArray(split)"),
    "window_state": (QByteArray(b"state,=x"), 'state="@ByteArray(state,=x)"'),
    "folder": (FOLDER, f'folder="{FOLDER}"'),
    "server": ("http://127.0.0.1:9/x", "server=http://127.0.0.1:9/x"),
    "countries": (["CN", "FR"], "countries=CN FR"),
    "concurrency": (250, "concurrency=250"),
    "adaptive": (False, "adaptive=false"),
    "sources": (
        [MIRROR],
        r'sources="[{\"name\": \"Mirror, one\", \"template\": \"{base}/w320/{cc}.png\"}]"',
    ),
    "url_template": ("{base}/w320/{cc}.png", "url_template={base}/w320/{cc}.png"),
    "network": (NetworkPreset.FLAKY, "network=flaky"),
    "language": (Language.SIMPLIFIED_CHINESE, "language=zh_CN"),
    "zoom": (256, "zoom=256"),
    "sort": (SortKey.SIZE, "sort=size"),
    "labels": (False, "labels=false"),
    "map_shown": (True, "map=true"),
    "theme": (Theme.DARK, "theme=dark"),
    "follow": (False, "follow=false"),
}

# The whole file as flaggui wrote it before options were declared once.
EARLIER_FILE = "\n".join(
    [
        "[download]",
        *(
            VALUES[name][1]
            for name in ["adaptive", "concurrency", "countries", "folder", "network"]
        ),
        VALUES["server"][1],
        *(VALUES[name][1] for name in ["sources", "url_template"]),
        "",
        "[view]",
        *(
            VALUES[name][1]
            for name in ["follow", "labels", "language", "map_shown", "sort", "theme"]
        ),
        VALUES["zoom"][1],
        "",
        "[window]",
        *(VALUES[name][1] for name in ["geometry", "splitter_state", "window_state"]),
        "",
    ]
)

DEFAULTS: dict[str, object] = {
    "geometry": QByteArray(),
    "splitter_state": QByteArray(),
    "window_state": QByteArray(),
    "folder": default_folder(),
    "server": REMOTE,
    "countries": sorted("BD BR CD CN DE EG ET FR ID IN IR JP MX NG PH PK RU TR US VN".split()),
    "concurrency": DEFAULT_CONCURRENCY,
    "adaptive": True,
    "sources": [],
    "url_template": "{base}/{cc}/{cc}.gif",
    "network": NetworkPreset.WIFI,
    "language": Language.SYSTEM,
    "zoom": 96,
    "sort": SortKey.CODE,
    "labels": True,
    "map_shown": False,
    "theme": Theme.SYSTEM,
    "follow": True,
}


def ini(path: Path) -> Settings:
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def test_every_option_is_in_these_tests() -> None:
    assert set(Settings.options()) == set(VALUES) == set(DEFAULTS)
    assert len({option.key for option in Settings.options().values()}) == len(VALUES)


def test_a_fresh_file_gives_the_defaults(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = ini(tmp_path / "settings.ini")
    assert {name: getattr(settings, name) for name in DEFAULTS} == DEFAULTS
    assert caplog.records == []


@pytest.mark.parametrize("name", list(VALUES))
def test_each_option_round_trips_in_the_earlier_format(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    value, line = VALUES[name]
    writer = ini(path)
    setattr(writer, name, value)
    writer.sync()
    assert getattr(ini(path), name) == value
    assert line in path.read_text(encoding="utf-8").splitlines()
    assert caplog.records == []


def test_all_options_are_written_as_before(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = ini(path)
    for name, (value, _line) in VALUES.items():
        setattr(settings, name, value)
    settings.sync()
    assert path.read_text(encoding="utf-8") == EARLIER_FILE


def test_a_file_written_by_an_earlier_version_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    path.write_text(EARLIER_FILE, encoding="utf-8")
    settings = ini(path)
    assert {name: getattr(settings, name) for name in VALUES} == {
        name: value for name, (value, _line) in VALUES.items()
    }
    assert caplog.records == []


def test_the_language_choices_are_flaggui_languages() -> None:
    assert {language.value for language in Language} == {"", *LANGUAGES}


# What a damaged or hostile settings file may hold, written as QSettings
# would read it back.
HOSTILE: dict[str, object] = {
    "a list": ["CN", "FR"],
    "bytes": QByteArray(b"CN"),
    "garbage": "garbage \u202e\x07 ☃",
    "unicode digits": "١٢",
    "nan": "nan",
    "an exponent": "1e9",
    "a relative path": "flags",
    "a JSON object": '{"name": "Mirror", "template": "{base}/{cc}.gif"}',
    "huge JSON": "[" + ",".join(['{"name": "x", "template": "{base}/{cc}.gif"}'] * 30_000) + "]",
    "nested JSON": "[" * 100_000,
    "a huge number in JSON": "[" + "9" * 5000 + "]",
}
# The bytes options read only bytes, the others never do.
HOSTILE_BYTES: dict[str, object] = {"text": "@ByteArray", "a number": "12", "a list": ["a", "b"]}
BYTES_OPTIONS = ("geometry", "splitter_state", "window_state")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param(name, value, id=f"{name}-{kind}")
        for name in VALUES
        for kind, value in (HOSTILE_BYTES if name in BYTES_OPTIONS else HOSTILE).items()
    ],
)
def test_a_hostile_value_falls_back_to_the_default_with_one_log_line(
    name: str, value: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    option = Settings.options()[name]
    damage = QSettings(str(path), QSettings.Format.IniFormat)
    damage.setValue(option.key, value)
    damage.sync()
    settings = ini(path)
    with caplog.at_level(logging.INFO, logger="flaggui.ui.settings"):
        assert getattr(settings, name) == DEFAULTS[name]
        assert getattr(settings, name) == DEFAULTS[name]  # read again: no second line
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert option.key in message
    assert "\u202e" not in message
    assert "\x07" not in message
    assert len(message) < 500  # not the whole of a huge value


def test_huge_json_is_over_the_limit() -> None:
    assert len(str(HOSTILE["huge JSON"])) > MAX_TEXT


def test_unknown_countries_are_dropped_known_ones_kept(settings: Settings) -> None:
    settings.store.setValue("download/countries", "CN ZZ ../ cn FR")
    assert settings.countries == ["CN", "FR"]
    settings.store.setValue("download/countries", "")
    assert settings.countries == []  # none chosen is a choice


def test_a_number_may_come_from_a_native_store_as_an_int(settings: Settings) -> None:
    settings.store.setValue("view/zoom", 128)
    assert settings.zoom == 128
    settings.store.setValue("view/labels", 0)
    assert settings.labels is False


def test_a_misspelt_option_is_an_attribute_error(settings: Settings) -> None:
    with pytest.raises(AttributeError):
        settings.zom = 3  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = settings.zom  # type: ignore[attr-defined]
    assert settings.zoom == 96


@pytest.mark.timeout(120)
def test_a_misspelt_option_or_a_wrong_type_is_a_mypy_error(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from flaggui.ui.grid import SortKey\n"
        "from flaggui.ui.settings import Settings\n"
        "settings = Settings()\n"
        "settings.zom = 3\n"
        "settings.sort = 'name'\n"
        "settings.sort = SortKey.NAME\n"
        "reveal_type(settings.sources)\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(snippet)],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert any(':4: error: "Settings" has no attribute "zom"' in line for line in lines), lines
    assert any(":5: error: Incompatible types in assignment" in line for line in lines), lines
    assert not any(":6:" in line for line in lines), lines
    assert any('Revealed type is "list[flaggui.ui.sources.Source]"' in line for line in lines), (
        lines
    )


def test_the_download_panel_state_round_trips(qapp: object, tmp_path: Path) -> None:
    countries = CountryListModel()
    panel = DownloadPanel(countries)
    state = PanelState(
        folder=tmp_path / "flags",
        server="http://127.0.0.1:9/x",
        concurrency=250,
        adaptive=False,
        sources=(MIRROR,),
        url_template=MIRROR.template,
        countries=("CN", "FR"),
        network=NetworkPreset.FLAKY,
    )
    panel.restore(state)
    assert panel.state() == state
    assert panel.folder_edit.text() == str(tmp_path / "flags")
    assert panel.server_url() == "http://127.0.0.1:9/x"
    assert panel.url_template() == MIRROR.template
    assert countries.checked_codes() == ["CN", "FR"]
    options = panel.download_options()
    assert options is not None
    assert (options.concurrency, options.adaptive) == (250, False)

    # A preset server, a built-in source, no countries; an invalid URL as typed.
    other = PanelState(tmp_path, LOCAL, 1, True, (), "{base}/{cc}/{cc}.gif", ())
    panel.restore(other)
    assert panel.state() == other
    assert panel.server_combo.currentData() == LOCAL
    panel.restore(PanelState(tmp_path, " ftp://x ", 4, True, (), "{base}/{cc}/{cc}.gif", ()))
    assert panel.state().server == "ftp://x"
    assert panel.download_options() is None
    panel.deleteLater()
