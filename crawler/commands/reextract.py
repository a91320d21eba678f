"""``scrapy reextract <site>``: re-run extraction over the site's WARCs, offline.

Appends a version wherever the current extractor's result differs from the
newest archived one, then rebuilds posts.parquet; prints one summary line.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from pipelines.archive import ArchiveLocked
from pipelines.archive.reextract import reextract_site, site_dir_error


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "<site>"

    def short_desc(self) -> str:
        return "Re-extract a site's archived WARC pages and append changed versions"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one site name")
        assert self.settings is not None
        root, site = self.settings.get("ARCHIVE_DIR", "data"), args[0]
        if error := site_dir_error(root, site):
            self._fail(error)
            return
        from pipelines.extract import extract
        from pipelines.profile import load_profile

        profile = load_profile(site)
        try:
            counts = reextract_site(
                root,
                site,
                lambda html, url: extract(html, url, profile),
                flush_every=self.settings.getint("ARCHIVE_FLUSH_EVERY", 20),
            )
        except ArchiveLocked as exc:
            self._fail(str(exc))
            return
        print(
            f"reextract {site}: {counts['pages']} pages, {counts['new']} new,"
            f" {counts['changed']} changed, {counts['relinked']} relinked,"
            f" {counts['unchanged']} unchanged,"
            f" {counts['stale']} stale, {counts['not_post']} not posts,"
            f" {counts['invalid']} invalid"
        )

    def _fail(self, message: str) -> None:
        print(f"reextract: {message}", file=sys.stderr)
        self.exitcode = 1
