"""Nightly re-crawls: cheap when nothing changed, exact when something did, history kept."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.replica import ReplicaServer, expected_posts
from tests.support.crawl import REPO, SCRAPY, read_posts, run_crawl
from tests.support.truth import mismatches

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

#: Requests an unchanged re-crawl may make: robots.txt (twice: Scrapy's check and
#: ours), the root, two sitemap indexes and their post sitemaps, the feed, the
#: REST posts and users: each a conditional request; plus three canary posts.
UNCHANGED_BUDGET = 15


@pytest.fixture(scope="module")
def first_crawl(
    replica_module: Callable[..., ReplicaServer], tmp_path_factory: pytest.TempPathFactory
) -> tuple[ReplicaServer, Path]:
    """The module's classic replica and the archive of one first crawl of it."""
    server = replica_module("classic")
    archive = tmp_path_factory.mktemp("first-crawl")
    result = run_crawl(archive, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    return server, archive


@pytest.fixture
def crawled_once(first_crawl: tuple[ReplicaServer, Path], tmp_path: Path) -> ReplicaServer:
    """The module's replica at edition 1 with an empty request log, and in ``tmp_path``
    a copy of its first crawl's archive (HTTP cache included): what a test crawls again."""
    server, archive = first_crawl
    server.config.edition = 1
    server.reset_requests()
    shutil.copytree(archive, tmp_path, dirs_exist_ok=True)
    return server


def _versions(archive: Path) -> list[dict]:
    return pq.read_table(archive / "materna" / "versions").to_pylist()


def _post_paths(server) -> set[str]:  # type: ignore[no-untyped-def]
    base = server.base_url.rstrip("/")
    return {row["url"].removeprefix(base) for row in expected_posts(server.base_url, server.config)}


def test_an_unchanged_blog_costs_a_handful_of_requests_and_adds_nothing(
    crawled_once: ReplicaServer, tmp_path: Path
) -> None:
    server = crawled_once
    before = _versions(tmp_path)
    server.reset_requests()
    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert _versions(tmp_path) == before
    assert len(server.requests) <= UNCHANGED_BUDGET
    canaries = {path for _, path, _ in server.requests} & _post_paths(server)
    assert len(canaries) == 3
    assert "45 unchanged" in result.stdout
    for line, row in zip(_summaries(result.stdout), _crawl_rows(tmp_path)[-1:], strict=True):
        assert _row_as_summary(row) == line
    assert [r["job"] for r in _crawl_rows(tmp_path)] == [None, None]  # not run by Scrapyd


def _crawl_rows(archive: Path) -> list[dict]:
    return pq.read_table(archive / "materna" / "crawls.parquet").to_pylist()


def _summaries(stdout: str) -> list[str]:
    """The numbers of the summary line: counts, requests, errors and coverage."""
    line = next(x for x in stdout.splitlines() if " posts fetched; " in x)
    return [line.split(": ", 1)[1]]


def _row_as_summary(row: dict) -> str:
    """A crawl-log row written out the way the summary line says the same numbers."""
    counts = ", ".join(
        f"{row[f'posts_{kind}']} {kind}"
        for kind in ("new", "changed", "relinked", "unchanged", "gone")
    )
    words = {"body_text": "body", "published_at": "published date"}
    cover = ", ".join(f"{words.get(k, k)} {v:.0%}" for k, v in row["coverage"]) or "n/a"
    errors = sum(v for _k, v in row["errors"])
    return (
        f"{row['posts_fetched']} posts fetched; {counts}; {row['requests']} requests,"
        f" {errors} errors; coverage: {cover}."
    )


def test_edition_two_adds_exactly_the_new_and_edited_posts_and_marks_the_removed_one(
    crawled_once: ReplicaServer, tmp_path: Path
) -> None:
    server = crawled_once
    first = {r["url"]: r for r in read_posts(tmp_path)}
    old_truth = {r["url"]: r for r in expected_posts(server.base_url, server.config)}
    server.config.edition = 2
    new_truth = {r["url"]: r for r in expected_posts(server.base_url, server.config)}
    server.reset_requests()
    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr

    added = new_truth.keys() - old_truth.keys()
    removed = old_truth.keys() - new_truth.keys()
    edited = {
        u
        for u in new_truth.keys() & old_truth.keys()
        if new_truth[u]["modified_at"] != old_truth[u]["modified_at"]
    }
    assert (len(added), len(removed), len(edited)) == (3, 1, 2)
    # The canaries are fetched again whatever the indexes say; a canary whose
    # page changed on the site (its previous/next neighbour is a new post) is a
    # new version too, rightly.
    base = server.base_url.rstrip("/")
    fetched_paths = {path for _, path, status in server.requests if status == 200}
    canaries = {base + p for p in fetched_paths & _post_paths(server)} - added - edited
    assert len(canaries) == 3
    moved = {u for u in canaries if new_truth[u] != old_truth[u]}
    first_crawl = next(iter(first.values()))["crawl_id"]
    new_rows = [r for r in _versions(tmp_path) if r["crawl_id"] != first_crawl]
    assert sorted(r["url"] for r in new_rows) == sorted(added | edited | moved)
    # a canary whose neighbours moved is a new version, but not an edit of its content
    changed = {r["url"]: set(r["changed_fields"]) for r in new_rows}
    assert all(changed[u] <= {"related_links", "comment_count"} for u in moved - edited)
    assert all(changed[u] - {"related_links", "comment_count"} for u in edited)
    row = _crawl_rows(tmp_path)[-1]
    assert (row["posts_changed"], row["posts_relinked"]) == (len(edited), len(moved - edited))

    posts = {r["url"]: r for r in read_posts(tmp_path)}
    fetched = added | edited | canaries
    assert mismatches([posts[u] for u in fetched], [new_truth[u] for u in fetched]) == []
    # The neighbours' previous/next links moved on the site without a new modified
    # date; a nightly crawl cannot see that, the weekly full crawl does.
    untouched = [u for u in new_truth if u not in fetched]
    stale_nav = [
        m
        for m in mismatches([posts[u] for u in untouched], [new_truth[u] for u in untouched])
        if " related_links: " not in m
    ]
    assert stale_nav == []
    (gone,) = removed
    assert posts[gone]["gone_at"] is not None
    assert all(posts[u]["gone_at"] is None for u in new_truth)
    history = [r for r in _versions(tmp_path) if r["url"] in edited]
    assert len(history) == 2 * len(edited)
    assert len(server.requests) <= UNCHANGED_BUDGET + len(added) + len(edited) + len(removed) + 4


def test_full_recrawl_fetches_every_post_again_and_adds_nothing(
    crawled_once: ReplicaServer, tmp_path: Path
) -> None:
    server = crawled_once
    before = _versions(tmp_path)
    server.reset_requests()
    result = run_crawl(tmp_path, "-a", "full=true", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert _versions(tmp_path) == before
    assert _post_paths(server) <= {path for _, path, _ in server.requests}


def test_weekly_full_crawl_after_edition_two_tells_edits_from_moved_navigation(
    crawled_once: ReplicaServer, tmp_path: Path
) -> None:
    server = crawled_once
    old_truth = {r["url"]: r for r in expected_posts(server.base_url, server.config)}
    server.config.edition = 2
    new_truth = {r["url"]: r for r in expected_posts(server.base_url, server.config)}
    result = run_crawl(tmp_path, "-a", "full=true", base_url=server.base_url)
    assert result.returncode == 0, result.stderr

    kept = new_truth.keys() & old_truth.keys()
    navigation = ("related_links", "comment_count")
    content = [f for f in new_truth[next(iter(kept))] if f not in navigation]
    edited = {u for u in kept if any(new_truth[u][f] != old_truth[u][f] for f in content)}
    relinked = {u for u in kept - edited if new_truth[u] != old_truth[u]}
    assert len(edited) == 2
    assert len(relinked) > 0
    row = _crawl_rows(tmp_path)[-1]
    assert (row["posts_changed"], row["posts_relinked"]) == (len(edited), len(relinked))
    second = [r for r in _versions(tmp_path) if r["crawl_id"] == row["crawl_id"]]
    by_url = {r["url"]: r for r in second}
    assert {u for u in by_url if by_url[u]["changed_fields"]} == edited | relinked
    assert all(set(by_url[u]["changed_fields"]) <= set(navigation) for u in relinked)


def test_rebuild_and_reextract_reproduce_the_live_crawl(
    replica_crawl: Path, tmp_path: Path
) -> None:
    shutil.copytree(replica_crawl, tmp_path, dirs_exist_ok=True)
    posts = tmp_path / "materna" / "posts.parquet"
    live = pq.read_table(posts)
    posts.unlink()
    rebuild = _scrapy("rebuild", "materna", tmp_path)
    assert rebuild.returncode == 0, rebuild.stderr
    assert pq.read_table(posts).equals(live)

    reextract = _scrapy("reextract", "materna", tmp_path)
    assert reextract.returncode == 0, reextract.stderr
    assert " 0 new, 0 changed, 0 relinked, 45 unchanged" in reextract.stdout
    assert pq.read_table(posts).equals(live)


def _scrapy(command: str, site: str, archive: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRAPY, command, site, "-s", f"ARCHIVE_DIR={archive}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
