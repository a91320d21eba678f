"""The author-bio pipeline: a bio the post page does not show is looked up once per author.

Many themes show an author's bio only on the author's archive page, or only
in the REST API.  An author the REST users endpoint knows (the spider read it
into ``hints["rest_users"]``) already has what the API says, bio or none
(``pipelines.extract.rest``); any other author's bio is fetched once from the
author archive page through Scrapy's engine (so politeness and robots.txt
apply), and reused for every later post of that author.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import ConnectError, TCPTimedOutError, TimeoutError
from twisted.web._newclient import ResponseFailed

from blog.page import FetchedPage
from blog.urls import is_within, normalise_url
from pipelines.extract import extract_author_bio
from pipelines.extract.rest import user_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class AuthorBioPipeline:
    """Fill ``authors[*].bio`` where the post page left it empty."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._bios: dict[str, asyncio.Future[str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AuthorBioPipeline:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage) or item.post is None:
            return item
        users = item.hints.get("rest_users") or {}
        for author in item.post.get("authors") or []:
            url = author.get("url")
            if author.get("bio") or not url or user_for(author, users):
                continue
            author["bio"] = await self._bio(normalise_url(url))
            if author["bio"]:  # recorded with the page, for reextract (see extract.rest)
                item.hints.setdefault("author_bios", {})[author["url"]] = author["bio"]
        return item

    async def _bio(self, url: str) -> str | None:
        if url not in self._bios:
            future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
            self._bios[url] = future
            future.set_result(await self._fetch_bio(url))
        return await asyncio.shield(self._bios[url])

    async def _fetch_bio(self, url: str) -> str | None:
        spider = self.crawler.spider
        base_url = getattr(spider, "base_url", None)
        if base_url is None or not is_within(url, base_url) or self.crawler.engine is None:
            return None
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("authors/bio_lookups")
        try:
            response = await self.crawler.engine.download_async(Request(url, dont_filter=True))
        except (IgnoreRequest, ConnectError, TimeoutError, TCPTimedOutError, ResponseFailed):
            return None
        if response.status != 200 or not hasattr(response, "text"):
            return None
        profile = getattr(spider, "profile", None)
        return extract_author_bio(response.text, response.url, profile=profile)
