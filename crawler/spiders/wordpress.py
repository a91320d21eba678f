"""The WordPress spider: finds every post of a blog and yields each fetched page.

It asks every discovery source a WordPress blog may offer (robots.txt sitemaps,
core and Yoast sitemaps, the feed, the REST API, listings and the links between
pages) so that a blog lacking some of them is still crawled completely.  It
never looks at fields: every fetched HTML page goes to the item pipelines,
which decide what is a post.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import discovery
from crawler.errors import BadSpiderArgument
from crawler.items import FetchedPage
from crawler.urls import is_within, normalise_url
from pipelines.profile import load_profile

REST_PAGE_SIZE = 100
DISCOVERY_PRIORITY = 100
LISTING_PRIORITY = 10


class WordPressSpider(Spider):
    """``scrapy crawl wordpress -a base_url=URL -a site=NAME``: any WordPress blog."""

    name = "wordpress"
    default_site: ClassVar[str | None] = None
    options: ClassVar[tuple[str, ...]] = ("base_url", "site", "full")

    def __init__(self, **kwargs: Any) -> None:
        self.check_arguments(kwargs)
        site = kwargs.pop("site", None) or self.default_site
        assert site is not None
        self.site: str = site
        self.profile = load_profile(site)
        self.base_url: str = normalise_url(kwargs.pop("base_url", None) or self.profile.base_url)
        self.full: bool = str(kwargs.pop("full", "false")).lower() in ("1", "true", "yes")
        super().__init__(**kwargs)
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]
        self.crawl_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        self.author_bios: dict[str, str] = {}
        self._yielded: set[str] = set()

    @classmethod
    def check_arguments(cls, args: dict[str, Any]) -> None:
        """Raise :class:`BadSpiderArgument` for options this spider cannot use."""
        unknown = sorted(set(args) - set(cls.options))
        if unknown:
            raise BadSpiderArgument(
                f"unknown option -a {unknown[0]}=…; {cls.name} accepts: "
                + ", ".join(f"-a {o}=…" for o in cls.options)
            )
        site = args.get("site") or cls.default_site
        if not site:
            raise BadSpiderArgument(f"{cls.name} needs -a site=NAME (the archive's folder name)")
        if not _is_safe_site_name(str(site)):
            raise BadSpiderArgument(f"bad site name {site!r}: use letters, digits, '-' and '_'")
        if args.get("base_url") is not None:
            _check_base_url(str(args["base_url"]))
        elif cls.default_site is None:
            raise BadSpiderArgument(f"{cls.name} needs -a base_url=URL (the blog's root)")
        if str(args.get("full", "false")).lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise BadSpiderArgument("-a full= takes true or false")

    async def start(self) -> AsyncIterator[Request]:
        yield Request(
            self.base_url,
            callback=self.parse_root,
            errback=self.root_failed,
            priority=DISCOVERY_PRIORITY,
            meta={"source": "listing"},
        )

    def parse_root(self, response: Response) -> Iterator[FetchedPage | Request]:
        """The blog answers: ask every discovery source, then read the home page."""
        yield from self._discovery_requests(self.base_url)
        yield from self.parse_page(response)

    def root_failed(self, failure: Failure) -> Iterator[Request]:
        """An HTTP error at the root still leaves the sitemaps and the API to try;
        a blog that cannot be reached at all ends the crawl at once."""
        if failure.check(HttpError):
            yield from self._discovery_requests(self.base_url)
            return
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("crawl/unreachable", _error_text(failure))
        raise CloseSpider("unreachable")

    def _discovery_requests(self, root: str) -> Iterator[Request]:
        host_root = urljoin(root, "/robots.txt")
        yield self._discovery(host_root, self.parse_robots, "robots")
        yield self._discovery(urljoin(root, "wp-json/wp/v2/users?per_page=100"), self.parse_users, "rest")
        for path in ("wp-sitemap.xml", "sitemap_index.xml"):
            yield self._discovery(urljoin(root, path), self.parse_sitemap, "sitemap")
        yield self._discovery(urljoin(root, "feed/"), self.parse_feed, "feed")
        yield self._rest_posts_request(1)

    def _discovery(self, url: str, callback: Any, source: str, **meta: Any) -> Request:
        return Request(
            normalise_url(url),
            callback=callback,
            errback=self.discovery_failed,
            priority=DISCOVERY_PRIORITY,
            meta={"source": source, **meta},
        )

    def _rest_posts_request(self, page: int) -> Request:
        url = urljoin(
            self.base_url,
            f"wp-json/wp/v2/posts?per_page={REST_PAGE_SIZE}&page={page}&_fields=id,link,modified_gmt",
        )
        return self._discovery(url, self.parse_rest_posts, "rest", rest_page=page)

    def discovery_failed(self, failure: Failure) -> None:
        source = failure.request.meta.get("source", "unknown")  # type: ignore[attr-defined]
        self._count(f"discovery/{source}/unavailable")
        self.logger.debug("discovery source %s unavailable: %s", source, failure.value)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in discovery.robots_sitemaps(response.text if isinstance(response, TextResponse) else ""):
            if self._on_site(normalise_url(url)):
                yield self._discovery(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        sitemaps, pages = discovery.parse_sitemap(response.body, response.url)
        self._count("discovery/sitemap/documents")
        for url in sitemaps:
            if self._on_site(url):
                yield self._discovery(url, self.parse_sitemap, "sitemap")
        yield from self._candidates(pages, "sitemap")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        self._count("discovery/feed/documents")
        yield from self._candidates(discovery.parse_feed(response.body, response.url), "feed")

    def parse_rest_posts(self, response: Response) -> Iterator[Request]:
        self._count("discovery/rest/documents")
        yield from self._candidates(discovery.parse_rest_posts(response.body, response.url), "rest")
        page = response.meta["rest_page"]
        total = _int_header(response, b"X-WP-TotalPages")
        if page == 1 and total:
            for next_page in range(2, total + 1):
                yield self._rest_posts_request(next_page)

    def parse_users(self, response: Response) -> None:
        self.author_bios.update(discovery.parse_rest_users(response.body, response.url))

    def _candidates(self, found: list[discovery.Found], source: str) -> Iterator[Request]:
        for item in found:
            if self._on_site(item.url) and discovery.link_role(item.url) != "skip":
                self._count(f"discovery/{source}/urls")
                yield Request(item.url, callback=self.parse_page, meta={"source": source, "hints": item.hints})

    def parse_page(self, response: Response) -> Iterator[FetchedPage | Request]:
        if not isinstance(response, TextResponse) or not _is_html(response):
            self._count("crawl/skipped/not_html")
            return
        url = normalise_url(response.url)
        if url not in self._yielded:
            self._yielded.add(url)
            yield self._page(response, url)
        yield from self._follow(response)

    def _page(self, response: TextResponse, url: str) -> FetchedPage:
        redirects = response.meta.get("redirect_urls") or [response.url]
        hints = dict(response.meta.get("hints") or {})
        if self.author_bios:
            hints["author_bios"] = dict(self.author_bios)
        return FetchedPage(
            url=url,
            requested_url=normalise_url(redirects[0]),
            status=response.status,
            headers=_header_pairs(response),
            body=response.body,
            encoding=response.encoding,
            fetched_at=datetime.now(UTC),
            site=self.site,
            source=response.meta.get("source", "link"),
            hints=hints,
        )

    def _follow(self, response: TextResponse) -> Iterator[Request]:
        for url in discovery.html_links(response.text, response.url):
            role = discovery.link_role(url)
            if role != "skip" and self._on_site(url):
                priority = LISTING_PRIORITY if role == "listing" else 0
                yield Request(url, callback=self.parse_page, priority=priority, meta={"source": "link"})

    def _on_site(self, url: str) -> bool:
        return is_within(url, self.base_url)

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)


def _check_base_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadSpiderArgument(f"base_url {url!r} is not an http(s) URL with a host")


def _is_safe_site_name(name: str) -> bool:
    return name.replace("-", "").replace("_", "").isalnum() and name.isascii()


def _error_text(failure: Failure) -> str:
    """The last line of a network error, e.g. ``Connection was refused by other side``."""
    text = str(failure.value).strip().splitlines()
    return (text[-1] if text else type(failure.value).__name__).rstrip(".")


def _is_html(response: TextResponse) -> bool:
    content_type = response.headers.get(b"Content-Type", b"text/html").decode("latin-1").lower()
    return "html" in content_type


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
