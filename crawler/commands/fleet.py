"""``scrapy fleet schedule`` and ``scrapy fleet status``: many blogs on Scrapyd nodes.

``schedule`` queues the due blogs of the fleet file (``FLEET_FILE``) on the
Scrapyd nodes (``FLEET_NODES``); run it from cron as often as you like, a blog
is only queued when it is due and has no job.  ``status`` prints one line per
blog and exits 1 when a blog's last crawl failed or is overdue.  Both read the
blogs' crawl logs where the jobs write them (``ARCHIVE_DIR``: a folder, or an
object store such as ``s3://bucket/prefix``).  A bad fleet file or setting, or a
store that cannot be reached, is one line and exit 2; a node that does not
answer, exit 1.
See :mod:`crawler.fleet`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from blog.errors import EXIT_BAD_INPUT, UserFacingError
from crawler.fleet.fleet import Fleet

ACTIONS = ("schedule", "status")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "schedule|status"

    def short_desc(self) -> str:
        return "Schedule the fleet's due blogs on Scrapyd, or tell each blog's last crawl"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or args[0] not in ACTIONS:
            raise UsageError("give schedule or status, e.g. `scrapy fleet status`")
        assert self.settings is not None
        try:
            fleet = Fleet.from_settings(self.settings)
            fleet.check_archive()
        except UserFacingError as error:
            print(f"error: {error}", file=sys.stderr)
            self.exitcode = EXIT_BAD_INPUT
            return
        now = datetime.now(UTC)
        lines, well = fleet.schedule(now) if args[0] == "schedule" else fleet.status(now)
        for line in lines:
            print(line, file=sys.stderr if line.startswith("error: ") else sys.stdout)
        self.exitcode = 0 if well else 1
