"""The requests a crawl makes, by kind, and whether any is still on its way.

Discovery documents go first and are always revalidated when cached (a
conditional request); listings come before posts; a post's request lets its
callback see 404/410 (a removed post) and bypasses the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from blog.page import GONE_STATUSES

DISCOVERY_PRIORITY = 100
LISTING_PRIORITY = 10
REVALIDATE = {"Cache-Control": "max-age=0"}
Callback = Callable[..., Any]


def discovery_request(
    url: str, callback: Callback, errback: Callback, source: str, **meta: Any
) -> Request:
    return Request(
        url,
        callback,
        errback=errback,
        headers=REVALIDATE,
        priority=DISCOVERY_PRIORITY,
        meta={"source": source, **meta},
    )


def page_request(url: str, callback: Callback, source: str, cached: bool, **meta: Any) -> Request:
    """A page; ``dont_filter`` because the frontier asks for each URL once, and an
    old slug's redirect must reach a post fetched already (its alias is recorded)."""
    meta |= {"source": source, "handle_httpstatus_list": list(GONE_STATUSES)}
    return Request(
        url,
        callback,
        dont_filter=True,
        headers=REVALIDATE if cached else None,
        priority=LISTING_PRIORITY if source == "listing" else 0,
        meta=meta | {"dont_cache": not cached},
    )


def author_request(url: str, callback: Callback, errback: Callback) -> Request:
    """An author archive that pages wait for (:mod:`crawler.holding`)."""
    meta = {"source": "author", "author": url}
    return Request(
        url, callback, errback=errback, dont_filter=True, priority=DISCOVERY_PRIORITY, meta=meta
    )


def in_flight(crawler: Crawler) -> bool:
    """Whether a request is queued, downloading or being parsed: Scrapy's own idleness
    test (``ExecutionEngine.spider_is_idle``) less the spider's ``start()``."""
    engine, stats = crawler.engine, crawler.stats
    assert engine is not None
    assert engine.scraper.slot is not None
    assert stats is not None
    queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
    return bool(queued or engine.downloader.active or not engine.scraper.slot.is_idle())


class SchedulerDry:
    """Awaitable: the scheduler ran dry and the spider has something to do (``worth``).

    Scrapy sends ``scheduler_empty`` whenever it finds the scheduler empty, many
    times a second in a busy crawl; only those worth a look wake ``start()``, and the
    handler is connected once rather than for every wait."""

    def __init__(self, crawler: Crawler, worth: Callable[[], bool]) -> None:
        self.worth = worth
        self._waiter: Deferred[None] | None = None
        crawler.signals.connect(self._empty, signal=signals.scheduler_empty)

    async def wait(self) -> None:
        self._waiter = Deferred()
        await maybe_deferred_to_future(self._waiter)

    def _empty(self) -> None:
        if self._waiter is not None and self.worth():
            waiter, self._waiter = self._waiter, None
            waiter.callback(None)
