"""The README is the user's manual: its examples run as printed, its facts hold."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from parsel import Selector

from pipelines.schema import COLUMNS
from tests.support.crawl import REPO, run_crawl

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.fixture(scope="module")
def replica_archive(replica_module, tmp_path_factory) -> Path:
    """A folder holding ``data/materna`` and ``data/example``, from real crawls of two
    replica blogs (the second as a fleet crawls a blog: ``wordpress -a site=…``)."""
    root = tmp_path_factory.mktemp("readme")
    server = replica_module("classic")
    result = run_crawl(root / "data", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    other = replica_module("block")
    result = run_crawl(
        root / "data", "-a", "site=example", spider="wordpress", base_url=other.base_url
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def examples(replica_archive: Path) -> tuple[dict[str, Any], str]:
    """Every Python example run in order, in the archive's folder: (names, printed)."""
    namespace: dict[str, Any] = {}
    output = io.StringIO()
    cwd = Path.cwd()
    os.chdir(replica_archive)
    try:
        with contextlib.redirect_stdout(output):
            for block in _blocks("python"):
                exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(cwd)
    return namespace, output.getvalue()


def test_every_python_example_runs_as_printed(examples: tuple[dict[str, Any], str]) -> None:
    assert len(_blocks("python")) >= 5
    printed = examples[1]
    assert "Dortmund: Eine Region digitalisiert sich" in printed or "Digitalisierung" in printed
    assert "warc" not in printed.lower() or "http" in printed


def _posts_by_site(replica_archive: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        path.parent.name: pq.read_table(path, columns=["site", "tags"]).to_pylist()
        for path in (replica_archive / "data").glob("*/posts.parquet")
    }


def test_the_examples_across_blogs_read_every_blog(
    replica_archive: Path, examples: tuple[dict[str, Any], str]
) -> None:
    names, _ = examples
    by_site = _posts_by_site(replica_archive)
    assert sorted(by_site) == ["example", "materna"]
    for site, rows in by_site.items():  # each crawl wrote its blog's name in every row
        assert {r["site"] for r in rows} == {site}
    counts = {site: len(rows) for site, rows in by_site.items()}
    assert {site: posts for site, posts, _latest in names["per_blog"]} == counts
    months = names["per_month_pl"].group_by("site").agg(names["pl"].col("len").sum())
    assert dict(months.iter_rows()) == counts
    tags = [{t for r in rows for t in r["tags"]} for rows in by_site.values()]
    shared = names["shared_pl"]
    both = sorted(set.intersection(*tags))
    assert both, "the two replica blogs share no tag: nothing to check"
    assert shared["tags"].to_list() == both
    assert {tuple(b) for b in shared["blogs"].to_list()} <= {("example", "materna")}


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


def _run_readme_command(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent) + "/"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        command.replace(".venv/bin/", bin_dir).split(),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_fleet_report_command_runs_as_printed(replica_archive: Path) -> None:
    (command,) = [b.strip() for b in _blocks("sh") if " report --fleet" in b]
    result = _run_readme_command(command, replica_archive)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Wrote fleet.html"]
    page = Selector(text=(replica_archive / "fleet.html").read_text(encoding="utf-8"))
    assert page.css("h1::text").get() == "Archive report: 2 blogs"
    counts = {site: len(rows) for site, rows in _posts_by_site(replica_archive).items()}
    active = page.css('table[data-table="most-active"] tbody tr')
    assert {r.css("td::text").getall()[0]: int(r.css("td::text").getall()[2]) for r in active} == (
        counts
    )


def test_the_report_command_runs_as_printed(replica_archive: Path) -> None:
    (command,) = [b.strip() for b in _blocks("sh") if " report " in b and "--fleet" not in b]
    result = _run_readme_command(command, replica_archive)
    assert result.returncode == 0, result.stderr
    report = (replica_archive / "report.html").read_text(encoding="utf-8")
    assert report.count("<svg") >= 5
    assert "Archive report: materna" in report
