"""The flags flaggui carries for its built-in server: the Fluent Python set,
checked against the SHA-256 manifest committed with them, and the script
that brings them in from a ``flags.zip``."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

from flaggui.core.images import validate_image
from flaggui.server import FlagStore
from tests.conftest import folder_files

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ROOT / "resources" / "flags"
IMPORT_FLAGS = ROOT / "packaging" / "import_flags.py"


def committed_flag(code: str) -> bytes:
    return (FLAGS / code / f"{code}.gif").read_bytes()


def import_flags(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(IMPORT_FLAGS), *args], capture_output=True, text=True, timeout=60
    )


def test_the_committed_flags_match_their_manifest() -> None:
    result = import_flags("--check")
    assert result.returncode == 0, result.stderr
    assert "388 files match SHA256SUMS" in result.stdout


def test_the_package_carries_194_real_flags_with_their_metadata() -> None:
    store = FlagStore.builtin()
    assert len(store.flags) == len(store.metadata) == 194
    assert store.warnings == []
    for code, data in store.flags.items():
        assert data == committed_flag(code)
        assert validate_image(data, "gif").length == len(data)  # nothing after the trailer
    assert b'"country": "China"' in store.metadata["cn"]
    # importlib.resources finds them where the package is.
    packaged = resources.files("flaggui.resources") / "flags" / "jp" / "jp.gif"
    assert packaged.read_bytes() == committed_flag("jp")


def test_a_tampered_copy_fails_the_check(tmp_path: Path) -> None:
    copy = tmp_path / "flags"
    shutil.copytree(FLAGS, copy)
    gif = copy / "cn" / "cn.gif"
    data = bytearray(gif.read_bytes())
    data[100] ^= 0xFF
    gif.write_bytes(bytes(data))
    (copy / "jp" / "metadata.json").unlink()
    (copy / "jp" / "extra.gif").write_bytes(committed_flag("jp"))

    result = import_flags("--check", "--folder", str(copy))

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "import_flags: jp/metadata.json: missing" in lines
    assert "import_flags: jp/extra.gif: not in SHA256SUMS" in lines
    expected = hashlib.sha256(committed_flag("cn")).hexdigest()
    assert any(line.startswith("import_flags: cn/cn.gif: SHA-256 ") for line in lines)
    assert f"expected {expected}" in result.stderr


def write_flags_zip(path: Path, change: str | None = None) -> Path:
    """A flags.zip laid out as the Fluent Python one, made from the
    committed flags; the flag *change* gets one byte altered."""
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(FLAGS.glob("*/*")):
            data = file.read_bytes()
            if file.parent.name == change and file.suffix == ".gif":
                data = data[:20] + bytes([data[20] ^ 1]) + data[21:]  # a colour of its palette
            archive.writestr(f"flags/{file.parent.name}/{file.name}", data)
    return path


def test_importing_a_zip_checks_every_file_before_copying(tmp_path: Path) -> None:
    folder = tmp_path / "flags"
    folder.mkdir()
    shutil.copy(FLAGS / "SHA256SUMS", folder)

    bad = import_flags(
        str(write_flags_zip(tmp_path / "bad.zip", change="fr")), "--folder", str(folder)
    )
    assert bad.returncode == 1
    assert "import_flags: fr/fr.gif: SHA-256" in bad.stderr
    assert folder_files(folder) == ["SHA256SUMS"]  # nothing copied

    good = import_flags(str(write_flags_zip(tmp_path / "flags.zip")), "--folder", str(folder))
    assert good.returncode == 0, good.stderr
    assert (folder / "fr" / "fr.gif").read_bytes() == committed_flag("fr")
    assert import_flags("--check", "--folder", str(folder)).returncode == 0
