"""Static checks: the house style's linters pass on the whole repository.

``ruff check`` and ``ruff format --check`` over the repository, and ``mypy``
(strict, configured in pyproject.toml for ``blog/``, ``crawler/`` and ``pipelines/``), each
run from the repository root with this interpreter and expected to exit 0; and the
layers' imports point one way: ``crawler`` may use ``pipelines``, both use ``blog``.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_lint_and_format_are_clean() -> None:
    lint = _run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = _run("ruff", "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


#: package -> packages of ours it must never import (at any depth, lazily or not)
FORBIDDEN_IMPORTS = {"blog": ("crawler", "pipelines"), "pipelines": ("crawler",)}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN_IMPORTS))
def test_imports_point_one_way(package: str) -> None:
    offenders = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted((REPO / package).rglob("*.py"))
        for name in sorted(_imported_packages(path) & set(FORBIDDEN_IMPORTS[package]))
    ]
    assert offenders == []


def test_the_longest_modules_named_for_the_start_order_exist() -> None:
    """A renamed module would drop out of ``conftest.LONGEST_MODULES`` without a word and
    start last again."""
    from tests.conftest import LONGEST_MODULES

    assert [name for name in LONGEST_MODULES if not (REPO / "tests" / name).is_file()] == []
