"""The WordPress spider: finds every post of a blog and yields each fetched page.

It asks every discovery source a WordPress blog may offer (robots.txt sitemaps,
core and Yoast sitemaps, the feed, the REST API, listings and the links between
pages) so that a blog lacking some of them is still crawled completely.  It
never looks at fields: every fetched HTML page goes to the item pipelines,
which decide what is a post.  What it has found and what it asks for next is
:class:`crawler.frontier.Frontier`'s to decide; whether a post is worth fetching
again, :class:`crawler.recrawl.RecrawlPlan`'s.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, cast
from urllib.parse import urlencode, urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from blog.crawl import CrawlIdentity
from blog.page import GONE_STATUSES, FetchedPage
from blog.urls import normalise_url
from crawler import discovery
from crawler.arguments import CrawlArguments, parse_arguments
from crawler.frontier import Frontier
from crawler.recrawl import RecrawlPlan
from pipelines.archive import known_posts
from pipelines.profile import load_profile

REST_PAGE_SIZE = 100
#: What the posts listing is asked for: ids and links to find posts, the dates and
#: author id that complete what a theme's page does not print.
REST_POST_FIELDS = "id,link,date_gmt,modified_gmt,author"
DISCOVERY_PRIORITY = 100
LISTING_PRIORITY = 10
#: Cached discovery documents are always revalidated (a conditional request),
#: never trusted on the cache's heuristic freshness.
REVALIDATE = {"Cache-Control": "max-age=0"}


class WordPressSpider(Spider):
    """``scrapy crawl wordpress -a base_url=URL -a site=NAME``: any WordPress blog."""

    name = "wordpress"
    default_site: ClassVar[str | None] = None
    options: ClassVar[tuple[str, ...]] = ("base_url", "site", "full")

    def __init__(self, **kwargs: Any) -> None:
        args = self.check_arguments(kwargs)
        for option in self.options:
            kwargs.pop(option, None)
        self.site: str = args.site
        self.profile = load_profile(args.site)
        self.base_url: str = normalise_url(args.base_url or self.profile.base_url)
        self.full: bool = args.full
        super().__init__(**kwargs)
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]
        crawl_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        self.identity = CrawlIdentity(self.site, crawl_id, self.base_url, args.job)
        self.plan = RecrawlPlan(known={}, full=True)
        self.frontier = Frontier(self.base_url, self.plan)
        self.rest_users: dict[int, dict[str, str]] = {}
        self.rest_posts: dict[str, dict[str, Any]] = {}
        #: REST documents asked for and not answered yet; pages fetched meanwhile wait
        #: for them in ``_held`` (a post's facts must not depend on which came first)
        self._rest_pending = 0
        self._held: list[FetchedPage] = []
        self._root: TextResponse | None = None
        self.canaries = 0
        self.batch = 64

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WordPressSpider:
        spider: WordPressSpider = super().from_crawler(crawler, *args, **kwargs)
        site_dir = Path(crawler.settings.get("ARCHIVE_DIR", "data")) / spider.site
        spider.plan = RecrawlPlan(known_posts(site_dir), spider.full)
        spider.frontier = Frontier(spider.base_url, spider.plan)
        spider.canaries = crawler.settings.getint("HEALTH_CANARY_POSTS", 3)
        spider.batch = max(1, crawler.settings.getint("DISCOVERY_BATCH", 64))
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.feed_scheduler, signal=signals.scheduler_empty)
        return spider

    @classmethod
    def check_arguments(cls, args: dict[str, Any]) -> CrawlArguments:
        """The spider's ``-a`` options; :class:`BadSpiderArgument` for unusable ones."""
        return parse_arguments(cls.name, cls.options, cls.default_site, args)

    async def start(self) -> AsyncIterator[Request]:
        yield Request(
            self.base_url,
            callback=self.parse_root,
            errback=self.root_failed,
            headers=REVALIDATE,
            priority=DISCOVERY_PRIORITY,
            meta={"source": "root"},
        )

    def parse_root(self, response: Response) -> Iterator[FetchedPage | Request]:
        """The blog answers: ask every discovery source, then read the home page."""
        yield from self._discovery_requests()
        if self.plan.incremental and isinstance(response, TextResponse):
            self._root = response
        yield from self.parse_page(response)

    def root_failed(self, failure: Failure) -> Iterator[Request]:
        """An HTTP error at the root still leaves the sitemaps and the API to try;
        a blog that cannot be reached at all ends the crawl at once."""
        if failure.check(HttpError):  # type: ignore[no-untyped-call]  # twisted: unannotated
            yield from self._discovery_requests()
            return
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("crawl/unreachable", _error_text(failure))
        raise CloseSpider("unreachable")

    # Discovery documents -------------------------------------------------

    def _discovery_requests(self) -> Iterator[Request]:
        root = self.base_url
        yield self._discovery(urljoin(root, "/robots.txt"), self.parse_robots, "robots")
        users = urljoin(root, "wp-json/wp/v2/users?per_page=100")
        yield self._discovery(users, self.parse_users, "rest")
        for path in ("wp-sitemap.xml", "sitemap_index.xml"):
            yield self._discovery(urljoin(root, path), self.parse_sitemap, "sitemap")
        yield self._discovery(urljoin(root, "feed/"), self.parse_feed, "feed")
        yield self._rest_posts_request(1)

    def _discovery(self, url: str, callback: Any, source: str, **meta: Any) -> Request:
        if source == "rest":
            self._rest_pending += 1
        return Request(
            normalise_url(url),
            callback=callback,
            errback=self.discovery_failed,
            headers=REVALIDATE,
            priority=DISCOVERY_PRIORITY,
            meta={"source": source, **meta},
        )

    def _rest_posts_request(self, page: int) -> Request:
        query = {"per_page": REST_PAGE_SIZE, "page": page, "_fields": REST_POST_FIELDS}
        if since := self.plan.rest_modified_after():
            query["modified_after"] = since
        url = urljoin(self.base_url, "wp-json/wp/v2/posts?" + urlencode(query))
        return self._discovery(url, self.parse_rest_posts, "rest", rest_page=page)

    def discovery_failed(self, failure: Failure) -> Iterator[FetchedPage]:
        meta = failure.request.meta  # type: ignore[attr-defined]
        self._count(f"discovery/{meta.get('source', 'unknown')}/unavailable")
        if meta.get("from_index"):
            self.frontier.index_failed = True
        if meta.get("source") == "rest":
            yield from self._rest_answered()

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in discovery.robots_sitemaps(response.body, response.url):
            if self.frontier.on_site(normalise_url(url)):
                yield self._discovery(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        max_size = response.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        sitemaps, pages = discovery.parse_sitemap(response.body, response.url, max_size)
        self._count("discovery/sitemap/documents")
        for url in sitemaps:
            if self.frontier.on_site(url):
                yield self._discovery(url, self.parse_sitemap, "sitemap", from_index=True)
        self.frontier.indexed.update(found.url for found in pages)
        self._candidates(pages, "sitemap")

    def parse_feed(self, response: Response) -> None:
        self._count("discovery/feed/documents")
        self._candidates(discovery.parse_feed(response.body, response.url), "feed")

    def parse_rest_posts(self, response: Response) -> Iterator[Request | FetchedPage]:
        self._count("discovery/rest/documents")
        found = discovery.parse_rest_posts(response.body, response.url)
        self.rest_posts.update((f.url, f.hints["rest"]) for f in found if "rest" in f.hints)
        self.frontier.rest_listed = self.frontier.rest_listed or bool(found)
        self._candidates(found, "rest")
        total = _int_header(response, b"X-WP-TotalPages")
        if response.meta["rest_page"] == 1:
            for page in range(2, total + 1):
                yield self._rest_posts_request(page)
        yield from self._rest_answered()

    def parse_users(self, response: Response) -> Iterator[FetchedPage]:
        self.rest_users = self.rest_users | discovery.parse_rest_users(response.body, response.url)
        yield from self._rest_answered()

    def _rest_answered(self) -> Iterator[FetchedPage]:
        """One REST document answered (or failed); the last one releases the held pages."""
        self._rest_pending -= 1
        if self._rest_pending <= 0:
            held, self._held = self._held, []
            yield from (self._with_rest(page) for page in held)

    def _candidates(self, found: list[discovery.Found], source: str) -> None:
        """Posts an index named: the wanted ones wait for :meth:`feed_scheduler`."""
        self._count(f"discovery/{source}/urls", self.frontier.offer(found, source))
        self._note_frontier()

    def feed_scheduler(self) -> None:
        """The scheduler ran dry: hand it the next batch of the backlog."""
        if self.crawler.engine is None:
            return
        for item, source in self.frontier.next_batch(self.batch):
            self.crawler.engine.crawl(self._page_request(item.url, source, hints=item.hints))
        self._note_frontier()

    def _note_frontier(self) -> None:
        """``discovery/waiting``: posts in the backlog; ``discovery/unchanged``: archived
        posts an index showed unchanged and this crawl did not fetch."""
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("discovery/waiting", len(self.frontier.backlog))
        self.crawler.stats.set_value("discovery/unchanged", len(self.frontier.unchanged))

    # Pages ----------------------------------------------------------------

    def _page_request(self, url: str, source: str, priority: int = 0, **meta: Any) -> Request:
        cached = source == "listing" and self.frontier.is_home_listing(url)
        # The spider asks for each URL once (``frontier.requested``); dont_filter lets an
        # old slug's redirect reach a post fetched already, so its alias is recorded.
        self.frontier.requested.add(url)
        return Request(
            url,
            callback=self.parse_page,
            priority=priority,
            dont_filter=True,
            headers=REVALIDATE if cached else None,
            meta={
                "source": source,
                "handle_httpstatus_list": list(GONE_STATUSES),
                "dont_cache": not cached,
                **meta,
            },
        )

    def parse_page(self, response: Response) -> Iterator[FetchedPage | Request]:
        url = normalise_url(response.url)
        if response.status in GONE_STATUSES:
            if url in self.plan.known:
                yield self._page(response, url)
            return
        if not isinstance(response, TextResponse) or not _is_html(response):
            self._count("crawl/skipped/not_html")
            return
        redirected = bool(response.meta.get("redirect_urls"))
        if url not in self.frontier.yielded or redirected:
            self.frontier.yielded.add(url)
            page = self._page(response, url)
            if self._rest_pending > 0:
                self._held.append(page)
            else:
                yield self._with_rest(page)
        if not self.plan.incremental:
            links = discovery.html_links(response.text, response.url)
            yield from self._listing_and_pages(*self.frontier.follow(links))
        elif response.meta.get("source") == "listing":
            links = discovery.html_links(response.text, response.url)
            yield from self._listing_and_pages(*self.frontier.follow_new(links))

    def _page(self, response: Response, url: str) -> FetchedPage:
        redirects = response.meta.get("redirect_urls") or [response.url]
        hints = dict(response.meta.get("hints") or {})
        return FetchedPage(
            url=url,
            requested_url=normalise_url(redirects[0]),
            status=response.status,
            headers=_header_pairs(response),
            body=response.body,
            encoding=getattr(response, "encoding", "utf-8"),
            fetched_at=datetime.now(UTC),
            site=self.site,
            source=response.meta.get("source", "link"),
            hints=hints,
        )

    def _with_rest(self, page: FetchedPage) -> FetchedPage:
        """The page with what the REST API said of its post and of the blog's authors."""
        hints = page.hints
        if self.rest_users:
            hints["rest_users"] = self.rest_users
        if page.url in self.rest_posts:
            hints["rest"] = self.rest_posts[page.url]
        elif (since := self.plan.unchanged_modification(page.url)) is not None:
            hints["known_modified"] = since
        return page

    def _listing_and_pages(self, pages: list[str], listings: list[str]) -> Iterator[Request]:
        yield from (self._page_request(url, "link") for url in pages)
        yield from (self._page_request(url, "listing", LISTING_PRIORITY) for url in listings)

    # The end of discovery ---------------------------------------------------

    def idle(self) -> None:
        """Once everything found is fetched: the kept listings if the indexes may fall
        short, then archived posts that nothing listed any more, and the canaries."""
        if self.frontier.backlog:
            self.feed_scheduler()
            raise DontCloseSpider
        if self._held:  # a REST document never answered: no page is lost for it
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(self._release_request())
            raise DontCloseSpider
        if self.frontier.ended:
            return
        requests = list(self._listings_at_end())
        if not requests:
            self.frontier.ended = True
            requests = [*self._fallback_listing(), *self._rechecks(), *self._canary_requests()]
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _release_request(self) -> Request:
        """A request whose only use is a callback that hands the held pages on."""
        robots = urljoin(self.base_url, "/robots.txt")
        return Request(robots, callback=self._release, errback=self._release, dont_filter=True,
                       priority=DISCOVERY_PRIORITY, meta={"source": "robots"})  # fmt: skip

    def _release(self, _: Any) -> Iterator[FetchedPage]:
        self._rest_pending = 1
        yield from self._rest_answered()

    def _listings_at_end(self) -> Iterator[Request]:
        wanted, skipped = self.frontier.listings_at_end()
        if skipped:
            self._count("discovery/archives/skipped", skipped)
        return (self._page_request(url, "listing", LISTING_PRIORITY) for url in wanted)

    def _fallback_listing(self) -> Iterator[Request]:
        """An incremental crawl that no index told anything reads the home page's links."""
        if self._root is not None and not self.frontier.index_hits:
            self._count("discovery/listing/fallback")
            links = discovery.html_links(self._root.text, self._root.url)
            yield from self._listing_and_pages(*self.frontier.follow_new(links))

    def _rechecks(self) -> Iterator[Request]:
        for url in self.frontier.rechecks():
            self._count("discovery/rechecked")
            yield self._page_request(url, "recheck")

    def _canary_requests(self) -> Iterator[Request]:
        for url in self.frontier.canaries(self.canaries):
            self._count("discovery/canary")
            yield self._page_request(url, "canary")
        self._note_frontier()

    def _count(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, count)


def _error_text(failure: Failure) -> str:
    """The last line of a network error, e.g. ``Connection was refused by other side``."""
    text = str(failure.value).strip().splitlines()
    return (text[-1] if text else type(failure.value).__name__).rstrip(".")


def _is_html(response: TextResponse) -> bool:
    content_type = cast(bytes, response.headers.get(b"Content-Type", b"text/html"))
    return "html" in content_type.decode("latin-1").lower()


def _int_header(response: Response, name: bytes) -> int:
    value = response.headers.get(name)
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def _header_pairs(response: Response) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in response.headers.items()
        for value in values
    ]
