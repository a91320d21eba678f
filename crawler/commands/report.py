"""``scrapy report <site> [-o report.html]``: write the analysts' HTML report of a site's archive.

Reads ``ARCHIVE_DIR/<site>/`` (``ARCHIVE_DIR`` setting, default ``data``) and
writes one self-contained HTML file (see :mod:`pipelines.report`); with
``--fleet`` instead of a site, the report of every blog under ``ARCHIVE_DIR``, which
may then be an archive store too (``s3://bucket/prefix``: each blog's ``posts.parquet``
is read from a temp copy).
Prints the path written and one line per section it could not show; bad input
(no such archive, unreadable Parquet) is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from blog.errors import UserFacingError
from crawler.archive_dir import archive_root, fleet_report_folder

if TYPE_CHECKING:
    from types import ModuleType


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}
    report: ModuleType

    def syntax(self) -> str:
        return "<site> | --fleet [-o FILE]"

    def short_desc(self) -> str:
        return "Write a self-contained HTML report of a site's archive"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-o", "--output", metavar="FILE", default="report.html", help="default: report.html"
        )
        parser.add_argument(
            "--fleet", action="store_true", help="report every blog under ARCHIVE_DIR at once"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        # Scrapy imports every command's module for every command; the report's
        # matplotlib and pandas (a second or more) are imported by this one alone.
        from pipelines import report

        self.report = report
        if opts.fleet:
            if args:
                raise UsageError("--fleet reports every blog: give no site")
            self._report_fleet(Path(opts.output))
            return
        if len(args) != 1:
            raise UsageError("give exactly one site, e.g. `scrapy report materna`")
        site = args[0]
        try:
            site_dir = self._archive_dir() / site
        except UserFacingError as error:  # a store URI: one blog's report reads a folder
            self._fail(f"report: {error}")
            return
        if not site_dir.is_dir():
            self._fail(f"report: no archive for site {site!r} at {site_dir}")
            return
        try:
            missing = self.report.write_report(
                site_dir, site, Path(opts.output), timezone=self._timezone()
            )
        except (OSError, pa.ArrowException) as error:
            self._fail(f"report: cannot read the archive at {site_dir}: {error}")
            return
        self._done(opts.output, missing)

    def _report_fleet(self, output: Path) -> None:
        assert self.settings is not None
        value = str(self.settings.get("ARCHIVE_DIR", "data"))
        try:
            with fleet_report_folder(value) as archive_dir:
                if not archive_dir.is_dir():
                    self._fail(f"report: no archive folder at {archive_dir}")
                    return
                missing = self.report.write_fleet_report(
                    archive_dir, output, timezone=self._timezone()
                )
        except UserFacingError as error:  # a URI pyarrow cannot open
            self._fail(f"report: {error}")
            return
        except (OSError, pa.ArrowException) as error:
            self._fail(f"report: cannot read the archives under {value}: {error}")
            return
        self._done(str(output), missing)

    def _archive_dir(self) -> Path:
        assert self.settings is not None
        return archive_root(str(self.settings.get("ARCHIVE_DIR", "data")))

    def _timezone(self) -> str:
        assert self.settings is not None
        return str(self.settings.get("REPORT_TIMEZONE", self.report.DEFAULT_TIMEZONE))

    def _done(self, output: str, missing: list[str]) -> None:
        print(f"Wrote {output}")
        for line in missing:
            print(f"Not shown: {line}")

    def _fail(self, line: str) -> None:
        print(line.replace("\n", " "), file=sys.stderr)
        self.exitcode = 1
