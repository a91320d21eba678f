"""Downloader middlewares that let a nightly crawl survive a misbehaving blog.

* :class:`BackoffRetryMiddleware` replaces Scrapy's RetryMiddleware: the same
  retries, but each one waits (without blocking the crawl) an exponentially
  growing, jittered delay: ``RETRY_BACKOFF_BASE * 2**(n-1)`` seconds for the
  n-th retry, capped at ``RETRY_BACKOFF_MAX``, then scaled by a random factor
  in [0.5, 1].
* :class:`RetryAfterMiddleware` honours ``Retry-After`` on 429 and 503: no
  request goes to that host until the time it names (capped at
  ``RETRY_AFTER_MAX`` seconds) has passed.
* :class:`SameHostMiddleware` refuses every request to another host (or
  another port of the blog's host), whatever produced it: a link, a sitemap
  entry, a redirect or robots.txt.  Counted in ``crawl/skipped/offsite``.
  Scrapy's OffsiteMiddleware is not enough: it ignores ports and lets every
  ``dont_filter`` request pass, which all of the spider's page requests are.
* :class:`SizeLimitMiddleware` replaces HttpCompressionMiddleware: a response
  larger than ``DOWNLOAD_MAXSIZE``, before or after decompression, is dropped
  with one warning and counted in ``crawl/skipped/too_large``.
"""

from __future__ import annotations

import logging
import random
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.utils.asyncio import sleep

from blog.crawl import identity_of
from blog.urls import same_host

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)
#: The download delay a slot without one gets while a Retry-After holds it.
HOLD_DELAY_S = 0.001
_T = TypeVar("_T")


def backoff_delay(retry: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before the ``retry``-th retry (1 for the first): half to
    all of ``min(cap, base * 2**(retry-1))``, so retries of many pages spread out."""
    ceiling: float = min(cap, base * 2 ** max(retry - 1, 0))
    return ceiling * rng.uniform(0.5, 1.0)


def retry_after_seconds(value: bytes | None, now: float) -> float | None:
    """``Retry-After`` as seconds from ``now`` (a Unix time): delta-seconds or an
    HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - now)
    except (TypeError, ValueError):
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware whose retries wait; see the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.rng = random.Random()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    # Scrapy 2.19 style (async, no deprecated spider argument); the base keeps the old signature
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        return await self._later(super().process_response(request, response))

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        return await self._later(super().process_exception(request, exception))

    async def _later(self, result: _T) -> _T:
        if isinstance(result, Request) and self.base > 0:
            delay = backoff_delay(result.meta.get("retry_times", 1), self.base, self.cap, self.rng)
            logger.debug("retrying %s in %.1f s", result.url, delay)
            await sleep(delay)
        return result


class RetryAfterMiddleware:
    """Pause a host for as long as its 429/503 ``Retry-After`` asks."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("RETRY_AFTER_MAX", 300.0)
        self.paused_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        # Loop: another Retry-After may extend the pause while this request sleeps.
        while (wait := self.paused_until.get(_host(request.url), 0.0) - time.monotonic()) > 0:
            await sleep(wait)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in RETRY_AFTER_STATUSES:
            seconds = retry_after_seconds(response.headers.get(b"Retry-After"), time.time())
            if seconds is not None:
                self._pause(request, min(seconds, self.cap))
        return response

    def _pause(self, request: Request, seconds: float) -> None:
        host = _host(request.url)
        until = time.monotonic() + seconds
        self.paused_until[host] = max(until, self.paused_until.get(host, 0.0))
        self._hold_slot(request, until)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("retry/retry_after")
        logger.info("%s asked to wait %.0f s (Retry-After)", host, seconds)

    def _hold_slot(self, request: Request, until: float) -> None:
        """Requests already queued in the host's download slot passed
        :meth:`process_request` before the pause.  A slot with a download delay
        sends its next request ``delay`` after ``lastseen``, so moving ``lastseen``
        on holds them; a slot without one gets a negligible delay for that."""
        engine = self.crawler.engine
        slots = engine.downloader.slots if engine is not None else {}
        slot = slots.get(request.meta.get("download_slot", ""))
        if slot is not None:
            slot.delay = slot.delay or HOLD_DELAY_S
            slot.lastseen = max(slot.lastseen, until)


class SameHostMiddleware:
    """Refuse requests that leave the blog's host and port; see the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SameHostMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        base = identity_of(self.crawler.spider).base_url
        if not base or same_host(request.url, base):
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("crawl/skipped/offsite")
        raise IgnoreRequest(f"off-site request refused: {request.url}")


class SizeLimitMiddleware(HttpCompressionMiddleware):
    """HttpCompressionMiddleware that counts what DOWNLOAD_MAXSIZE drops."""

    # Scrapy 2.19 style (no deprecated spider argument); the base keeps the old signature
    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            self._count()
            raise

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, DownloadCancelledError) and "max size" in str(exception):
            self._count()
            logger.warning("dropped %s: %s", request.url, exception)
            raise IgnoreRequest(str(exception)) from exception

    def _count(self) -> None:
        if self.stats is not None:
            self.stats.inc_value("crawl/skipped/too_large")


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
