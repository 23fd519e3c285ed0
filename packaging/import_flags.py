"""Bring the flags built into flaggui in from a ``flags.zip``, and check them.

The built-in flag server serves ``resources/flags/cc/cc.gif`` and
``resources/flags/cc/metadata.json``, copied once from the Fluent Python flag
set's ``flags.zip`` (entries ``flags/cc/cc.gif`` and ``flags/cc/metadata.json``).
``resources/flags/SHA256SUMS`` is committed with them: every file copied must
have the hash it lists, and the folder must hold exactly the files it lists
(``cd resources/flags && sha256sum -c SHA256SUMS`` checks the same by hand).

    python packaging/import_flags.py flags.zip                 # copy, checked
    python packaging/import_flags.py --check                   # check what is committed
    python packaging/import_flags.py flags.zip --new-manifest  # a new flag set

Exits 0 when every file matches, 1 with one line per problem otherwise (and
then copies nothing), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flaggui.core.images import InvalidImage, validate_image  # noqa: E402

FOLDER = ROOT / "resources" / "flags"
MANIFEST = "SHA256SUMS"
_ENTRY = re.compile(r"flags/([a-z]{2})/(\1\.gif|metadata\.json)")
_CAPS = {"gif": 2 * 1024 * 1024, "json": 64 * 1024}
# The standard set has 194 flags; a zip listing far more is not it.
_MAX_ENTRIES = 2000


class ImportFailed(Exception):
    """The zip cannot be imported; the message says why."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """``cc/cc.gif`` -> hex digest, as ``sha256sum`` writes them."""
    hashes = {}
    for line in (folder / MANIFEST).read_text(encoding="ascii").splitlines():
        digest, _, name = line.partition("  ")
        hashes[name] = digest
    return hashes


def manifest_text(files: dict[str, bytes]) -> str:
    return "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items()))


def flags_in_zip(path: Path) -> dict[str, bytes]:
    """The flags and metadata files of a ``flags.zip``, by name under
    ``resources/flags`` (``cn/cn.gif``); each GIF checked as flaggui checks a
    download and each metadata file a JSON object."""
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ENTRIES:
                raise ImportFailed(f"{path} lists {len(entries)} entries: not a flag set")
            for info in entries:
                if info.is_dir():
                    continue
                match = _ENTRY.fullmatch(info.filename)
                if match is None:
                    raise ImportFailed(f"{path}: unexpected entry {info.filename!r}")
                kind = "gif" if match.group(2).endswith(".gif") else "json"
                if info.file_size > _CAPS[kind]:
                    raise ImportFailed(f"{info.filename} is too large for a flag set")
                with archive.open(info) as member:
                    data = member.read(_CAPS[kind] + 1)
                check(info.filename, data, kind)
                files[f"{match.group(1)}/{match.group(2)}"] = data
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportFailed(f"cannot read {path}: {exc}") from exc
    return files


def check(name: str, data: bytes, kind: str) -> None:
    if len(data) > _CAPS[kind]:
        raise ImportFailed(f"{name} is too large for a flag set")
    try:
        if kind == "gif":
            validate_image(data, "gif")
        elif not isinstance(json.loads(data), dict):
            raise ImportFailed(f"{name} is not a JSON object")
    except (InvalidImage, ValueError) as exc:
        raise ImportFailed(f"{name}: {exc}") from exc


def compare(files: dict[str, bytes], manifest: dict[str, str]) -> list[str]:
    """One line per file that is missing, extra or different."""
    problems = [f"{name}: missing" for name in sorted(manifest.keys() - files.keys())]
    problems += [f"{name}: not in {MANIFEST}" for name in sorted(files.keys() - manifest.keys())]
    problems += [
        f"{name}: SHA-256 {sha256(files[name])}, expected {manifest[name]}"
        for name in sorted(files.keys() & manifest.keys())
        if sha256(files[name]) != manifest[name]
    ]
    return problems


def files_in_folder(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* but the manifest, by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST and "__pycache__" not in path.parts
    }


def write_folder(folder: Path, files: dict[str, bytes], manifest: str) -> None:
    """Replace *folder*'s flags with *files*: built beside it, then swapped in."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".flags-", dir=folder.parent))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST).write_text(manifest, encoding="ascii")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", nargs="?", type=Path, help="the flags.zip to copy from")
    parser.add_argument("--check", action="store_true", help="check the folder, copy nothing")
    parser.add_argument(
        "--new-manifest",
        action="store_true",
        help=f"write {MANIFEST} from the zip instead of checking against it",
    )
    parser.add_argument(
        "--folder", type=Path, default=FOLDER, help="where the flags go (default resources/flags)"
    )
    args = parser.parse_args(argv)
    if args.check == (args.zip is not None) or (args.check and args.new_manifest):
        parser.error("give a flags.zip to import, or --check alone")
    try:
        if args.check:
            problems = compare(files_in_folder(args.folder), read_manifest(args.folder))
        else:
            files = flags_in_zip(args.zip)
            problems = [] if args.new_manifest else compare(files, read_manifest(args.folder))
            if not problems:
                write_folder(args.folder, files, manifest_text(files))
    except (ImportFailed, OSError) as exc:
        print(f"import_flags: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"import_flags: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{args.folder}: {len(read_manifest(args.folder))} files match {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
