"""The WordPress spider: finds every post of a blog and yields each fetched page.

It asks every discovery source a WordPress blog may offer (robots.txt sitemaps,
core and Yoast sitemaps, the feed, the REST API, listings and the links between
pages; :class:`~crawler.indexes.BlogIndexes` reads the indexes), so that a blog
lacking some of them is still crawled completely, and never looks at fields.
What it has found and asks for next is the
:class:`~crawler.frontier.Frontier`'s to decide, whether a post is worth fetching
again the :class:`~crawler.recrawl.RecrawlPlan`'s, when a page may go on the
:class:`~crawler.holding.Holding`'s.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from blog.crawl import CrawlIdentity
from blog.page import GONE_STATUSES, FetchedPage
from blog.urls import normalise_url
from crawler import discovery
from crawler.arguments import CrawlArguments, parse_arguments
from crawler.fetched import error_text, fetched_page, is_html
from crawler.frontier import Frontier
from crawler.holding import Holding, Release
from crawler.indexes import BlogIndexes
from crawler.recrawl import RecrawlPlan
from crawler.requests import (
    SchedulerDry,
    author_request,
    discovery_request,
    in_flight,
    page_request,
)
from pipelines.archive import SiteLayout, known_posts
from pipelines.profile import load_profile


class WordPressSpider(Spider):
    """``scrapy crawl wordpress -a base_url=URL -a site=NAME``: any WordPress blog."""

    name = "wordpress"
    default_site: ClassVar[str | None] = None
    options: ClassVar[tuple[str, ...]] = ("base_url", "site", "full")
    dry: SchedulerDry  # these two are set by from_crawler, which has the crawler
    indexes: BlogIndexes

    def __init__(self, **kwargs: Any) -> None:
        args = self.check_arguments(kwargs)
        super().__init__(**{k: v for k, v in kwargs.items() if k not in self.options})
        base_url = normalise_url(args.base_url or load_profile(args.site).base_url)
        crawl_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        self.identity = CrawlIdentity(args.site, crawl_id, base_url, args.job)
        self.full = args.full
        self.allowed_domains = [urlsplit(base_url).hostname or ""]
        self.frontier = Frontier(base_url, RecrawlPlan(known={}, full=True))
        self.holding = Holding()
        self.canaries, self.batch = 3, 64
        # One bound method per page callback for the whole crawl: Scrapy checks each
        # generator callback's source for a ``return value``, caching the answer under
        # the callable weakly, and a fresh bound method per request missed that cache.
        self.parse_page = self.parse_page  # type: ignore[method-assign]
        self.parse_author = self.parse_author  # type: ignore[method-assign]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WordPressSpider:
        spider: WordPressSpider = super().from_crawler(crawler, *args, **kwargs)
        archive = SiteLayout(
            Path(crawler.settings.get("ARCHIVE_DIR", "data")), spider.identity.site
        )
        plan = RecrawlPlan(known_posts(archive.site_dir), spider.full)
        spider.frontier = Frontier(spider.identity.base_url, plan)
        spider.holding.known_modified = plan.unchanged_modification
        spider.canaries = crawler.settings.getint("HEALTH_CANARY_POSTS", 3)
        spider.batch = max(1, crawler.settings.getint("DISCOVERY_BATCH", 64))
        spider.dry = SchedulerDry(crawler, spider._worth_waking)
        spider.indexes = BlogIndexes(spider.frontier, spider.holding, crawler, spider._release)
        return spider

    @classmethod
    def check_arguments(cls, args: dict[str, Any]) -> CrawlArguments:
        """The spider's ``-a`` options; :class:`BadSpiderArgument` for unusable ones."""
        return parse_arguments(cls.name, cls.options, cls.default_site, args)

    async def start(self) -> AsyncIterator[Request | FetchedPage]:
        """The home page; then, whenever the scheduler runs dry, the next posts an index
        named; once nothing is on its way, the frontier's end stages."""
        root = self.identity.base_url
        yield discovery_request(root, self.parse_root, self.root_failed, "root")
        while True:
            await self.dry.wait()
            for found, source in self.frontier.next_batch(self.batch):
                yield self._page_request(found.url, source, hints=found.hints)
            self._note_frontier()
            if self.frontier.backlog or in_flight(self.crawler):
                continue
            for page in self.holding.release_all():  # for answers that never came
                yield page
            if (stage := self.frontier.at_end(self.canaries)) is None:
                return
            for key, count in stage.counts.items():
                self._stats.inc_value(key, count)
            for url, source in stage.requests:
                yield self._page_request(url, source)

    def _worth_waking(self) -> bool:
        return bool(self.frontier.backlog) or not in_flight(self.crawler)

    def parse_root(self, response: Response) -> Iterator[FetchedPage | Request]:
        """The blog answers: ask every discovery source, then read the home page."""
        yield from self.indexes.requests()
        if self.frontier.plan.incremental and is_html(response):
            self.frontier.root_links = discovery.html_links(response.text, response.url)
        yield from self.parse_page(response)

    def root_failed(self, failure: Failure) -> Iterator[Request]:
        """An HTTP error at the root leaves the sitemaps and the API to try; a blog
        that cannot be reached at all ends the crawl at once."""
        if failure.check(HttpError):  # type: ignore[no-untyped-call]  # twisted: unannotated
            yield from self.indexes.requests()
            return
        self._stats.set_value("crawl/unreachable", error_text(failure.value or Exception()))
        raise CloseSpider("unreachable")

    def parse_page(self, response: Response) -> Iterator[FetchedPage | Request]:
        url = normalise_url(response.url)
        if response.status in GONE_STATUSES:
            if url in self.frontier.plan.known:
                yield fetched_page(response, self.identity.site)
            return
        if not is_html(response):
            self._stats.inc_value("crawl/skipped/not_html")
            return
        links = discovery.html_links(response.text, response.url)
        if url not in self.frontier.yielded or response.meta.get("redirect_urls"):
            self.frontier.yielded.add(url)
            page = fetched_page(response, self.identity.site)
            yield from self._release(self.holding.hold(page, self.frontier.author_archives(links)))
        if not self.frontier.plan.incremental:
            yield from self._requests(*self.frontier.follow(links))
        elif response.meta.get("source") == "listing":
            yield from self._requests(*self.frontier.follow_new(links))

    def parse_author(self, response: Response) -> Iterator[FetchedPage | Request]:
        """An author archive pages wait for; read like any page besides."""
        page = fetched_page(response, self.identity.site) if is_html(response) else None
        yield from self._release(self.holding.author_answered(response.meta["author"], page))
        yield from self.parse_page(response)

    def author_failed(self, failure: Failure) -> Iterator[FetchedPage | Request]:
        url = failure.request.meta["author"]  # type: ignore[attr-defined]
        yield from self._release(self.holding.author_answered(url, None))

    def _release(self, release: Release) -> Iterator[FetchedPage | Request]:
        """Pages that may go on, and the author archives other pages wait for."""
        pages, authors = release
        yield from pages
        for url in authors:
            self._stats.inc_value("authors/bio_lookups")
            self.frontier.requested.add(url)
            yield author_request(url, self.parse_author, self.author_failed)

    def _page_request(self, url: str, source: str, **meta: Any) -> Request:
        self.frontier.requested.add(url)
        cached = source == "listing" and self.frontier.is_home_listing(url)
        return page_request(url, self.parse_page, source, cached, **meta)

    def _requests(self, pages: Iterable[str], listings: Iterable[str]) -> Iterator[Request]:
        yield from (self._page_request(url, "link") for url in pages)
        yield from (self._page_request(url, "listing") for url in listings)

    def _note_frontier(self) -> None:
        for key, value in self.frontier.gauges().items():
            self._stats.set_value(key, value)

    @property
    def _stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats
