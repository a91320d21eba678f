"""The report's numbers against the archive, recomputed here with pandas; edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from parsel import Selector

from pipelines.report import build_report, write_report
from pipelines.schema import POST_SCHEMA
from tests.archive_factory import SyntheticArchive, write_archive

BERLIN = "Europe/Berlin"
SECTIONS = (
    "posts-per-month",
    "words",
    "top-tags",
    "tags-by-year",
    "top-categories",
    "categories-by-year",
    "top-authors",
    "author-activity",
    "weekdays",
    "gaps",
    "most-linked",
    "link-graph",
    "edits",
    "most-edited",
    "crawl-health",
    "latest",
    "removed",
)


@pytest.fixture
def archive(report_archive: SyntheticArchive) -> SyntheticArchive:
    """The session's 400-post archive (``tests/conftest.py``), shared with the other
    report module; read only."""
    return report_archive


@pytest.fixture(scope="module")
def page(report_html: str) -> Selector:
    return Selector(text=report_html)


def table(page: Selector, name: str) -> list[list[str]]:
    rows = page.css(f'table[data-table="{name}"] tbody tr')
    return [[" ".join(td.css("::text").getall()) for td in row.css("td")] for row in rows]


def posts_frame(archive: SyntheticArchive) -> pd.DataFrame:
    return archive.posts.select(
        ["url", "published_at", "tags", "categories", "authors", "word_count"]
    ).to_pandas()


def local_month(series: pd.Series) -> pd.Series:
    return series.dt.tz_convert(BERLIN).dt.strftime("%Y-%m")


def top_counts(frame: pd.DataFrame, column: str) -> dict[str, int]:
    exploded = frame[["url", column]].explode(column).dropna().drop_duplicates()
    return exploded[column].value_counts().to_dict()


def test_posts_per_month_match_archive(archive: SyntheticArchive, page: Selector) -> None:
    expected = local_month(posts_frame(archive)["published_at"]).value_counts()
    shown = {month: int(n) for month, n in table(page, "posts-per-month")}
    assert {m: n for m, n in shown.items() if n} == expected.to_dict()
    every_month = pd.period_range(min(expected.index), max(expected.index), freq="M")
    assert list(shown) == [str(p) for p in every_month]


def test_date_only_post_on_the_first_counts_in_its_berlin_month(archive: SyntheticArchive) -> None:
    frame = posts_frame(archive)
    utc_month = frame["published_at"].dt.strftime("%Y-%m")
    assert (utc_month != local_month(frame["published_at"])).any(), "factory lost its edge case"


@pytest.mark.parametrize(
    ("name", "column"), [("top-tags", "tags"), ("top-categories", "categories")]
)
def test_top_terms_match_archive(
    archive: SyntheticArchive, page: Selector, name: str, column: str
) -> None:
    counts = top_counts(posts_frame(archive), column)
    shown = [(term, int(n)) for term, n in table(page, name)]
    assert len(shown) == min(15, len(counts))
    assert all(counts[term] == n for term, n in shown)
    assert [n for _t, n in shown] == sorted(counts.values(), reverse=True)[: len(shown)]


def test_terms_by_year_match_archive(archive: SyntheticArchive, page: Selector) -> None:
    frame = posts_frame(archive)
    frame["year"] = frame["published_at"].dt.tz_convert(BERLIN).dt.year
    exploded = frame[["url", "year", "tags"]].explode("tags").dropna().drop_duplicates()
    expected = exploded.groupby(["tags", "year"]).size()
    header = page.css('table[data-table="tags-by-year"] thead th::text').getall()
    for tag, *cells in table(page, "tags-by-year"):
        for year, cell in zip(header[1:], cells, strict=True):
            assert int(cell) == expected.get((tag, int(year)), 0)


def test_authors_match_archive(archive: SyntheticArchive, page: Selector) -> None:
    frame = posts_frame(archive)
    frame["names"] = frame["authors"].map(lambda authors: [a["name"] for a in authors])
    counts = top_counts(frame, "names")
    shown = [(author, int(n)) for author, n in table(page, "top-authors")]
    assert "Jürgen Müller" in dict(shown)
    assert all(counts[author] == n for author, n in shown)
    assert [n for _a, n in shown] == sorted(counts.values(), reverse=True)[:15]


def test_most_linked_match_generated_links(archive: SyntheticArchive, page: Selector) -> None:
    incoming = pd.Series([target for _source, target in archive.internal_links]).value_counts()
    shown = [(url, int(n)) for _title, url, n in table(page, "most-linked")]
    assert len(shown) == 15
    assert all(incoming[url] == n for url, n in shown)
    assert [n for _u, n in shown] == list(incoming.sort_values(ascending=False)[:15])


def test_words_per_year_match_archive(archive: SyntheticArchive, page: Selector) -> None:
    frame = posts_frame(archive)
    yearly = frame.groupby(frame["published_at"].dt.tz_convert(BERLIN).dt.year)["word_count"]
    shown = {int(row[0]): (int(row[1]), float(row[3])) for row in table(page, "words")}
    assert shown == {y: (len(v), round(float(v.median()), 1)) for y, v in yearly}


def test_edits_match_history(archive: SyntheticArchive, page: Selector) -> None:
    assert archive.versions is not None
    versions = archive.versions.select(["url", "fetched_at", "changed_fields"]).to_pandas()
    versions["month"] = local_month(versions["fetched_at"])
    later = versions.groupby("url")["fetched_at"].rank(method="first") > 1
    navigation = versions["changed_fields"].map(lambda f: list(f) == ["related_links"])
    assert navigation.any()
    versions["edit"] = later & ~navigation  # a moved related-posts box is not an edit
    expected = versions.groupby("month")["edit"].agg(["size", "sum"])
    shown = {m: (int(v), int(e)) for m, v, e in table(page, "edits")}
    assert {m: ve for m, ve in shown.items() if ve[0]} == {
        m: (int(r["size"]), int(r["sum"])) for m, r in expected.iterrows()
    }
    edits = versions.groupby("url")["edit"].sum()
    assert all(edits[url] == int(n) for _t, url, n in table(page, "most-edited"))


def test_temp_files_in_versions_are_ignored(archive: SyntheticArchive, page: Selector) -> None:
    assert archive.versions is not None
    assert any(p.name.startswith("_") for p in (archive.site_dir / "versions").iterdir())
    metric = page.css('[data-metric="versions"]::attr(data-value)').get()
    assert int(metric) == archive.versions.num_rows


def test_crawl_health_matches_log(archive: SyntheticArchive, page: Selector) -> None:
    assert archive.crawls is not None
    crawls = archive.crawls.to_pylist()
    shown = table(page, "crawl-health")
    assert [row[0] for row in shown] == [c["crawl_id"] for c in crawls]
    assert [int(row[3]) for row in shown] == [c["posts_new"] for c in crawls]
    assert [int(row[7]) for row in shown] == [sum(v for _k, v in c["errors"]) for c in crawls]
    assert [float(row[9]) for row in shown] == [
        round(min(v for _k, v in c["coverage"]), 3) for c in crawls
    ]


def test_headline_numbers(archive: SyntheticArchive, page: Selector) -> None:
    frame = posts_frame(archive)
    value = {m.attrib["data-metric"]: m.attrib["data-value"] for m in page.css("[data-metric]")}
    assert int(value["posts"]) == len(frame)
    assert int(value["tags"]) == frame["tags"].explode().nunique()
    first, last = frame["published_at"].dt.tz_convert(BERLIN).agg(["min", "max"])
    assert value["date-range"] == f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"


def test_latest_posts_are_newest_first_with_links(
    archive: SyntheticArchive, page: Selector
) -> None:
    newest = posts_frame(archive).sort_values("published_at", ascending=False).head(20)
    links = page.css('table[data-table="latest"] tbody tr a::attr(href)').getall()
    assert links == list(newest["url"])


def test_every_section_is_shown_for_a_full_archive(page: Selector) -> None:
    status = {s.attrib["id"]: s.attrib["data-status"] for s in page.css("section")}
    assert status == dict.fromkeys(SECTIONS, "shown")
    assert page.css("section figure svg").getall()


def test_report_is_self_contained_and_deterministic(
    archive: SyntheticArchive, report_html: str
) -> None:
    html = build_report(archive.site_dir, "materna")  # the same archive, another folder
    assert html == report_html
    assert not re.search(r"<script|<link|<img|<iframe|@import|\bsrc=", html, re.IGNORECASE)
    assert not re.search(r"url\((?!#)", html)
    assert "Künstliche Intelligenz" in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_empty_site_dir_says_what_it_cannot_show(tmp_path: Path) -> None:
    site_dir = tmp_path / "materna"
    site_dir.mkdir()
    missing = write_report(site_dir, "materna", tmp_path / "out" / "report.html")
    assert len(missing) == len(SECTIONS)
    assert all("\n" not in line for line in missing)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count('data-status="missing"') == len(SECTIONS)
    assert all(line in html for line in missing)
    assert list((tmp_path / "out").iterdir()) == [tmp_path / "out" / "report.html"]


def test_zero_row_archive_builds(tmp_path: Path) -> None:
    pq.write_table(POST_SCHEMA.empty_table(), tmp_path / "posts.parquet")
    missing = write_report(tmp_path, "materna", tmp_path / "report.html")
    assert "Posts per month: no posts in the archive" in missing
    assert 'data-value="0"' in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_single_post(tmp_path: Path) -> None:
    archive = write_archive(
        tmp_path / "materna", posts=1, seed=2, with_history=False, with_crawls=False
    )
    missing = write_report(archive.site_dir, "materna", tmp_path / "report.html")
    page = Selector(text=(tmp_path / "report.html").read_text(encoding="utf-8"))
    assert table(page, "posts-per-month") == [
        [local_month(posts_frame(archive)["published_at"])[0], "1"]
    ]
    assert {
        "Most-linked posts: no post links to another archived post",
        "Versions per month: no version history in the archive (versions/ is absent or empty)",
        "Crawl health: no crawl log in the archive (crawls.parquet is absent or empty)",
    } <= set(missing)
    assert len(table(page, "latest")) == 1


def test_archive_from_an_older_schema_reads_missing_columns_as_empty(tmp_path: Path) -> None:
    old = pa.table(
        {
            "url": ["https://blog.example.de/a/"],
            "title": ["Älter"],
            "published_at": pa.array(
                [pd.Timestamp("2015-03-01", tz="UTC")], type=pa.timestamp("us", tz="UTC")
            ),
        }
    )
    pq.write_table(old, tmp_path / "posts.parquet")
    page = Selector(text=build_report(tmp_path, "materna"))
    assert table(page, "posts-per-month") == [["2015-03", "1"]]
    assert page.css("#top-tags .missing::text").get() == "Top tags: no post has a tag"


def test_missing_site_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        build_report(tmp_path / "nope", "nope")


@pytest.mark.slow
def test_ten_thousand_posts_stay_readable(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "materna", posts=10_000, seed=3)
    html = build_report(archive.site_dir, "materna")
    page = Selector(text=html)
    for name in ("top-tags", "most-linked", "most-edited"):
        assert len(table(page, name)) == 15
    assert len(table(page, "latest")) == 20
    assert len(page.css("#tags-by-year svg text").getall()) < 600
    assert len(html.encode()) < 2_000_000
