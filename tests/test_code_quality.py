"""The project's own rules, enforced by the same test run: lint, format,
strict typing of the core, and the one-way dependency ui -> core."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.timeout(300)
def test_ruff_lint_and_format_are_clean() -> None:
    lint = run_tool("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    style = run_tool("ruff", "format", "--check", ".")
    assert style.returncode == 0, style.stdout + style.stderr


@pytest.mark.timeout(300)
def test_core_is_mypy_strict_clean() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_and_headless_modules_import_no_qt_and_no_ui() -> None:
    headless = [*(ROOT / "flaggui" / "core").rglob("*.py"), ROOT / "flaggui" / "server.py"]
    for path in headless:
        bad = {
            m for m in imported_modules(path) if m.startswith(("PySide6", "qasync", "flaggui.ui"))
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
