"""What ``pip install`` puts on a machine: every entry point works, and the extras
the README names bring what its examples import."""

from __future__ import annotations

import importlib
import re
import tomllib

from tests.support.crawl import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def _name(requirement: str) -> str:
    return re.split(r"[<>=\[ ;]", requirement, maxsplit=1)[0].lower()


def test_every_installed_command_resolves_to_a_function() -> None:
    for command, target in PYPROJECT["project"].get("scripts", {}).items():
        module, _, attribute = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attribute)), command


def test_the_analysis_extra_brings_what_the_analyst_examples_import() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    analysis = {_name(r) for r in extras["analysis"]}
    analysts = README.split("## For analysts", 1)[1].split("\n## ", 1)[0]
    imported = set(re.findall(r"^import (\w+)", analysts, flags=re.MULTILINE))
    core = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert imported - {"glob"} <= analysis | core | {"warcio"}
    assert {"pandas", "duckdb", "polars"} <= analysis
    assert "blog-archiver[analysis]" in extras["test"]
    assert "pip install -e '.[analysis]'" in analysts.split("```python", 1)[0]
