"""``scrapy crawl``, as cron needs it: one clear line and a non-zero exit when a run fails.

It replaces Scrapy's own ``crawl`` command (``COMMANDS_MODULE``) and adds
three things around the same crawl: spider options are checked before any
request is made; expected failures (a bad option, an archive locked by
another crawl) are reported as one line instead of a traceback; and the
crawl's health verdict decides the exit status.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
    UsageError,
)
from scrapy.utils.ossignal import install_shutdown_handlers
from scrapy.utils.project import inside_project

from blog.crawl import identity_of
from blog.errors import EXIT_BAD_INPUT, UserFacingError
from crawler.archive_dir import archive_root
from crawler.shutdown import Interrupts
from pipelines.archive import ArchiveLocked, SiteLayout
from pipelines.archive.layout import ArchiveUnusable, check_writable
from pipelines.archive.lock import SiteLock
from pipelines.archive.mirror import SiteMirror, use_store
from pipelines.archive.store import ArchiveStore
from pipelines.crawl_log import crawl_verdict

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler

QUOTES = "'\""  # KeyError's message comes quoted
NOT_IN_PROJECT = (
    "no scrapy.cfg in {cwd} or above: run `scrapy crawl` from the blog-archiver directory,"
    " the one with scrapy.cfg"
)
#: Failures whose message is the whole story: printed as one line, no traceback.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (UserFacingError, ArchiveLocked)
#: Where Scrapy and asyncio log the failures above with a traceback.
NOISY_LOGGERS = (
    "asyncio",
    "scrapy.core.engine",
    "scrapy.core.scraper",
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.utils.signal",
    "twisted",
)
#: Network failures are logged with their message; their traceback says nothing more.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)


class Command(ScrapyCrawlCommand):
    # the project's level, also where there is no project (Scrapy's default is DEBUG),
    # so that run from the wrong directory the command prints its one line only;
    # a plain class attribute, as Scrapy declares it
    default_settings = {**ScrapyCrawlCommand.default_settings, "LOG_LEVEL": "WARNING"}  # noqa: RUF012
    store: ArchiveStore | None = None  # archive store hook: set by run() for ARCHIVE_DIR=URI

    def short_desc(self) -> str:
        return "Crawl a blog into its archive; exit non-zero with one line when the crawl fails"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not inside_project():
            self._fail(NOT_IN_PROJECT.format(cwd=Path.cwd()), EXIT_BAD_INPUT)
            return
        if self.settings is not None and self.settings.get("COMMANDS_MODULE") != __package__:
            # another Scrapy project in the same environment reached us through the
            # entry point: its crawl is Scrapy's own
            super().run(args, opts)
            return
        if len(args) != 1:
            raise UsageError("give exactly one spider, e.g. `scrapy crawl materna`")
        # -- archive store hook: ARCHIVE_DIR=s3://… crawls into a local copy (mirror.py)
        try:
            self.store = use_store(self.settings) if self.settings is not None else None
        except ArchiveUnusable as error:
            self._fail(str(error), EXIT_BAD_INPUT)
            return
        # -- end of archive store hook
        spidercls = self._checked_spider(args[0], opts.spargs)
        if spidercls is not None and self._archive_ready(spidercls, opts.spargs):
            self._crawl(spidercls, opts.spargs)

    def _checked_spider(self, name: str, spargs: dict[str, Any]) -> type[Spider] | None:
        """The spider class, its options checked; None (after one line) when not."""
        assert self.crawler_process is not None
        loader = self.crawler_process.spider_loader
        try:
            spidercls = loader.load(name)
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                check(spargs)
        except KeyError as error:
            spiders = ", ".join(sorted(loader.list())) or "none"
            self._fail(f"{str(error).strip(QUOTES)} (spiders: {spiders})", EXIT_BAD_INPUT)
            return None
        except (UserFacingError, ValueError) as error:
            self._fail(str(error).strip(QUOTES), EXIT_BAD_INPUT)
            return None
        return spidercls

    def _archive_ready(self, spidercls: type[Spider], spargs: dict[str, Any]) -> bool:
        site = spargs.get("site") or getattr(spidercls, "default_site", None)
        try:
            self._check_archive(site)
        except ArchiveUnusable as error:
            self._fail(str(error), EXIT_BAD_INPUT)
            return False
        except ArchiveLocked as error:
            self._fail(str(error), 1)
            return False
        return True

    def _crawl(self, spidercls: type[Spider], spargs: dict[str, Any]) -> None:
        assert self.crawler_process is not None
        crawler = self._create_crawler(spidercls)
        handler = _OneLineErrors()
        for name in NOISY_LOGGERS:
            logging.getLogger(name).addFilter(handler)
        self.crawler_process.crawl(crawler, **spargs)
        process: Any = self.crawler_process  # CrawlerProcessBase's stub lacks stop()
        Interrupts(process, crawler, lambda: self._abort(crawler, handler)).install()
        self.crawler_process.start(install_signal_handlers=False)
        # the crawl has ended and saved everything: a late signal must not cut the report
        install_shutdown_handlers(signal.SIG_IGN)
        self._finish(crawler, handler)
        self._push_to_store(crawler)  # archive store hook

    def _push_to_store(self, crawler: Crawler) -> None:
        """Upload what the crawl wrote to the archive store (when ARCHIVE_DIR is one)."""
        if self.store is None or crawler.spider is None or self.settings is None:
            return
        site = identity_of(crawler.spider).site
        layout = SiteLayout.of(Path(self.settings["ARCHIVE_DIR"]) / site)
        try:
            SiteMirror(self.store, layout).sync_after_crawl()
        except ArchiveUnusable as error:
            self._fail(str(error), 1)

    def _abort(self, crawler: Crawler, handler: _OneLineErrors) -> None:
        """The second signal: report as usual and end now, without waiting for the
        requests on the wire (the archive and the crawl log have saved what they hold)."""
        self._finish(crawler, handler)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(self.exitcode or 1)

    def _check_archive(self, site: str | None) -> None:
        """Fail before any request when the site's archive cannot be written
        (ArchiveUnusable) or another crawl holds it (ArchiveLocked)."""
        if not site or self.settings is None:
            return
        layout = SiteLayout.of(archive_root(self.settings.get("ARCHIVE_DIR", "data")) / site)
        check_writable(layout.site_dir)
        if self.store is not None:  # archive store hook: pull, push leftovers (under the lock)
            SiteMirror(self.store, layout).sync_before_crawl()
        if layout.lock_path.exists():
            probe = SiteLock(layout.lock_path, site)
            probe.acquire()
            probe.release()

    def _finish(self, crawler: Crawler, handler: _OneLineErrors) -> None:
        if handler.message is not None:
            self._fail(handler.message, 1)
            return
        verdict = crawl_verdict(crawler)
        if verdict is None:
            # no crawl-log verdict: the crawl never ran to its end; never exit 0 then
            self._fail("the crawl could not start or stopped before its end (see the log)", 1)
            return
        print(verdict.summary, file=sys.stdout if verdict.healthy else sys.stderr)
        if not verdict.healthy:
            self._fail(verdict.reason, verdict.exit_status)

    def _fail(self, message: str, status: int) -> None:
        print(f"error: {message}", file=sys.stderr)
        self.exitcode = status


class _OneLineErrors(logging.Filter):
    """Swallow the traceback of an expected error and keep its message for one line."""

    def __init__(self) -> None:
        super().__init__()
        self.message: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if _find_error(record.exc_info, NETWORK_ERRORS) is not None:
            record.exc_info, record.exc_text = None, None
            return True
        error = _find_error(record.exc_info, EXPECTED_ERRORS)
        if error is None:
            return True
        self.message = self.message or str(error)
        return False


def _find_error(exc_info: Any, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of ``kinds`` in the record's exception chain."""
    if not exc_info or exc_info[1] is None:
        return None
    error: BaseException | None = exc_info[1]
    while error is not None:
        if isinstance(error, kinds):
            return error
        error = error.__cause__ or error.__context__
    return None
