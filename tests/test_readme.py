"""The README is the user's manual: its examples run as printed, its facts hold."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.schema import COLUMNS
from tests.support.crawl import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.fixture(scope="module")
def replica_archive(replica_crawl: Path, tmp_path_factory) -> Path:
    """A folder holding ``data/materna`` from a real crawl of the replica (a copy of the
    session's: the report command writes beside it)."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(replica_crawl, root / "data")
    return root


@pytest.mark.slow  # a real crawl
def test_every_python_example_runs_as_printed(replica_archive: Path) -> None:
    blocks = _blocks("python")
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    output = io.StringIO()
    cwd = Path.cwd()
    os.chdir(replica_archive)
    try:
        with contextlib.redirect_stdout(output):
            for block in blocks:
                exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(cwd)
    printed = output.getvalue()
    assert "Dortmund: Eine Region digitalisiert sich" in printed or "Digitalisierung" in printed
    assert "warc" not in printed.lower() or "http" in printed


def test_nested_columns_have_an_example_in_each_library() -> None:
    nested = [b for b in _blocks("python") if "related_links" in b]
    libraries = {lib for b in nested for lib in ("pd.", "duckdb.", "pl.") if lib in b}
    assert libraries == {"pd.", "duckdb.", "pl."}
    assert any('.unnest("related_links")' in b for b in nested)
    assert any("authors" in b for b in nested)


def test_the_replica_command_the_readme_names_takes_its_options() -> None:
    from tests.replica.__main__ import parse_args

    (block,) = [b for b in _blocks("sh") if "-m tests.replica" in b]
    serve = block.splitlines()[0].split("-m tests.replica", 1)[1].split()
    assert parse_args(serve).port == 8000
    for option in ("--theme classic", "--posts 3", "--edition 2", "--off feed,rest", "--port 0"):
        assert option.split()[0] in README
        parse_args(option.split())


def test_the_schema_table_is_the_schema() -> None:
    rows = re.findall(r"^\| `(\w+)` \| `([^`]+)` \| (yes|no) \|", README, flags=re.MULTILINE)
    assert rows == [(c.name, str(c.type), "yes" if c.nullable else "no") for c in COLUMNS]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = next(b for b in _blocks("sh") if "pytest" in b).strip()
    assert test_command in (REPO / ".ci" / "run").read_text()


@pytest.mark.slow  # a real crawl
def test_the_quick_start_crawls_the_replica_and_describes_the_archive(tmp_path: Path) -> None:
    quick_start = _blocks("sh")[0].strip()
    assert quick_start.endswith("-m tests.demo")
    result = subprocess.run(
        [sys.executable, "-m", "tests.demo", str(tmp_path / "data")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"archived 4\d posts by \d+ authors, published 20\d\d-\d\d-\d\d to", result.stdout
    )
    assert "top tags: " in result.stdout
    assert str(tmp_path / "data" / "materna" / "posts.parquet") in result.stdout


@pytest.mark.slow  # a real crawl
def test_the_report_command_runs_as_printed(replica_archive: Path) -> None:
    (command,) = [b.strip() for b in _blocks("sh") if " report " in b]
    bin_dir = str(Path(sys.executable).parent) + "/"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        command.replace(".venv/bin/", bin_dir).split(),
        cwd=replica_archive,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = (replica_archive / "report.html").read_text(encoding="utf-8")
    assert report.count("<svg") >= 5
    assert "Archive report: materna" in report
