"""``scrapy compact <site> [--month YYYY-MM | --before YYYY-MM]``: merge older crawls'
files into one file per month (:mod:`pipelines.archive.compaction`).

Each crawl already leaves one file per dataset folder; a blog crawled nightly
still gains thirty a month, and every reader of the store pays per file.  Under
the site lock, like a crawl; without an option, every month before the current
one.  Prints one line per file written.  With ``ARCHIVE_DIR=s3://…`` it works as
a crawl does, on the node's local copy: pull, merge, then upload the month file
and delete the objects it replaces.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from blog.errors import EXIT_BAD_INPUT
from pipelines.archive import ArchiveLocked, SiteLayout
from pipelines.archive.compaction import MONTH, Merged, compact_site
from pipelines.archive.layout import ArchiveUnusable
from pipelines.archive.mirror import SiteMirror, use_store
from pipelines.archive.reextract import site_dir_error
from pipelines.archive.store import ArchiveStore


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
            store = use_store(self.settings)  # ARCHIVE_DIR=s3://…: work on the local copy
        except ArchiveUnusable as error:
            self._fail(str(error), EXIT_BAD_INPUT)
            return
        layout = SiteLayout(Path(self.settings.get("ARCHIVE_DIR", "data")), args[0])
        try:
            merged = self._compact(layout, store, months, before)
        except (ArchiveLocked, ArchiveUnusable) as error:
            self._fail(str(error), 1)
            return
        if merged is not None:
            self._print(layout.site, merged)

    def _compact(
        self, layout: SiteLayout, store: ArchiveStore | None, months: list[str] | None, before: str
    ) -> list[Merged] | None:
        """Merge under the lock; with a store, pull first and upload after (the
        store's replaced objects are deleted once the month file is up)."""
        mirror = SiteMirror(store, layout) if store is not None else None
        if mirror is not None:
            mirror.sync_before_crawl()
        if missing := site_dir_error(layout.root, layout.site):
            self._fail(missing, 1)
            return None
        merged = compact_site(layout, months, before)
        if mirror is not None:
            mirror.sync_after_crawl()
        return merged

    def _print(self, site: str, merged: list[Merged]) -> None:
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
