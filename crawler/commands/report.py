"""``scrapy report <site> [-o report.html]``: write the analysts' HTML report of a site's archive.

Reads ``ARCHIVE_DIR/<site>/`` (``ARCHIVE_DIR`` setting, default ``data``) and
writes one self-contained HTML file (see :mod:`pipelines.report`).  Prints the
path written and one line per section it could not show; bad input (no such
archive, unreadable Parquet) is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from pipelines.report import DEFAULT_TIMEZONE, write_report


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "<site> [-o FILE]"

    def short_desc(self) -> str:
        return "Write a self-contained HTML report of a site's archive"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-o", "--output", metavar="FILE", default="report.html", help="default: report.html"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one site, e.g. `scrapy report materna`")
        assert self.settings is not None
        site = args[0]
        site_dir = Path(self.settings.get("ARCHIVE_DIR", "data")) / site
        if not site_dir.is_dir():
            self._fail(f"report: no archive for site {site!r} at {site_dir}")
            return
        timezone = self.settings.get("REPORT_TIMEZONE", DEFAULT_TIMEZONE)
        try:
            missing = write_report(site_dir, site, Path(opts.output), timezone=timezone)
        except (OSError, pa.ArrowException) as error:
            self._fail(f"report: cannot read the archive at {site_dir}: {error}")
            return
        print(f"Wrote {opts.output}")
        for line in missing:
            print(f"Not shown: {line}")

    def _fail(self, line: str) -> None:
        print(line.replace("\n", " "), file=sys.stderr)
        self.exitcode = 1
