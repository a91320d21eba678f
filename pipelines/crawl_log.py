"""The crawl log: one row per crawl in ``crawls.parquet``, and the health verdict.

A Scrapy extension: when the spider closes it judges the crawl
(:mod:`pipelines.health`), appends the crawl's row to the log, and leaves the
verdict on the crawler for the ``crawl`` command's exit status and summary.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from scrapy import signals

from blog.crawl import identity_of
from blog.signals import INTERRUPTED, crawl_aborted
from pipelines.archive.layout import SiteLayout, write_table_atomic
from pipelines.health import HealthPolicy, Verdict, assess, errors_by_type, interrupted
from pipelines.schema import CRAWL_SCHEMA, read_conformed

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CrawlLog:
    """Judge each crawl and log it; see the module docstring."""

    def __init__(self, crawler: Crawler, archive_dir: Path, policy: HealthPolicy) -> None:
        self.crawler = crawler
        self.archive_dir = archive_dir
        self.policy = policy
        self.started_at = datetime.now(UTC)
        self.logged = False
        #: the crawl's verdict once it closed; the archive pipeline and the crawl
        #: command read it through ``crawler.get_extension(CrawlLog)``
        self.verdict: Verdict | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLog:
        log = cls(
            crawler,
            Path(crawler.settings.get("ARCHIVE_DIR", "data")),
            HealthPolicy.from_settings(crawler.settings),
        )
        crawler.signals.connect(log.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(log.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(log.crawl_aborted, signal=crawl_aborted)
        return log

    def spider_opened(self, spider: Spider) -> None:
        self.started_at = datetime.now(UTC)

    def crawl_aborted(self, reason: str) -> None:
        """The second Ctrl-C: the spider will never close, so log the crawl now."""
        if self.crawler.spider is not None:
            self.spider_closed(self.crawler.spider, reason)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.logged:
            return
        self.logged = True
        identity = identity_of(spider)
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats.update(site=identity.site, crawl_id=identity.crawl_id, job=identity.job)
        site_dir = SiteLayout(self.archive_dir, identity.site).site_dir
        verdict = assess(
            stats,
            self.policy,
            identity.base_url,
            last_coverage(site_dir, self.policy.min_sample),
        )
        if reason in INTERRUPTED or (reason != "finished" and verdict.healthy):
            verdict = interrupted(verdict, reason)
        self.verdict = verdict
        if site_dir.is_dir():
            row = _crawl_row(stats, verdict, reason, self.started_at)
            try:
                append_crawl(site_dir, row)
            except OSError as error:  # a full disk: the exit status still tells
                path = SiteLayout.of(site_dir).crawls_path
                logger.error("cannot add the crawl to %s: %s", path, error)


def crawl_verdict(crawler: Crawler) -> Verdict | None:
    """The verdict of ``crawler``'s crawl log, once its spider closed (None before, and
    for a crawl that never got as far as its extensions)."""
    try:
        log = crawler.get_extension(CrawlLog)
    except RuntimeError:  # no extension manager yet
        return None
    return log.verdict if log is not None else None


def _crawl_row(
    stats: dict[str, Any], verdict: Verdict, reason: str, started_at: datetime
) -> dict[str, Any]:
    """The crawl's row: the counts and coverage are the verdict's, the very numbers
    the summary line prints."""
    return {
        "crawl_id": stats["crawl_id"],
        "site": stats["site"],
        "started_at": started_at,
        "finished_at": datetime.now(UTC),
        "finish_reason": reason,
        "exit_status": verdict.exit_status,
        "unhealthy_reason": verdict.reason or None,
        "requests": int(stats.get("downloader/request_count", 0)),
        "bytes": int(stats.get("downloader/response_bytes", 0)),
        **{f"posts_{kind}": count for kind, count in verdict.counts.items()},
        "posts_fetched": verdict.posts_fetched,
        "errors": list(errors_by_type(stats).items()),
        "coverage": list(verdict.coverage.items()),
        "job": stats.get("job") or None,
    }


def read_crawls(site_dir: Path) -> pa.Table | None:
    """The crawl log of a site, or None before its first crawl."""
    path = SiteLayout.of(site_dir).crawls_path
    return read_conformed(path, CRAWL_SCHEMA) if path.is_file() else None


def last_coverage(site_dir: Path, min_sample: int = 0) -> dict[str, float] | None:
    """Field coverage of the newest healthy crawl that fetched at least ``min_sample``
    posts (fewer are too few to be a baseline), the baseline for a drop."""
    table = read_crawls(site_dir)
    if table is None:
        return None
    rows = [r for r in table.to_pylist() if r["exit_status"] == 0 and r["coverage"]]
    rows = [r for r in rows if r["posts_fetched"] is None or r["posts_fetched"] >= min_sample]
    return dict(rows[-1]["coverage"]) if rows else None


def append_crawl(site_dir: Path, row: dict[str, Any]) -> None:
    """Add one crawl's row; the file is replaced atomically, never half-written."""
    new = pa.Table.from_pylist([row], schema=CRAWL_SCHEMA)
    old = read_crawls(site_dir)
    table = new if old is None else pa.concat_tables([old, new])
    write_table_atomic(table, SiteLayout.of(site_dir).crawls_path)
