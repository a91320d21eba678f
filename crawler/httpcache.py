"""Conditional requests for discovery documents, cached beside the site's archive.

Scrapy's HTTP cache with the RFC 2616 policy turns a repeated request for a
sitemap, the feed or a listing into ``If-None-Match`` / ``If-Modified-Since``,
so an unchanged document costs the blog a 304.  Post pages are not cached
(``dont_cache``): they are kept as WARC, and only changed ones are fetched.

The cache's place is the archive's, never Scrapy's project data dir: that one is
found through ``scrapy.cfg`` in the working directory, and where there is none
(Scrapyd runs crawls from an egg, in its own directory) Scrapy's storage raises
``NotConfigured`` and the whole cache is switched off.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.extensions.httpcache import FilesystemCacheStorage

from blog.crawl import identity_of
from pipelines.archive.layout import SiteLayout

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings


class SiteCacheStorage(FilesystemCacheStorage):
    """Stores the cache in ``ARCHIVE_DIR/<site>/httpcache/``."""

    def __init__(self, settings: BaseSettings) -> None:
        # not super().__init__: it asks for the project data dir (see the module doc)
        self.archive_dir = Path(settings.get("ARCHIVE_DIR", "data")).absolute()
        self.cachedir = str(self.archive_dir)
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.use_gzip = settings.getbool("HTTPCACHE_GZIP")
        self._open = gzip.open if self.use_gzip else open  # type: ignore[assignment]

    def open_spider(self, spider: Spider) -> None:
        self.cachedir = str(SiteLayout(self.archive_dir, identity_of(spider).site).httpcache_dir)
        super().open_spider(spider)

    def _get_request_path(self, spider: Spider, request: Request) -> str:
        key = self._fingerprinter.fingerprint(request).hex()
        return str(Path(self.cachedir, key[0:2], key))
