"""The real ``scrapy crawl`` against a replica that misbehaves (``ReplicaConfig.faults``).

Each test switches one fault on and shows the crawl finishes, archives every
post it should and nothing it should not.  The replica's ground truth is
compared on the URL set plus the fields a fault could break (:data:`FIELDS`:
title, date, authors, body text), not every field: extraction details that no
fault touches are tested in test_crawl.py.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.replica import ReplicaServer, expected_posts, faults
from tests.replica.site import site_for
from tests.support.crawl import read_posts, run_crawl

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

#: The fields a network or encoding fault could break.
FIELDS = ("title", "published_at", "authors", "body_text")
#: Retries enough for a page that fails twice; stats dumped at INFO.
RETRYING = ("-s", "RETRY_TIMES=3", "-s", "LOG_LEVEL=INFO")


def crawl(server: ReplicaServer, archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_crawl(archive, *RETRYING, *args, base_url=server.base_url, timeout=120)


def expected_of(server: ReplicaServer) -> dict[str, dict[str, Any]]:
    return {row["url"]: row for row in expected_posts(server.base_url, server.config)}


def problems(
    rows: list[dict[str, Any]], expected: dict[str, dict[str, Any]], fields: tuple[str, ...]
) -> list[str]:
    """Missing and extra posts, duplicates, then wrong values of ``fields``."""
    got = {row["url"]: row for row in rows}
    found = [f"missing {url}" for url in expected.keys() - got.keys()]
    found += [f"extra {url}" for url in got.keys() - expected.keys()]
    found += ["duplicate rows"] if len(got) != len(rows) else []
    for url in sorted(expected.keys() & got.keys()):
        found += [
            f"{url} {name}: {got[url][name]!r} != {expected[url][name]!r}"
            for name in fields
            if got[url][name] != expected[url][name]
        ]
    return found


def stat(result: subprocess.CompletedProcess[str], key: str) -> int:
    """A counter from the stats Scrapy dumps at INFO when the crawl closes."""
    found = re.search(rf"'{re.escape(key)}': (\d+)", result.stderr)
    return int(found.group(1)) if found else 0


def victim_urls(server: ReplicaServer) -> list[str]:
    site = site_for(server.config.edition, server.config.n_posts)
    return [server.base_url + post.path for post in faults.victims(site)]


def assert_survived(server: ReplicaServer, archive: Path, result: Any) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert problems(read_posts(archive), expected_of(server), FIELDS) == []


@pytest.fixture
def faulty(replica: Callable[..., ReplicaServer]) -> Callable[..., ReplicaServer]:
    def start(*names: str) -> ReplicaServer:
        return replica("classic", faults=set(names))

    return start


def test_5xx_pages_are_retried_with_backoff_until_they_answer(faulty, tmp_path: Path) -> None:
    server = faulty("5xx")
    result = crawl(server, tmp_path)
    assert_survived(server, tmp_path, result)
    failed = [entry for entry in faults.log(server.config) if entry.status >= 500]
    assert {e.status for e in failed} == {500, 502}
    assert len({e.path for e in failed}) == len(victim_urls(server))
    for entry in failed:
        retry = next(
            e for e in faults.log(server.config) if e.path == entry.path and e.at > entry.at
        )
        # RETRY_BACKOFF_BASE is 1 s: the first retry waits 0.5–1 s, never at once.
        assert retry.at - entry.at >= 0.45


def test_a_page_slower_than_the_timeout_is_fetched_again(faulty, tmp_path: Path) -> None:
    server = faulty("timeout")
    result = crawl(server, tmp_path, "-s", "DOWNLOAD_TIMEOUT=1")
    assert_survived(server, tmp_path, result)
    assert stat(result, "retry/reason_count/scrapy.exceptions.DownloadTimeoutError") >= len(
        victim_urls(server)
    )


@pytest.mark.parametrize("fault", ["429", "503-retry-after"])
def test_retry_after_pauses_the_whole_host(faulty, tmp_path: Path, fault: str) -> None:
    server = faulty(fault)
    # The live default of two requests at a time: one other may be on the wire.
    result = crawl(server, tmp_path, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    assert_survived(server, tmp_path, result)
    log = faults.log(server.config)
    refused = [e for e in log if e.fault == fault]
    assert len(refused) == len(victim_urls(server))
    for entry in refused:
        # The request already on the wire may land late on a busy machine; past
        # it the host hears nothing until Retry-After (1 s) has passed.  An
        # unpaused crawl sends about 20 requests a second.
        quiet = [e for e in log if entry.at + 0.5 < e.at < entry.at + 0.9]
        assert len(quiet) <= 1, f"asked during the pause after {entry.path}: {quiet}"
        retry = next(e for e in log if e.path == entry.path and e.at > entry.at)
        assert retry.at - entry.at >= 0.95
        assert retry.status == 200


def test_a_connection_reset_mid_response_is_retried(faulty, tmp_path: Path) -> None:
    server = faulty("reset")
    result = crawl(server, tmp_path)
    assert_survived(server, tmp_path, result)
    assert sum(1 for e in faults.log(server.config) if e.fault == "reset") == len(
        victim_urls(server)
    )


def test_an_old_slug_is_archived_once_under_the_canonical_url(faulty, tmp_path: Path) -> None:
    server = faulty("old-slug")
    result = crawl(server, tmp_path)
    assert_survived(server, tmp_path, result)
    rows = {row["url"]: row for row in read_posts(tmp_path)}
    redirected = {e.path for e in faults.log(server.config) if e.status == 301}
    assert len(redirected) == len(victim_urls(server))
    for url in victim_urls(server):
        slug = url.rstrip("/").rsplit("/", 1)[1]
        old = f"{server.base_url}{faults.OLD_SLUG_PREFIX}{slug}/"
        assert rows[url]["aliases"] == [old]


def test_truncated_html_still_gives_title_date_and_authors(faulty, tmp_path: Path) -> None:
    server = faulty("truncated-html")
    result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {row["url"]: row for row in read_posts(tmp_path)}
    expected = expected_of(server)
    victims = set(victim_urls(server))
    intact = {url: row for url, row in expected.items() if url not in victims}
    assert problems([rows[u] for u in intact], intact, FIELDS) == []
    for url in victims:
        fields = ("title", "published_at", "authors")
        assert {f: rows[url][f] for f in fields} == {f: expected[url][f] for f in fields}
        first_words = " ".join(expected[url]["body_text"].split()[:8])
        assert rows[url]["body_text"].startswith(first_words)
        assert len(rows[url]["body_text"]) < len(expected[url]["body_text"])


@pytest.fixture(scope="module")
def latin1_crawl(replica_module, tmp_path_factory) -> tuple[ReplicaServer, dict[str, Any]]:
    server = replica_module("classic", faults={"latin1"})
    archive = tmp_path_factory.mktemp("latin1")
    result = crawl(server, archive)
    assert result.returncode == 0, result.stderr[-3000:]
    return server, {row["url"]: row for row in read_posts(archive)}


@pytest.mark.parametrize(
    "case",
    ["header", "meta", "wrong"],
)
def test_latin1_pages_keep_their_umlauts(latin1_crawl, case: str) -> None:
    server, rows = latin1_crawl
    expected = expected_of(server)
    posts = faults.latin1_cases(site_for(1, None))[case]
    assert posts
    for post in posts:
        url = server.base_url + post.path
        assert re.search("[äöüÄÖÜß]", expected[url]["body_text"])
        got = {f: rows[url][f] for f in ("title", "body_text")}
        assert got == {f: expected[url][f] for f in ("title", "body_text")}
    assert set(rows) == set(expected)


def test_gzip_responses_are_decoded(faulty, tmp_path: Path) -> None:
    server = faulty("gzip")
    result = crawl(server, tmp_path)
    assert_survived(server, tmp_path, result)
    zipped = {e.path for e in faults.log(server.config) if e.fault == "gzip"}
    assert len(zipped) >= len(expected_of(server))


def test_a_huge_page_is_dropped_and_counted_and_the_rest_archived(faulty, tmp_path: Path) -> None:
    server = faulty("huge")
    result = crawl(server, tmp_path, "-s", "DOWNLOAD_MAXSIZE=1000000")
    assert result.returncode == 0, result.stderr[-3000:]
    huge = server.base_url + faults.huge_post(site_for(1, None)).path
    expected = expected_of(server)
    del expected[huge]
    assert problems(read_posts(tmp_path), expected, FIELDS) == []
    assert stat(result, "crawl/skipped/too_large") >= 1


def test_links_to_pdf_png_and_json_are_skipped_and_counted(faulty, tmp_path: Path) -> None:
    server = faulty("not-html")
    result = crawl(server, tmp_path)
    assert_survived(server, tmp_path, result)
    asked = {e.path.strip("/") + "/" for e in faults.log(server.config) if e.fault == "not-html"}
    assert set(faults.NOT_HTML) <= asked
    assert stat(result, "crawl/skipped/not_html") >= len(faults.NOT_HTML)


def test_an_unknown_theme_fails_the_crawl_naming_the_field(faulty, tmp_path: Path) -> None:
    server = faulty("unknown-theme")
    result = crawl(server, tmp_path)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ")
    assert re.search(r"\b(authors|tags)\b", last), last


def test_a_degraded_theme_after_a_good_crawl_leaves_posts_parquet_alone(
    faulty, tmp_path: Path
) -> None:
    server = faulty()
    assert crawl(server, tmp_path).returncode == 0
    posts = tmp_path / "materna" / "posts.parquet"
    before = posts.read_bytes()
    server.config.faults = {"unknown-theme"}
    # An incremental crawl fetches no unchanged post, so it cannot see a new theme.
    result = crawl(server, tmp_path, "-a", "full=true")
    assert result.returncode != 0
    assert re.search(r"\b(authors|tags)\b", result.stderr.strip().splitlines()[-1])
    assert posts.read_bytes() == before
