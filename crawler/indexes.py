"""The requests that read a WordPress blog's indexes, and their callbacks.

robots.txt's sitemaps, core's and Yoast's sitemaps, the feed and the REST API's
posts and users: the posts they name go to the frontier's backlog, what the API
says of posts and authors to the holding, and the pages that waited for the
API's last answer are released through the spider's ``release``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from blog.page import FetchedPage
from blog.urls import normalise_url
from crawler import discovery
from crawler.fetched import int_header
from crawler.frontier import Frontier
from crawler.holding import Holding, Release
from crawler.requests import discovery_request

Released = Iterator[FetchedPage | Request]


class BlogIndexes:
    """The index requests of one crawl; their callbacks are this object's."""

    def __init__(
        self,
        frontier: Frontier,
        holding: Holding,
        crawler: Crawler,
        release: Callable[[Release], Released],
    ) -> None:
        self.frontier, self.holding, self.crawler = frontier, holding, crawler
        self.release = release
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @property
    def stats(self) -> StatsCollector:
        """The crawl's stats (Scrapy sets them when the crawl starts)."""
        assert self.crawler.stats is not None
        return self.crawler.stats

    def requests(self) -> Iterator[Request]:
        """One request for each index a WordPress blog may offer."""
        base = self.frontier.base_url
        callbacks = {"robots": self.parse_robots, "sitemap": self.parse_sitemap}
        for url, source in discovery.index_urls(base):
            yield self._request(url, callbacks.get(source, self.parse_feed), source)
        yield self._rest(discovery.rest_users_url(base), self.parse_users)
        yield self._rest_posts(1)

    def _request(self, url: str, callback: Any, source: str, **meta: Any) -> Request:
        return discovery_request(normalise_url(url), callback, self.failed, source, **meta)

    def _rest(self, url: str, callback: Any, **meta: Any) -> Request:
        self.holding.rest_pending += 1
        return self._request(url, callback, "rest", **meta)

    def _rest_posts(self, page: int) -> Request:
        since = self.frontier.plan.rest_modified_after()
        url = discovery.rest_posts_url(self.frontier.base_url, page, since)
        return self._rest(url, self.parse_rest_posts, rest_page=page)

    def failed(self, failure: Failure) -> Released:
        meta = failure.request.meta  # type: ignore[attr-defined]
        self.stats.inc_value(f"discovery/{meta.get('source', 'unknown')}/unavailable")
        self.frontier.index_failed = self.frontier.index_failed or bool(meta.get("from_index"))
        if meta.get("source") == "rest":
            yield from self.release(self.holding.rest_answered())

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in discovery.robots_sitemaps(response.body, response.url):
            if self.frontier.on_site(normalise_url(url)):
                yield self._request(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        max_size = response.meta.get("download_maxsize", self.max_size)
        sitemaps, pages = discovery.parse_sitemap(response.body, response.url, max_size)
        self.stats.inc_value("discovery/sitemap/documents")
        for url in filter(self.frontier.on_site, sitemaps):
            yield self._request(url, self.parse_sitemap, "sitemap", from_index=True)
        self.frontier.indexed.update(found.url for found in pages)
        self._offer(pages, "sitemap")

    def parse_feed(self, response: Response) -> None:
        self.stats.inc_value("discovery/feed/documents")
        self._offer(discovery.parse_feed(response.body, response.url), "feed")

    def parse_rest_posts(self, response: Response) -> Released:
        self.stats.inc_value("discovery/rest/documents")
        found = discovery.parse_rest_posts(response.body, response.url)
        self.holding.posts.update((f.url, f.hints["rest"]) for f in found if "rest" in f.hints)
        self.frontier.rest_listed = self.frontier.rest_listed or bool(found)
        self._offer(found, "rest")
        if response.meta["rest_page"] == 1:
            for page in range(2, int_header(response, b"X-WP-TotalPages") + 1):
                yield self._rest_posts(page)
        yield from self.release(self.holding.rest_answered())

    def parse_users(self, response: Response) -> Released:
        users = discovery.parse_rest_users(response.body, response.url)
        yield from self.release(self.holding.rest_answered(users))

    def _offer(self, found: list[discovery.Found], source: str) -> None:
        """Posts an index named: the wanted ones wait in the frontier's backlog."""
        self.stats.inc_value(f"discovery/{source}/urls", self.frontier.offer(found, source))
        for key, value in self.frontier.gauges().items():
            self.stats.set_value(key, value)
