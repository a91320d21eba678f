"""``scrapy compact <site> [--month YYYY-MM | --before YYYY-MM]``: merge older crawls'
files into one file per month (:mod:`pipelines.archive.compaction`).

Each crawl already leaves one file per dataset folder; a blog crawled nightly
still gains thirty a month, and every reader of the store pays per file.  Under
the site lock, like a crawl; without an option, every month before the current
one.  Prints one line per file written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.archive_dir import archive_root
from pipelines.archive import ArchiveLocked, SiteLayout
from pipelines.archive.compaction import MONTH, compact_site
from pipelines.archive.layout import ArchiveUnusable
from pipelines.archive.reextract import site_dir_error

EXIT_BAD_INPUT = 2


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "<site> [--month YYYY-MM | --before YYYY-MM]"

    def short_desc(self) -> str:
        return "Merge a site's older crawl files into one file per month (under the lock)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--month", metavar="YYYY-MM", help="merge this month's crawls")
        parser.add_argument(
            "--before",
            metavar="YYYY-MM",
            help="merge every month before this one (default: the current month, UTC)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one site name")
        months, before = _months(opts)
        assert self.settings is not None
        try:
            root = archive_root(self.settings.get("ARCHIVE_DIR", "data"))
        except ArchiveUnusable as error:
            self._fail(str(error), EXIT_BAD_INPUT)
            return
        site = args[0]
        if missing := site_dir_error(root, site):
            self._fail(missing, 1)
            return
        layout = SiteLayout(root, site)
        try:
            merged = compact_site(layout, months, before)
        except ArchiveLocked as exc:
            self._fail(str(exc), 1)
            return
        for done in merged:
            folder = done.path.parent.name
            print(
                f"compact {site}: {folder}/{done.path.name}: {done.rows} rows"
                f" from {done.replaced} files"
            )
        if not merged:
            print(f"compact {site}: nothing to merge")

    def _fail(self, message: str, status: int) -> None:
        print(f"compact: {message}", file=sys.stderr)
        self.exitcode = status


def _months(opts: argparse.Namespace) -> tuple[list[str] | None, str]:
    """The months asked for (None: every month before the second value)."""
    if opts.month and opts.before:
        raise UsageError("give --month or --before, not both")
    for value in (opts.month, opts.before):
        if value is not None and not MONTH.match(value):
            raise UsageError(f"not a month: {value!r} (YYYY-MM, e.g. 2026-03)")
    if opts.month:
        return [opts.month], opts.month
    return None, opts.before or f"{datetime.now(UTC):%Y-%m}"
