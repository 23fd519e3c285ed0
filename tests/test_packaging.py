"""Desktop integration files: valid, and naming the app as the code does."""

from __future__ import annotations

import configparser
import importlib
import platform
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

from flaggui import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"


def test_desktop_file_names_the_app() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Icon"] == APP_ID
    assert section["Exec"].split()[0] == APP_NAME
    assert section["Type"] == "Application"


def test_metainfo_names_the_app() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_hicolor_icons(qapp: object, size: int) -> None:
    image = QImage(
        str(RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    )
    assert (image.width(), image.height()) == (size, size)
    assert (RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The release workflow (.github/workflows/release.yml) cannot run here; it is
# checked offline instead.
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

# Runner labels GitHub has retired, with when they went away: a job asking
# for one never starts.
RETIRED_RUNNERS = {
    "ubuntu-18.04": "2023-04-03",
    "macos-11": "2024-06-28",
    "macos-12": "2024-12-03",
    "ubuntu-20.04": "2025-04-15",
    "windows-2019": "2025-06-30",
    "macos-13": "2025-12-04",
}


def test_there_are_workflows_to_check() -> None:
    assert [path.name for path in WORKFLOWS] == ["release.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_follow_the_github_workflow_schema(workflow: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


ZIZMOR = Path(sys.executable).with_name("zizmor.exe" if sys.platform == "win32" else "zizmor")


@pytest.mark.timeout(120)
@pytest.mark.skipif(
    not ZIZMOR.exists() and sys.platform == "linux" and platform.machine() == "aarch64",
    reason="zizmor has no wheel for glibc Linux on ARM",
)
def test_workflows_pass_the_supply_chain_audit() -> None:
    zizmor = ZIZMOR
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_ask_for_no_retired_runner(workflow: Path) -> None:
    text = workflow.read_text(encoding="utf-8")
    named = {label for label in RETIRED_RUNNERS if re.search(rf"\b{re.escape(label)}\b", text)}
    assert named == set(), {label: RETIRED_RUNNERS[label] for label in named}


def test_the_release_covers_every_target_and_publishes_checksums() -> None:
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    for label in ("ubuntu-24.04", "ubuntu-24.04-arm", "windows-", "macos-15-intel", "macos-15"):
        assert label in text
    assert "SHA256SUMS" in text
    assert "codesign --verify" in text
    assert "persist-credentials: false" in text


def test_the_windows_exe_carries_its_version() -> None:
    """The text build.py hands PyInstaller is the expression PyInstaller
    evaluates with its version-resource classes; here the same names take
    the same parameters and record what they are given."""
    windows_version_info = packaging_module("build").windows_version_info

    def fixed_file_info(
        filevers: object = None,
        prodvers: object = None,
        mask: object = None,
        flags: object = None,
        OS: object = None,
        fileType: object = None,
        subtype: object = None,
        date: object = None,
    ) -> dict[str, object]:
        return {"filevers": filevers, "prodvers": prodvers}

    names = {
        "VSVersionInfo": lambda ffi=None, kids=None: {"ffi": ffi, "kids": kids},
        "FixedFileInfo": fixed_file_info,
        "StringFileInfo": lambda kids=None: kids,
        "StringTable": lambda name=None, kids=None: dict(kids or []),
        "StringStruct": lambda name=None, val=None: (name, val),
        "VarFileInfo": lambda kids=None: kids,
        "VarStruct": lambda name=None, kids=None: (name, kids),
    }
    info = eval(windows_version_info("2.10.3"), {"__builtins__": {}}, names)
    assert info["ffi"]["filevers"] == (2, 10, 3, 0)
    strings = info["kids"][0][0]
    assert strings["ProductName"] == APP_NAME
    assert strings["ProductVersion"] == "2.10.3"
    assert strings["OriginalFilename"] == f"{APP_NAME}.exe"


def packaging_module(name: str) -> ModuleType:
    """A script of packaging/, imported as a module."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "packaging"))


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")
def test_the_deb_installs_the_app_a_launcher_and_the_menu_entry(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle" / APP_NAME
    bundle.mkdir(parents=True)
    (bundle / APP_NAME).write_text("#!/bin/sh\necho flaggui\n")
    (bundle / APP_NAME).chmod(0o755)
    (bundle / "_internal").mkdir()
    (bundle / "_internal" / "libexample.so").write_bytes(b"\0" * 4096)
    deb = packaging_module("build").build_deb(bundle, tmp_path, tmp_path / "work")

    def dpkg_deb(action: str, *fields: str) -> str:
        return subprocess.run(
            ["dpkg-deb", action, str(deb), *fields], capture_output=True, text=True, check=True
        ).stdout

    assert dpkg_deb("--field", "Package", "Version").splitlines() == [
        f"Package: {APP_NAME}",
        f"Version: {__version__}",
    ]
    assert "libxcb-cursor0" in dpkg_deb("--field", "Depends")
    contents = dpkg_deb("--contents")
    for entry in (
        f"./opt/{APP_NAME}/{APP_NAME}",
        f"./opt/{APP_NAME}/_internal/libexample.so",
        f"./usr/bin/{APP_NAME} -> /opt/{APP_NAME}/{APP_NAME}",
        f"./usr/share/applications/{APP_ID}.desktop",
        f"./usr/share/icons/hicolor/256x256/apps/{APP_ID}.png",
        f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"./usr/share/metainfo/{APP_ID}.metainfo.xml",
    ):
        assert entry in contents
    assert "root/root" in contents.splitlines()[0]
    unpacked = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(unpacked)], check=True)
    desktop = (unpacked / "usr" / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={APP_NAME} %F" in desktop.splitlines()
