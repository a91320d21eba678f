"""The fleet report (``scrapy report --fleet``) on three small archives: every number
recomputed with DuckDB from the blogs' ``posts.parquet`` files read as one dataset."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from parsel import Selector

from pipelines.report import build_fleet_report, write_fleet_report
from pipelines.report.archive import Post
from pipelines.report.fleet import Blog, tags_across
from tests.archive_factory import write_archive
from tests.test_report import table
from tests.test_report_command import project, scrapy  # noqa: F401 - project is a fixture

duckdb = pytest.importorskip("duckdb")

#: name, posts, seed, first and last year: gamma stopped posting long ago
BLOGS = (("alpha", 80, 1, 2012, 2024), ("beta", 40, 2, 2020, 2024), ("gamma", 15, 3, 2012, 2016))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fleet")
    for name, posts, seed, first, last in BLOGS:
        write_archive(root / name, posts=posts, seed=seed, start_year=first, end_year=last)
    (root / ".hidden").mkdir()  # not a blog, nor is a folder without archive files
    (root / "notes").mkdir()
    return root


@pytest.fixture(scope="module")
def page(fleet: Path) -> Selector:
    return Selector(text=build_fleet_report(fleet))


def sql(fleet: Path, query: str) -> list[tuple]:
    every = f"read_parquet('{fleet}/*/posts.parquet')"
    rows: list[tuple] = duckdb.sql(f"SET TimeZone = 'UTC'; {query.format(posts=every)}").fetchall()
    return rows


def test_every_section_is_shown_with_its_table(page: Selector) -> None:
    for section in ("blog-months", "most-active", "shared-tags"):
        shown = page.css(f'section[id="{section}"]')
        assert shown.attrib["data-status"] == "shown"
        assert shown.css("figure svg")
        assert shown.css(f'table[data-table="{section}"]')
    assert page.css('[data-metric="blogs"]').attrib["data-value"] == "3"
    assert page.css('[data-metric="posts"]').attrib["data-value"] == str(sum(b[1] for b in BLOGS))
    assert "default-src 'none'" in page.css("meta[http-equiv]").attrib["content"]


def test_posts_per_blog_per_month_match_the_archives(fleet: Path, page: Selector) -> None:
    expected = sql(
        fleet,
        """SELECT site, strftime(published_at AT TIME ZONE 'Europe/Berlin', '%Y-%m') AS m,
           count(*) FROM {posts} GROUP BY site, m ORDER BY site, m""",
    )
    assert [(b, m, int(n)) for b, m, n in table(page, "blog-months")] == expected


def test_the_most_active_blogs_posted_most_in_the_last_twelve_months(
    fleet: Path, page: Selector
) -> None:
    ((last,),) = sql(fleet, "SELECT max(published_at AT TIME ZONE 'Europe/Berlin') FROM {posts}")
    since = datetime(last.year - 1, last.month, 1) if last.month < 12 else datetime(last.year, 1, 1)
    if last.month < 12:
        since = since.replace(month=last.month + 1)
    recent = sql(
        fleet,
        f"""SELECT site, count(*) FILTER (WHERE published_at AT TIME ZONE 'Europe/Berlin'
           >= TIMESTAMP '{since:%Y-%m-%d}'), count(*) FROM {{posts}} GROUP BY site""",
    )
    expected = sorted(((s, n, total) for s, n, total in recent), key=lambda r: (-r[1], r[0]))
    shown = [(b, int(n), int(total)) for b, n, total, *_dates in table(page, "most-active")]
    assert shown == expected
    assert shown[-1][:2] == ("gamma", 0)


def test_shared_tags_are_those_of_more_than_one_blog(fleet: Path, page: Selector) -> None:
    expected = sql(
        fleet,
        """SELECT lower(tag), count(DISTINCT site), count(DISTINCT (site, url))
           FROM (SELECT site, url, unnest(tags) AS tag FROM {posts})
           GROUP BY lower(tag) HAVING count(DISTINCT site) > 1""",
    )
    shown = [(t.lower(), int(b), int(n)) for t, b, n, _users in table(page, "shared-tags")]
    assert sorted(shown) == sorted(expected)
    assert [(b, n) for _t, b, n in shown] == sorted(((b, n) for _t, b, n in shown), reverse=True)


def _post(url: str, *tags: str) -> Post:
    published = datetime(2024, 5, 1, tzinfo=UTC)
    return Post(url, url, published, (), tags, (), 100, (), (), False, published)


def test_tags_are_shared_ignoring_case_and_shown_as_most_often_spelt() -> None:
    blogs = (
        Blog("a", (_post("a1", "Cloud", "Nur hier"), _post("a2", "Cloud", "Nur hier"))),
        Blog("b", (_post("b1", "cloud", "KI"),)),
        Blog("c", (_post("c1", "KI", "ki"),)),
    )
    shared = [(s.tag, s.blogs, s.posts) for s in tags_across(blogs)]
    assert shared == [("Cloud", ("a", "b"), 3), ("KI", ("b", "c"), 2)]


@pytest.mark.parametrize(
    ("blogs", "missing"),
    [
        ((), {"blog-months", "most-active", "shared-tags"}),
        ((("solo", 20, 5, 2020, 2024),), {"shared-tags"}),
    ],
)
def test_a_section_that_cannot_be_shown_says_why_in_one_line(
    tmp_path: Path, blogs: tuple, missing: set[str]
) -> None:
    for name, posts, seed, first, last in blogs:
        write_archive(tmp_path / name, posts=posts, seed=seed, start_year=first, end_year=last)
    lines = write_fleet_report(tmp_path, tmp_path / "out.html")
    page = Selector(text=(tmp_path / "out.html").read_text(encoding="utf-8"))
    assert {s.attrib["id"] for s in page.css('section[data-status="missing"]')} == missing
    reason = "no blog archives in the archive folder" if not blogs else "only one blog"
    assert all(reason in line for line in lines)
    assert len(lines) == len(missing)


@pytest.mark.slow
def test_the_command_reports_the_fleet(project: Path) -> None:  # noqa: F811
    for name, posts, seed, first, last in BLOGS[:2]:
        write_archive(
            project / "archive" / name, posts=posts, seed=seed, start_year=first, end_year=last
        )
    result = scrapy(project, "--fleet", "-o", "fleet.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Wrote fleet.html"]
    assert "Archive report: 2 blogs" in (project / "fleet.html").read_text(encoding="utf-8")
    assert scrapy(project, "--fleet", "alpha").returncode == 2  # a site and --fleet: usage error
    missing = scrapy(project, "--fleet", "-s", "ARCHIVE_DIR=nowhere")
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        "report: no archive folder at nowhere",
    )
