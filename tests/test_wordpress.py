"""End to end against a real WordPress (Debian's 6.1, its three default themes, German
language files, MariaDB): the real ``scrapy crawl``, every field compared with what
WordPress itself says (``tests/wordpress``)."""

from __future__ import annotations

import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support.crawl import REPO, SCRAPY, read_posts, run_crawl
from tests.wordpress import PERMALINKS, WordPress
from tests.wordpress.truth import expected_posts, mismatches

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow


def _crawl(wordpress: WordPress, archive: Path, theme: str, variant: str = "") -> None:
    site = wordpress.site(theme, variant)
    result = run_crawl(archive, "-a", "site=wp", spider="wordpress", base_url=site.base_url)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def crawled(
    wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], Path]:
    """``crawled(theme, variant)``: the archive folder of one crawl of that site, made
    on first use and shared by the module's tests, which only read it or copy it."""
    archives: dict[tuple[str, str], Path] = {}

    def archive(theme: str, variant: str = "") -> Path:
        if (theme, variant) not in archives:
            folder = tmp_path_factory.mktemp(f"wp-{theme}-{variant or 'default'}")
            _crawl(wordpress, folder, theme, variant)
            archives[theme, variant] = folder
        return archives[theme, variant]

    return archive


def _copy_of(archive: Path, tmp_path: Path) -> Path:
    """A copy of a shared crawl's archive, for a test that writes to it."""
    return Path(shutil.copytree(archive, tmp_path / "archive"))


@pytest.mark.parametrize("theme", sorted(PERMALINKS))
def test_every_field_is_right_on_each_default_theme(
    wordpress: WordPress, crawled: Callable[[str, str], Path], theme: str
) -> None:
    rows = read_posts(crawled(theme, ""), site="wp")
    truth = wordpress.site(theme).truth
    problems = mismatches(rows, expected_posts(truth, theme))
    assert problems == [], "\n".join(problems[:40])
    assert not {r["url"] for r in rows} & set(truth["non_posts"])


@pytest.mark.parametrize("variant", ["rest-private", "sitemap-only"])
def test_without_the_rest_api_the_same_fields_come_from_the_pages(
    wordpress: WordPress, crawled: Callable[[str, str], Path], variant: str
) -> None:
    site = wordpress.site("twentytwentyone", variant)
    assert _status(site.base_url + "wp-json/wp/v2/posts") == 401
    assert _status(site.base_url + "feed/") == (404 if variant == "sitemap-only" else 200)
    rows = read_posts(crawled("twentytwentyone", variant), site="wp")
    truth = site.truth
    problems = mismatches(rows, expected_posts(truth, "twentytwentyone", rest=False))
    assert problems == [], "\n".join(problems[:40])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_fixture_holds_what_the_tests_rely_on(wordpress: WordPress) -> None:
    """The content WordPress stored has every case the crawl tests are meant to cover."""
    posts = wordpress.site("twentytwentyone").truth["posts"]
    assert len(posts) == 40
    assert sum(p["modified_at"] != p["published_at"] for p in posts) >= 5
    assert any(p["comment_count"] >= 5 for p in posts)  # three comments and two replies
    assert any(p["old_slugs"] for p in posts)
    assert any(not p["tags"] for p in posts)
    assert any("&" in (p["author"]["bio"] or "") for p in posts)
    assert any(not p["author"]["bio"] for p in posts)
    assert any("’" in p["title"] for p in posts)


@pytest.mark.parametrize(
    ("theme", "variant"),
    [("twentytwentytwo", ""), ("twentytwentyone", "rest-private")],
    ids=["bios-and-dates-from-rest", "bios-from-author-archives"],
)
def test_reextract_gives_the_rows_the_crawl_gave(
    crawled: Callable[[str, str], Path], tmp_path: Path, theme: str, variant: str
) -> None:
    """What a post took from the REST API or an author archive is recorded in its WARC,
    so re-extraction offline completes it the same way: no version changes."""
    archive = _copy_of(crawled(theme, variant), tmp_path)
    before = pq.read_table(archive / "wp" / "versions").sort_by("url")
    result = subprocess.run(
        [SCRAPY, "reextract", "wp", "-s", f"ARCHIVE_DIR={archive}"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # without the API, each author archive a bio came from is archived beside the posts
    archives = {a["url"] for r in before.to_pylist() for a in r["authors"]} if variant else ()
    assert f"{40 + len(archives)} pages, 0 new, 0 changed" in result.stdout
    assert f"{len(archives)} not posts" in result.stdout
    assert pq.read_table(archive / "wp" / "versions").sort_by("url").equals(before)


def test_a_nightly_crawl_of_an_unchanged_blog_adds_no_version(
    wordpress: WordPress, crawled: Callable[[str, str], Path], tmp_path: Path
) -> None:
    """The incremental crawl asks the REST API only for posts modified lately, yet its
    canaries, fetched again, keep what the API said of them: no spurious new versions."""
    archive = _copy_of(crawled("twentytwentytwo", ""), tmp_path)
    site = wordpress.site("twentytwentytwo")
    result = run_crawl(archive, "-a", "site=wp", spider="wordpress", base_url=site.base_url)
    assert result.returncode == 0, result.stderr
    assert "0 new, 0 changed" in result.stdout
    assert pq.read_table(archive / "wp" / "versions").num_rows == 40
    assert pq.read_table(archive / "wp" / "crawls.parquet").num_rows == 2
