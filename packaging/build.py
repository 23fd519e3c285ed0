"""Build flaggui as a one-folder app with PyInstaller, and archive it.

    python packaging/build.py            # dist/flaggui/ and dist/flaggui-<version>-<os>-<arch>.*
    python packaging/build.py --install  # also add it to this user's desktop menu (Linux)
    python packaging/build.py --icons    # only regenerate resources/icons/hicolor

Icons for every platform are made from resources/icons/flaggui.svg with Qt:
the hicolor PNGs (16-512 px), a Windows .ico and a macOS .icns.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flaggui import APP_ID, APP_NAME, __version__  # noqa: E402

SVG = ROOT / "resources" / "icons" / "flaggui.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DIST = ROOT / "dist"
BUILD = ROOT / "build"


def render_icons() -> dict[str, Path]:
    """PNGs into resources/icons/hicolor, and .ico/.icns into build/."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))

    def render(size: int) -> QImage:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        return image

    outputs: dict[str, Path] = {}
    for size in PNG_SIZES:
        path = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        render(size).save(str(path))
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    BUILD.mkdir(exist_ok=True)
    for suffix, size in (("ico", 256), ("icns", 512)):
        path = BUILD / f"{APP_NAME}.{suffix}"
        writer = QImageWriter(str(path), suffix.encode())
        if writer.write(render(size)):
            outputs[suffix] = path
    return outputs


def windows_version_info(version: str = __version__) -> str:
    """The version resource of flaggui.exe, in the text form PyInstaller's
    ``EXE(version=...)`` reads: Explorer's properties show the product
    name, the version and the description from it."""
    numbers = [int(part) for part in re.findall(r"\d+", version)[:4]]
    four = tuple(numbers + [0] * (4 - len(numbers)))
    strings = {
        "CompanyName": "The flaggui developers",
        "FileDescription": f"{APP_NAME}: download country flags concurrently",
        "FileVersion": version,
        "InternalName": APP_NAME,
        "LegalCopyright": "MIT licence",
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    structs = ",\n".join(f"        StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={four}, prodvers={four}, mask=0x3F, flags=0x0,\n"
        "    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([StringTable('040904B0', [\n"
        f"{structs}\n"
        "    ])]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])]),\n"
        "  ],\n"
        ")\n"
    )


def run_pyinstaller(icons: dict[str, Path]) -> Path:
    icon = icons.get(
        "ico" if sys.platform == "win32" else "icns" if sys.platform == "darwin" else ""
    )
    env = dict(os.environ, FLAGGUI_ICON=str(icon) if icon else "", FLAGGUI_VERSION_FILE="")
    if sys.platform == "win32":
        version_file = BUILD / "version_info.txt"
        version_file.write_text(windows_version_info(), encoding="utf-8")
        env["FLAGGUI_VERSION_FILE"] = str(version_file)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(ROOT / "packaging" / "flaggui.spec"),
        ],
        check=True,
        env=env,
    )
    return DIST / (f"{APP_NAME}.app" if sys.platform == "darwin" else APP_NAME)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64").replace("arm64", "aarch64")
    return f"{system}-{machine}"


def archive(bundle: Path) -> Path:
    name = f"{APP_NAME}-{__version__}-{platform_tag()}"
    if sys.platform == "linux":
        path = DIST / f"{name}.tar.gz"
        with tarfile.open(path, "w:gz") as tar:
            tar.add(bundle, arcname=APP_NAME)
        return path
    path = DIST / f"{name}.zip"
    if sys.platform == "darwin":
        # ditto keeps the bundle's symbolic links and extended attributes, and
        # with them the app's signature; zipfile would store copies instead.
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(bundle), str(path)], check=True)
        return path
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive_file:
        for file in sorted(bundle.rglob("*")):
            archive_file.write(file, Path(bundle.name) / file.relative_to(bundle))
    return path


def lay_out_share(share: Path, executable: str = APP_NAME) -> Path:
    """The desktop file (running *executable*), the hicolor icons and the
    AppStream metainfo under *share* (``~/.local/share``, ``/usr/share``);
    returns the desktop file."""
    desktop = (ROOT / "resources" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    desktop = desktop.replace("Exec=flaggui %F", f"Exec={executable} %F")
    target = share / "applications" / f"{APP_ID}.desktop"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(desktop, encoding="utf-8")
    for icon in HICOLOR.rglob(f"{APP_ID}.*"):
        destination = share / "icons" / "hicolor" / icon.relative_to(HICOLOR)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon, destination)
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    metainfo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "resources" / f"{APP_ID}.metainfo.xml", metainfo)
    return target


def install_desktop_entry(bundle: Path) -> None:
    """Put the app in this user's menu: desktop file, icons, metainfo."""
    share = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    executable = bundle / APP_NAME
    target = lay_out_share(share, str(executable))
    print(f"installed {target} (runs {executable})")


# What Qt's xcb platform needs from the system beside the bundle.
DEB_DEPENDS = (
    "libegl1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libfontconfig1, "
    "libdbus-1-3, libglib2.0-0"
)


def build_deb(bundle: Path, dist: Path = DIST, work: Path = BUILD) -> Path:
    """A Debian package of the one-folder app: the app in /opt/flaggui, a
    launcher /usr/bin/flaggui, the desktop file, icons and metainfo."""
    architecture = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    root = work / "deb"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / APP_NAME, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / APP_NAME).symlink_to(f"/opt/{APP_NAME}/{APP_NAME}")
    lay_out_share(root / "usr" / "share")
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {APP_NAME}\n"
        f"Version: {__version__}\n"
        f"Architecture: {architecture}\n"
        "Maintainer: The flaggui developers <flaggui@users.noreply.github.com>\n"
        f"Installed-Size: {folder_size(root) // 1024}\n"
        f"Depends: {DEB_DEPENDS}\n"
        "Section: graphics\n"
        "Priority: optional\n"
        "Description: download country flags concurrently and browse them\n"
        " A Qt window whose event loop is the asyncio loop: flags arrive in a\n"
        " thumbnail grid as they are saved, with a timeline of the requests.\n",
        encoding="utf-8",
    )
    path = dist / f"{APP_NAME}_{__version__}_{architecture}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(root), str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="add to the desktop menu (Linux)")
    parser.add_argument("--icons", action="store_true", help="only regenerate the icons")
    args = parser.parse_args()
    started = time.perf_counter()
    icons = render_icons()
    if args.icons:
        print(f"icons written to {HICOLOR} and {BUILD}")
        return 0
    bundle = run_pyinstaller(icons)
    packed = archive(bundle)
    mib = 1024 * 1024
    print(f"built {bundle} ({folder_size(bundle) / mib:.0f} MiB)")
    print(f"archive {packed} ({packed.stat().st_size / mib:.1f} MiB)")
    if sys.platform == "linux" and shutil.which("dpkg-deb"):
        deb = build_deb(bundle)
        print(f"package {deb} ({deb.stat().st_size / mib:.1f} MiB)")
    print(f"build time {time.perf_counter() - started:.0f} s")
    if args.install:
        if sys.platform != "linux":
            print("--install is for Linux desktops", file=sys.stderr)
            return 2
        install_desktop_entry(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
