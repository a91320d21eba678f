"""``scrapy rebuild <site>``: rewrite posts.parquet from versions/ and events/ alone."""

from __future__ import annotations

import argparse
import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from pipelines.archive import ArchiveLocked, SiteArchive, count_versions, rebuild_posts
from pipelines.archive.reextract import site_dir_error


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "<site>"

    def short_desc(self) -> str:
        return "Rebuild a site's posts.parquet from its archived versions (under the lock)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one site name")
        assert self.settings is not None
        root, site = self.settings.get("ARCHIVE_DIR", "data"), args[0]
        if error := site_dir_error(root, site):
            self._fail(error)
            return
        archive = SiteArchive(root, site, "rebuild", warc=False)
        try:
            archive.open()
        except ArchiveLocked as exc:
            self._fail(str(exc))
            return
        try:
            posts = rebuild_posts(archive.layout.site_dir)
        finally:
            archive.lock.release()
        versions = count_versions(archive.layout.site_dir)
        print(f"rebuilt {archive.layout.posts_path}: {posts} posts from {versions} versions")

    def _fail(self, message: str) -> None:
        print(f"rebuild: {message}", file=sys.stderr)
        self.exitcode = 1
