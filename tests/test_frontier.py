"""The frontier's policies, on plain data: what is asked for once, what waits, which
listings a full crawl reads at the end, what is checked again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.discovery import Found
from crawler.frontier import Frontier
from crawler.recrawl import RecrawlPlan
from pipelines.archive.posts import KnownPost

BASE = "https://blog.example.de/"
HOME_LISTING = BASE + "page/2/"
ARCHIVE = BASE + "category/cloud/"


def _known(url: str, modified: datetime | None = None, gone: bool = False) -> KnownPost:
    return KnownPost(url, None, modified, datetime(2024, 1, 1, tzinfo=UTC), "h", gone)


def test_an_index_s_posts_wait_in_the_backlog_once_each() -> None:
    frontier = Frontier(BASE, RecrawlPlan({}, full=True))
    named = [Found(BASE + "a/"), Found(BASE + "b/"), Found("https://other.example/c/")]
    assert frontier.offer(named, "sitemap") == 2
    assert frontier.offer([Found(BASE + "a/")], "rest") == 0  # asked for already
    assert [item.url for item, _ in frontier.next_batch(1)] == [BASE + "a/"]
    assert [item.url for item, _ in frontier.next_batch(5)] == [BASE + "b/"]


def test_links_are_followed_once_and_listings_wait_for_the_end() -> None:
    frontier = Frontier(BASE, RecrawlPlan({}, full=True))
    links = [BASE + "a/", ARCHIVE, HOME_LISTING, BASE + "wp-login.php", "https://x.example/"]
    assert frontier.follow(links) == ([BASE + "a/"], [])
    assert frontier.deferred == [ARCHIVE, HOME_LISTING]
    assert frontier.follow(links) == ([], [])


@pytest.mark.parametrize(
    ("rest", "sitemap", "failed", "read", "reading_all"),
    [
        (True, True, False, [], False),  # the API lists every published post
        (False, True, False, [HOME_LISTING], False),  # a sitemap may leave posts out
        (False, True, True, [ARCHIVE, HOME_LISTING], True),  # a sitemap failed
        (False, False, False, [ARCHIVE, HOME_LISTING], True),  # no index at all
    ],
    ids=["rest", "sitemap", "sitemap-failed", "none"],
)
def test_which_listings_a_full_crawl_reads_at_the_end(
    rest: bool, sitemap: bool, failed: bool, read: list[str], reading_all: bool
) -> None:
    frontier = Frontier(BASE, RecrawlPlan({}, full=True))
    frontier.follow([ARCHIVE, HOME_LISTING])
    frontier.rest_listed, frontier.index_failed = rest, failed
    if sitemap:
        frontier.indexed.add(BASE + "a/")
    assert frontier.listings_at_end() == (read, 2 - len(read))
    assert frontier.reading_archives is reading_all


def test_rechecks_and_canaries_of_an_incremental_crawl() -> None:
    known = {
        BASE + "listed/": _known(BASE + "listed/", datetime(2024, 3, 1, tzinfo=UTC)),
        BASE + "unlisted/": _known(BASE + "unlisted/", datetime(2024, 2, 1, tzinfo=UTC)),
        BASE + "gone/": _known(BASE + "gone/", gone=True),
    }
    frontier = Frontier(BASE, RecrawlPlan(known, full=False))
    assert frontier.rechecks() == []  # no complete index: nothing to conclude from
    frontier.indexed.add(BASE + "listed/")
    assert frontier.rechecks() == [BASE + "unlisted/"]
    frontier.yielded.add(BASE + "listed/")
    assert frontier.canaries(3) == [BASE + "unlisted/"]


def test_the_end_stages_come_in_order_and_each_once() -> None:
    known = {BASE + "old/": _known(BASE + "old/", datetime(2024, 3, 1, tzinfo=UTC))}
    frontier = Frontier(BASE, RecrawlPlan(known, full=True))
    frontier.follow([ARCHIVE, BASE + "page/3/"])
    first = frontier.at_end(canaries=2)
    assert first is not None
    assert first.requests == [(ARCHIVE, "listing"), (BASE + "page/3/", "listing")]
    # no index: from now on the listings' listings are read at once
    assert frontier.follow([ARCHIVE, HOME_LISTING]) == ([], [HOME_LISTING])
    last = frontier.at_end(canaries=2)
    assert last is not None  # nothing listed the archived post: checked again
    assert (last.requests, last.counts) == (
        [(BASE + "old/", "recheck")],
        {"discovery/rechecked": 1},
    )
    assert frontier.at_end(canaries=2) is None


def test_an_incremental_crawl_no_index_answered_reads_the_home_page_links() -> None:
    known = {BASE + "old/": _known(BASE + "old/", datetime(2024, 3, 1, tzinfo=UTC))}
    frontier = Frontier(BASE, RecrawlPlan(known, full=False))
    frontier.root_links = [BASE + "new/", BASE + "old/", HOME_LISTING]
    stage = frontier.at_end(canaries=1)
    assert stage is not None
    assert stage.requests == [
        (BASE + "new/", "link"),
        (HOME_LISTING, "listing"),
        (BASE + "old/", "canary"),
    ]
    assert stage.counts == {"discovery/listing/fallback": 1, "discovery/canary": 1}
