"""Conditional requests for discovery documents, cached beside the site's archive.

Scrapy's HTTP cache with the RFC 2616 policy turns a repeated request for a
sitemap, the feed or a listing into ``If-None-Match`` / ``If-Modified-Since``,
so an unchanged document costs the blog a 304.  Post pages are not cached
(``dont_cache``): they are kept as WARC, and only changed ones are fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.extensions.httpcache import FilesystemCacheStorage

from blog.crawl import identity_of

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings


class SiteCacheStorage(FilesystemCacheStorage):
    """Stores the cache in ``ARCHIVE_DIR/<site>/httpcache/``."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.archive_dir = Path(settings.get("ARCHIVE_DIR", "data"))

    def open_spider(self, spider: Spider) -> None:
        self.cachedir = str(self.archive_dir / identity_of(spider).site / "httpcache")
        super().open_spider(spider)

    def _get_request_path(self, spider: Spider, request: Request) -> str:
        key = self._fingerprinter.fingerprint(request).hex()
        return str(Path(self.cachedir, key[0:2], key))
