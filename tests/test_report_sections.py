"""The report's newer sections and chart fixes against the archive, recomputed with
pandas: author activity, publishing cadence, removed posts, the link graph; integer
colour bars, "no errors", an unbroken coverage line."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from parsel import Selector

from pipelines.report import build_report
from pipelines.schema import CRAWL_SCHEMA
from tests.archive_factory import SyntheticArchive, write_archive
from tests.test_report import BERLIN, posts_frame, table


@pytest.fixture
def archive(report_archive: SyntheticArchive) -> SyntheticArchive:
    """The session's 400-post archive (``tests/conftest.py``), shared with the other
    report module; read only."""
    return report_archive


@pytest.fixture(scope="module")
def page(report_html: str) -> Selector:
    return Selector(text=report_html)


def test_author_activity_per_quarter_matches_archive(
    archive: SyntheticArchive, page: Selector
) -> None:
    frame = posts_frame(archive)
    local = frame["published_at"].dt.tz_convert(BERLIN)
    frame["quarter"] = (
        local.dt.year.astype(str) + "-Q" + ((local.dt.month - 1) // 3 + 1).astype(str)
    )
    frame["author"] = frame["authors"].map(lambda authors: sorted({a["name"] for a in authors}))
    expected = frame.explode("author").dropna(subset=["author"]).groupby(["author", "quarter"])
    counts = expected.size()
    header = page.css('table[data-table="author-activity"] thead th::text').getall()[1:]
    assert header[0] == frame["quarter"].min()
    rows = table(page, "author-activity")
    assert len(rows) == min(15, frame["author"].explode().nunique())
    for author, *cells in rows:
        for quarter, cell in zip(header, cells, strict=True):
            assert int(cell) == counts.get((author, quarter), 0)


def test_weekdays_and_gaps_match_archive(archive: SyntheticArchive, page: Selector) -> None:
    local = posts_frame(archive)["published_at"].dt.tz_convert(BERLIN)
    weekdays = local.dt.day_name().value_counts()
    assert {d: int(n) for d, n in table(page, "weekdays")} == {
        d: int(weekdays.get(d, 0))
        for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    }
    days = sorted(set(local.dt.date))
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    shown = {label: int(n) for label, n in table(page, "gaps")}
    assert sum(shown.values()) == len(gaps)
    assert shown["1 day"] == gaps.count(1)
    assert shown["≥91 days"] == sum(g >= 91 for g in gaps)
    assert f"longest {max(gaps)} days" in page.css("#gaps .note::text").get()


def test_removed_posts_are_listed_with_gone_at(archive: SyntheticArchive, page: Selector) -> None:
    gone = archive.posts.select(["url", "gone_at"]).to_pandas().dropna(subset=["gone_at"])
    assert len(gone) > 0
    rows = page.css('table[data-table="removed"] tbody tr')
    shown = {r.css("a::attr(href)").get(): r.css("td::text").get() for r in rows}
    assert shown == {
        u: f"{g.tz_convert(BERLIN):%Y-%m-%d}"
        for u, g in zip(gone["url"], gone["gone_at"], strict=False)
    }


def test_the_link_graph_lists_which_post_links_to_which(
    archive: SyntheticArchive, page: Selector
) -> None:
    rows = page.css('table[data-table="link-graph"] tbody tr')
    edges = {tuple(r.css("a::attr(href)").getall()) for r in rows}
    assert edges == archive.internal_links
    assert len(page.css("#link-graph svg")) == 1


def _tiny_archive(tmp_path: Path, errors: bool) -> Selector:
    """Three posts (a colour bar up to 1 post) and three crawls, the middle one without
    coverage (a canary-only crawl logged before coverage was kept for small crawls)."""
    archive = write_archive(tmp_path / "materna", posts=3, seed=5, with_crawls=False)
    start = datetime(2026, 1, 5, 3, 17, tzinfo=UTC)
    rows = [
        {
            "crawl_id": f"c{i}",
            "site": "materna",
            "started_at": start + timedelta(days=i),
            "finished_at": start + timedelta(days=i, minutes=1),
            "finish_reason": "finished",
            "exit_status": 0,
            "requests": 10,
            "bytes": 1000,
            "posts_new": 1,
            "posts_changed": 0,
            "posts_unchanged": 3,
            "posts_gone": 0,
            "errors": [("retry/reason_count/500", 2)] if errors and i == 1 else [],
            "coverage": coverage,
        }
        for i, coverage in enumerate(([("title", 1.0)], [], [("title", 0.9)]))
    ]
    table_ = pa.Table.from_pylist(rows, schema=CRAWL_SCHEMA)
    pq.write_table(table_, archive.site_dir / "crawls.parquet")
    return Selector(text=build_report(archive.site_dir, "materna"))


@pytest.fixture(scope="module")
def tiny_page(tmp_path_factory: pytest.TempPathFactory) -> Selector:
    """The report of the tiny archive without errors, built once for the tests that read it."""
    return _tiny_archive(tmp_path_factory.mktemp("tiny"), errors=False)


def test_colour_bars_count_whole_posts(tiny_page: Selector) -> None:
    page = tiny_page
    for name in ("tags-by-year", "author-activity"):
        texts = [t.strip() for t in page.css(f"#{name} svg text::text").getall()]
        assert not [t for t in texts if re.fullmatch(r"\d+\.\d+", t)], name


def test_no_errors_says_so_and_errors_are_drawn(tiny_page: Selector, tmp_path: Path) -> None:
    assert "no errors" in tiny_page.css("#crawl-health svg text::text").getall()
    failing = _tiny_archive(tmp_path / "failing", errors=True)
    assert "no errors" not in failing.css("#crawl-health svg text::text").getall()


def test_the_coverage_line_has_no_gap_for_a_crawl_without_coverage(tiny_page: Selector) -> None:
    page = tiny_page
    for line in ("coverage-mean", "coverage-min"):
        paths = page.css(f'#crawl-health g[id="crawl-health-{line}"] path::attr(d)').getall()
        assert paths, line
        assert paths[0].count("M") == 1, paths[0]
