"""Progress of a running crawl: pages queued / fetched / posts archived, rate, time left.

A Scrapy extension.  Every ``PROGRESS_INTERVAL`` seconds (default 10; 0 turns
it off) it reports one line from the crawl's stats (:func:`progress_line`)::

    progress: 120 pages queued, 80 fetched, 75 posts archived, 12.0 posts/min, ~3 min left

redrawn in place on a terminal, logged at INFO otherwise (cron, a log file).
Queued counts what the scheduler took or the downloader sent (robots.txt goes
past the scheduler) plus the posts waiting in the frontier's backlog; time
left is the URLs not fetched yet at the fetch rate so far.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

ARCHIVED_KINDS = ("new", "changed", "relinked", "unchanged")
REDRAW_SECONDS = 1.0


@dataclass(frozen=True)
class Snapshot:
    """The numbers one progress report shows; ``elapsed`` in seconds."""

    found: int
    fetched: int
    archived: int
    elapsed: float

    @classmethod
    def of(cls, stats: Mapping[str, Any], elapsed: float, found_before: int = 0) -> Snapshot:
        """The numbers of ``stats``; pages found never fewer than ``found_before``, the
        previous report's: a post moves from the backlog's gauge to the scheduler's
        count in two steps, and a reader would take the dip between them for lost pages."""
        archived = sum(int(stats.get(f"archive/posts_{kind}", 0)) for kind in ARCHIVED_KINDS)
        queued = max(
            int(stats.get("scheduler/enqueued", 0)),
            int(stats.get("downloader/request_count", 0)),
        )
        return cls(
            found=max(queued + int(stats.get("discovery/waiting", 0)), found_before),
            fetched=int(stats.get("response_received_count", 0)),
            archived=archived,
            elapsed=elapsed,
        )

    @property
    def posts_per_minute(self) -> float:
        return self.archived * 60 / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Unfetched URLs at the fetch rate so far; None before anything was fetched."""
        if self.fetched == 0 or self.elapsed <= 0:
            return None
        return max(self.found - self.fetched, 0) * self.elapsed / self.fetched


def progress_line(stats: Mapping[str, Any], elapsed: float) -> str:
    """``"120 pages queued, 80 fetched, 75 posts archived, 12.0 posts/min, ~3 min left"``.

    Pages, not posts: the queue holds sitemaps, feeds and listings too, and which
    page is a post is known only once it was fetched."""
    return describe(Snapshot.of(stats, elapsed))


def describe(snap: Snapshot) -> str:
    """The progress line of ``snap``."""
    return (
        f"{snap.found} pages queued, {snap.fetched} fetched, {snap.archived} posts archived, "
        f"{snap.posts_per_minute:.1f} posts/min, {_time_left(snap.seconds_left)}"
    )


def fit(line: str, width: int) -> str:
    """``line`` cut to ``width - 1`` columns: a line as wide as the terminal wraps,
    and each redraw would then leave its first part behind."""
    room = max(width - 1, 1)
    return line if len(line) <= room else line[: room - 1] + "…"


def _terminal_width(stream: TextIO) -> int:
    """Columns of the terminal ``stream`` writes to (stdout may be redirected)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, io.UnsupportedOperation):
        return shutil.get_terminal_size().columns


def _time_left(seconds: float | None) -> str:
    if seconds is None:
        return "time left unknown"
    if seconds < 60:
        return f"~{seconds:.0f} s left"
    return f"~{seconds / 60:.0f} min left"


class Progress:
    """The extension; see the module docstring."""

    def __init__(
        self,
        crawler: Crawler,
        interval: float,
        stream: TextIO,
        width: Callable[[], int] | None = None,
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.width = width or (lambda: _terminal_width(stream))
        self.started = time.monotonic()
        self.task: Any = None
        self.found = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 10.0)
        if interval <= 0:
            raise NotConfigured("PROGRESS_INTERVAL is 0")
        progress = cls(crawler, interval, sys.stderr)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    @property
    def redraws(self) -> bool:
        """One line redrawn in place on a terminal; log lines anywhere else."""
        return bool(getattr(self.stream, "isatty", lambda: False)())

    @property
    def period(self) -> float:
        """Seconds between reports: a terminal is redrawn every second (a person is
        watching), a log gets a line every ``interval``."""
        return min(self.interval, REDRAW_SECONDS) if self.redraws else self.interval

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.report)
        self.task.start(self.period, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.redraws:
            self.report()
            self.stream.write("\n")
            self.stream.flush()

    def report(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        snap = Snapshot.of(stats, time.monotonic() - self.started, self.found)
        self.found = snap.found
        line = describe(snap)
        if self.redraws:
            self.stream.write(f"\r{fit(f'progress: {line}', self.width())}\x1b[K")
            self.stream.flush()
        else:
            logger.info("progress: %s", line)
