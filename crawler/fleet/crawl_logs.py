"""The blogs' crawl logs (``<blog>/crawls.parquet``), where the fleet's jobs write them.

``ARCHIVE_DIR`` is a folder that every node and the machine running ``scrapy fleet``
see at the same path, or an object store (``s3://bucket/prefix``, ``file://…``) that
the nodes upload each crawl's log to.  The jobs get it as it is (a folder made
absolute: a job runs in Scrapyd's working folder); ``fleet schedule`` and
``fleet status`` read each blog's log from the same place, from the store through
:class:`~pipelines.archive.store.ArchiveStore` (a download to a temp folder, which
the crawl log's own reader then reads, old schemas included).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.archive import SiteLayout
from pipelines.archive.store import ArchiveStore, StoreUnusable, is_store_uri
from pipelines.crawl_log import read_crawls


class CrawlLogs:
    """Each blog's crawl log under ``archive`` (the jobs' ``ARCHIVE_DIR``); ``store``
    when that is a URI, None for a folder."""

    def __init__(self, archive: str, store: ArchiveStore | None) -> None:
        self.archive = archive
        self.store = store

    @classmethod
    def at(cls, value: str) -> CrawlLogs:
        """The logs under an ``ARCHIVE_DIR`` value; StoreUnusable (exit 2) for a URI
        that names no filesystem pyarrow has."""
        if is_store_uri(value):
            store = ArchiveStore.from_uri(value)
            return cls(store.uri, store)
        return cls(str(Path(value).absolute()), None)

    def check(self) -> None:
        """StoreUnusable unless the store answers and has its bucket (a folder that
        does not exist yet is a fleet that has not crawled yet)."""
        if self.store is None:
            return
        try:
            self.store.check()
        except (OSError, pa.ArrowException) as error:  # network, credentials
            raise StoreUnusable(
                f"cannot use the archive store {self.store.uri}: {error}"
            ) from error

    def rows(self, blog: str) -> list[dict[str, Any]]:
        """The rows of ``blog``'s crawl log, oldest first (none before its first crawl);
        OSError or ArrowException when it cannot be read."""
        if self.store is None:
            return _rows(SiteLayout(Path(self.archive), blog))
        with tempfile.TemporaryDirectory(prefix="fleet-") as folder:
            layout = SiteLayout(Path(folder), blog)
            key = layout.crawls_path.relative_to(layout.root).as_posix()
            if not self.store.exists(key):
                return []
            self.store.get(key, layout.crawls_path)
            return _rows(layout)


def _rows(layout: SiteLayout) -> list[dict[str, Any]]:
    table = read_crawls(layout.site_dir)
    return [] if table is None else table.to_pylist()
