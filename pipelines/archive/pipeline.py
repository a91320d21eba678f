"""The Scrapy item pipeline that archives fetched posts (see :mod:`pipelines.archive`).

Settings: ``ARCHIVE_DIR`` (default ``"data"``), ``ARCHIVE_FLUSH_EVERY`` (rows per
part, default 20), ``ARCHIVE_FLUSH_SECONDS`` (also flush what is buffered this
often, default 5; 0: by count only), ``ARCHIVE_WARC_ENABLED`` (default True).  The
site and crawl come from the spider's :class:`blog.crawl.CrawlIdentity`.

Scrapy calls ``close_spider`` before the close reason is known, so the pipeline
flushes and finalises the WARC there, and rebuilds ``posts.parquet`` (only when
the reason is ``finished``) and releases the lock on ``spider_closed``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pyarrow as pa
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro

from blog.crawl import identity_of
from blog.page import GONE_STATUSES, FetchedPage
from blog.signals import crawl_aborted
from pipelines.archive.archive import InvalidPost, Outcome, SiteArchive
from pipelines.archive.layout import ArchiveUnusable
from pipelines.crawl_log import crawl_verdict

logger = logging.getLogger(__name__)

_OUTCOME_STATS = {
    Outcome.NEW: "archive/posts_new",
    Outcome.CHANGED: "archive/posts_changed",
    Outcome.RELINKED: "archive/posts_relinked",
    Outcome.UNCHANGED: "archive/posts_unchanged",
}


class ArchivePipeline:
    """Adds changed posts as versions, gone posts as events, every post page and the
    author archives its bios came from to WARC."""

    def __init__(
        self,
        crawler: Crawler,
        root: str,
        flush_every: int,
        warc: bool,
        flush_seconds: float = 0.0,
    ) -> None:
        self.crawler = crawler
        self.root = root
        self.flush_every = max(1, flush_every)
        self.flush_seconds = flush_seconds
        self.warc = warc
        self.archive: SiteArchive | None = None
        self._timer: Any = None
        self._companions: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        pipeline = cls(
            crawler,
            root=settings.get("ARCHIVE_DIR", "data"),
            flush_every=settings.getint("ARCHIVE_FLUSH_EVERY", 20),
            warc=settings.getbool("ARCHIVE_WARC_ENABLED", True),
            flush_seconds=settings.getfloat("ARCHIVE_FLUSH_SECONDS", 5.0),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.crawl_aborted, signal=crawl_aborted)
        return pipeline

    def open_spider(self) -> None:
        # Arrow's default allocator keeps what a part or a rebuild freed; a crawl
        # writes a little at a time for hours, and malloc gives it back.
        pa.set_memory_pool(pa.system_memory_pool())
        identity = identity_of(self.crawler.spider)
        archive = SiteArchive(self.root, identity.site, identity.crawl_id, warc=self.warc)
        archive.open()
        self.archive = archive
        if self.flush_seconds > 0:
            # a polite crawl fetches a post every second or two: by count alone a
            # kill -9 would lose minutes of work, by time it loses seconds
            self._timer = create_looping_call(self._flush_pending)
            self._timer.start(self.flush_seconds, now=False)

    def _flush_pending(self) -> None:
        if self.archive is None or not self.archive.pending:
            return
        try:
            self._flush()
        except OSError as error:
            self._stop_writing(error)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage) or self.archive is None:
            return item
        started = time.perf_counter()
        try:
            return self._process(item)
        except OSError as error:  # a full or failing disk: stop, keep what is archived
            self._stop_writing(error)
            return item
        finally:
            self._inc("archive/seconds", time.perf_counter() - started)

    def _process(self, item: FetchedPage) -> FetchedPage:
        assert self.archive is not None
        if item.post is not None:
            self._archive_post(item)
        elif item.status in GONE_STATUSES:
            self._archive_gone(item)
        if self.archive.pending >= self.flush_every:
            self._flush()
        return item

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.archive is not None:
            self._count_written(*self.archive.close_files())

    def crawl_aborted(self, reason: str) -> None:
        """The second Ctrl-C: write what is buffered and unlock, as an unfinished crawl."""
        self.spider_closed(reason)

    def spider_closed(self, reason: str) -> None:
        if self.archive is None:
            return
        archive, self.archive = self.archive, None
        # The crawl log judged the crawl first (extensions connect before pipelines):
        # an unhealthy crawl keeps its versions but does not replace posts.parquet.
        verdict = crawl_verdict(self.crawler)
        complete = reason == "finished" and (verdict is None or verdict.healthy)
        if not complete:
            logger.info("crawl ended %r: posts.parquet left as it was", reason)
        archive.finish(complete=complete)

    def _stop_writing(self, error: OSError) -> None:
        """Leave the archive as the last successful write left it and end the crawl;
        the crawl log's verdict carries the one line (``archive/write_error``)."""
        assert self.archive is not None
        assert self.crawler.stats is not None
        archive, self.archive = self.archive, None
        message = str(ArchiveUnusable.of(archive.layout.site_dir, error))
        self.crawler.stats.set_value("archive/write_error", message)
        archive.abandon()
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_failed"))

    def _archive_post(self, item: FetchedPage) -> None:
        assert self.archive is not None
        assert item.post is not None
        try:
            added = self.archive.add_post(item.post, item.fetched_at, item.requested_url)
        except InvalidPost as exc:
            self._inc("archive/posts_invalid")
            raise DropItem(f"not archived: {exc}") from exc
        self._inc(_OUTCOME_STATS[added.outcome])
        if added.back:
            self._inc("archive/posts_back")
        if item.status == 200:
            self.archive.record_page(item)
            self._record_companions(item)

    def _record_companions(self, item: FetchedPage) -> None:
        """The author archives a post's bios came from, each once per crawl."""
        assert self.archive is not None
        for page in item.companions:
            if page.url not in self._companions:
                self._companions.add(page.url)
                self.archive.record_page(page)

    def _archive_gone(self, item: FetchedPage) -> None:
        assert self.archive is not None
        url = item.url if item.url in self.archive.states else item.requested_url
        if self.archive.mark_gone(url, item.fetched_at):
            self._inc("archive/posts_gone")

    def _flush(self) -> None:
        assert self.archive is not None
        self._count_written(*self.archive.flush())

    def _count_written(self, rows: int, parts: int) -> None:
        if rows:
            self._inc("archive/rows_written", rows)
        if parts:
            self._inc("archive/parts_written", parts)

    def _inc(self, key: str, count: float = 1) -> None:
        assert self.crawler.stats is not None
        # Scrapy's stub says int, but StatsCollector adds floats just as well
        self.crawler.stats.inc_value(key, count)  # type: ignore[arg-type]
