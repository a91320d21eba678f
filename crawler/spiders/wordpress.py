"""The WordPress spider: finds every post of a blog and yields each fetched page.

It asks every discovery source a WordPress blog may offer (robots.txt sitemaps,
core and Yoast sitemaps, the feed, the REST API, listings and the links between
pages) so that a blog lacking some of them is still crawled completely.  It
never looks at fields: every fetched HTML page goes to the item pipelines,
which decide what is a post.

The first crawl of a site, and ``-a full=true``, fetch everything.  Later
crawls are incremental (:mod:`crawler.recrawl`): discovery documents are asked
for conditionally, only new or changed posts are fetched, listings are read
only when no index answered, and archived posts missing from a complete index
are asked for again so that a removed post is recorded as gone.

A sitemap or the REST API can name thousands of posts at once.  They wait as
URLs in a backlog and go to Scrapy's scheduler ``DISCOVERY_BATCH`` at a time,
whenever the scheduler runs dry: a queued request weighs a kilobyte, a waiting
URL a tenth of that, so the queue stays small however large the blog is.
"""

from __future__ import annotations

import secrets
from collections import deque
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

from crawler import discovery
from crawler.arguments import CrawlArguments, parse_arguments
from crawler.items import GONE_STATUSES, FetchedPage
from crawler.recrawl import RecrawlPlan
from crawler.urls import is_within, normalise_url
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
        self.crawl_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        self.plan = RecrawlPlan(known={}, full=True)
        self.rest_users: dict[int, dict[str, str]] = {}
        self.rest_posts: dict[str, dict[str, Any]] = {}
        self.seen: set[str] = {self.base_url}
        self._requested: set[str] = {self.base_url}
        self.indexed: set[str] = set()
        self.index_failed = False
        self._yielded: set[str] = set()
        self._root: TextResponse | None = None
        self._index_hits = 0
        self._rest_listed = False
        self._archives: list[str] = []
        self._reading_archives = False
        self._unchanged: set[str] = set()
        self._idle_done = False
        self.canaries = 0
        self.batch = 64
        self._backlog: deque[tuple[discovery.Found, str]] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WordPressSpider:
        spider: WordPressSpider = super().from_crawler(crawler, *args, **kwargs)
        site_dir = Path(crawler.settings.get("ARCHIVE_DIR", "data")) / spider.site
        spider.plan = RecrawlPlan(known_posts(site_dir), spider.full)
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

    def discovery_failed(self, failure: Failure) -> None:
        meta = failure.request.meta  # type: ignore[attr-defined]
        self._count(f"discovery/{meta.get('source', 'unknown')}/unavailable")
        if meta.get("from_index"):
            self.index_failed = True

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in discovery.robots_sitemaps(response.body, response.url):
            if self._on_site(normalise_url(url)):
                yield self._discovery(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        max_size = response.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        sitemaps, pages = discovery.parse_sitemap(response.body, response.url, max_size)
        self._count("discovery/sitemap/documents")
        for url in sitemaps:
            if self._on_site(url):
                yield self._discovery(url, self.parse_sitemap, "sitemap", from_index=True)
        self.indexed.update(found.url for found in pages)
        self._candidates(pages, "sitemap")

    def parse_feed(self, response: Response) -> None:
        self._count("discovery/feed/documents")
        self._candidates(discovery.parse_feed(response.body, response.url), "feed")

    def parse_rest_posts(self, response: Response) -> Iterator[Request]:
        self._count("discovery/rest/documents")
        found = discovery.parse_rest_posts(response.body, response.url)
        self.rest_posts.update((f.url, f.hints["rest"]) for f in found if "rest" in f.hints)
        self._rest_listed = self._rest_listed or bool(found)
        self._candidates(found, "rest")
        total = _int_header(response, b"X-WP-TotalPages")
        if response.meta["rest_page"] == 1:
            for page in range(2, total + 1):
                yield self._rest_posts_request(page)

    def parse_users(self, response: Response) -> None:
        self.rest_users = self.rest_users | discovery.parse_rest_users(response.body, response.url)

    def _candidates(self, found: list[discovery.Found], source: str) -> None:
        """Put the posts worth fetching in the backlog (:meth:`feed_scheduler`)."""
        for item in found:
            if item.url in self._requested or not self._on_site(item.url):
                continue
            if discovery.link_role(item.url) == "skip":
                continue
            self.seen.add(item.url)
            self._index_hits += 1
            self._count(f"discovery/{source}/urls")
            wanted = self.plan.wants(item.url, item.hints.get("lastmod"))
            self._note_unchanged(item.url, not wanted)
            if wanted:
                self._requested.add(item.url)
                self._backlog.append((item, source))
        self._note_backlog()

    def feed_scheduler(self) -> None:
        """The scheduler ran dry: hand it the next batch of the backlog."""
        if not self._backlog or self.crawler.engine is None:
            return
        for _ in range(min(self.batch, len(self._backlog))):
            item, source = self._backlog.popleft()
            self.crawler.engine.crawl(self._page_request(item.url, source, hints=item.hints))
        self._note_backlog()

    def _note_backlog(self) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("discovery/waiting", len(self._backlog))

    def _note_unchanged(self, url: str, unchanged: bool) -> None:
        """Keep ``discovery/unchanged``: archived posts an index showed unchanged and
        this crawl did not fetch (a later source or a canary may still fetch them)."""
        if unchanged:
            self._unchanged.add(url)
        else:
            self._unchanged.discard(url)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("discovery/unchanged", len(self._unchanged))

    # Pages ----------------------------------------------------------------

    def _page_request(self, url: str, source: str, priority: int = 0, **meta: Any) -> Request:
        cached = source == "listing" and self._is_home_listing(url)
        # The spider asks for each URL once (``_requested``); dont_filter lets an
        # old slug's redirect reach a post fetched already, so its alias is recorded.
        self._requested.add(url)
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
        if url not in self._yielded or redirected:
            self._yielded.add(url)
            yield self._page(response, url)
        if not self.plan.incremental:
            yield from self._follow(response)
        elif response.meta.get("source") == "listing":
            yield from self._follow_new(response)

    def _page(self, response: Response, url: str) -> FetchedPage:
        redirects = response.meta.get("redirect_urls") or [response.url]
        hints = dict(response.meta.get("hints") or {})
        if self.rest_users:
            hints["rest_users"] = self.rest_users
        if url in self.rest_posts:
            hints["rest"] = self.rest_posts[url]
        elif (since := self.plan.unchanged_modification(url)) is not None:
            hints["known_modified"] = since
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

    def _follow(self, response: TextResponse) -> Iterator[Request]:
        """Full crawl: every on-site link.  Listings (the home page's ``page/N/``,
        archives of categories, tags, authors and dates) are kept for the end
        (:meth:`_archive_requests`)."""
        for url in self._links(response):
            role = discovery.link_role(url)
            if role == "listing" and not self._reading_archives:
                self._archives.append(url)
            elif role == "listing":
                yield self._page_request(url, "listing", LISTING_PRIORITY)
            elif role == "page":
                yield self._page_request(url, "link")

    def _follow_new(self, response: TextResponse) -> Iterator[Request]:
        """Incremental crawl of a listing: links to unknown pages, and the next
        listing page only while this one still showed something new."""
        links = self._links(response)
        new = [u for u in links if discovery.link_role(u) == "page" and u not in self.plan.known]
        yield from (self._page_request(url, "link") for url in new)
        if new:
            pages = [u for u in links if discovery.link_role(u) == "listing" and "/page/" in u]
            yield from (self._page_request(url, "listing", LISTING_PRIORITY) for url in pages)

    def _links(self, response: TextResponse) -> list[str]:
        """On-site links of the page not followed before (each URL is requested once)."""
        links = [u for u in discovery.html_links(response.text, response.url) if u not in self.seen]
        links = [u for u in links if self._on_site(u)]
        self.seen.update(links)
        return [u for u in links if discovery.link_role(u) != "skip"]

    # The end of discovery ---------------------------------------------------

    def idle(self) -> None:
        """Once everything found is fetched: read the archives or listings if no
        index answered, and ask again for archived posts that nothing listed any more."""
        if self._backlog:
            self.feed_scheduler()
            raise DontCloseSpider
        if self._idle_done:
            return
        requests = list(self._archive_requests())
        if not requests:
            self._idle_done = True
            requests = [*self._fallback_listing(), *self._rechecks(), *self._canary_requests()]
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _archive_requests(self) -> Iterator[Request]:
        """Full crawl: listings name posts that an index lists too (archives of
        categories, tags and dates many times over).  The REST API lists every
        published post: then no listing is read.  A sitemap may leave posts out
        (an SEO plugin drops ``noindex`` ones): then the home page's ``page/N/``
        is read, at a tenth of a request per post.  With neither, every listing."""
        archives, self._archives = self._archives, []
        if self._rest_listed:
            wanted: list[str] = []
        elif self._has_complete_index():
            wanted = [url for url in archives if self._is_home_listing(url)]
        else:
            self._reading_archives, wanted = True, archives
        if len(wanted) < len(archives):
            self._count("discovery/archives/skipped", len(archives) - len(wanted))
        for url in wanted:
            yield self._page_request(url, "listing", LISTING_PRIORITY)

    def _has_complete_index(self) -> bool:
        return self._rest_listed or (bool(self.indexed) and not self.index_failed)

    def _fallback_listing(self) -> Iterator[Request]:
        if self._root is not None and not self._index_hits:
            self._count("discovery/listing/fallback")
            yield from self._follow_new(self._root)

    def _rechecks(self) -> Iterator[Request]:
        if self.plan.incremental and (self.index_failed or not self.indexed):
            return
        listed = self.indexed if self.plan.incremental else self.seen | self._yielded
        for url in self.plan.unlisted(listed):
            self._count("discovery/rechecked")
            yield self._page_request(url, "recheck")

    def _canary_requests(self) -> Iterator[Request]:
        """An incremental crawl may fetch no post at all; a few archived posts are
        fetched again so that a theme change shows in the coverage every night."""
        if not self.plan.incremental:
            return
        for url in self.plan.canaries(self.canaries, exclude=self._yielded):
            self._count("discovery/canary")
            self._note_unchanged(url, False)
            yield self._page_request(url, "canary")

    def _is_home_listing(self, url: str) -> bool:
        """The blog's own ``page/N/``: the listing an incremental crawl may read
        again, so the only one worth a cache entry (archives of categories, tags
        and authors are read in full crawls only)."""
        rest = url[len(self.base_url) :] if url.startswith(self.base_url) else ""
        return rest.startswith("page/") and rest[5:-1].isdigit() and rest.endswith("/")

    def _on_site(self, url: str) -> bool:
        return is_within(url, self.base_url)

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
