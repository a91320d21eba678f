"""The archive: every version of every post, append-only Parquet plus raw WARC.

It never loses a post or a version and survives ``kill -9`` at any moment: data
files are immutable parts renamed into place (a crawl's parts staged, then
published as one file when it ends), derived ``posts.parquet`` is only
rebuilt at the end of a complete crawl, and a lock keeps crawls of one site
apart.  See :mod:`pipelines.archive.layout` for the files on disk.  The Scrapy
pipeline is :class:`pipelines.archive.pipeline.ArchivePipeline`.
"""

from __future__ import annotations

from pipelines.archive.archive import Added, InvalidPost, Outcome, SiteArchive
from pipelines.archive.content import content_hash
from pipelines.archive.layout import SiteLayout
from pipelines.archive.lock import ArchiveLocked
from pipelines.archive.posts import (
    KnownPost,
    count_versions,
    known_posts,
    read_posts,
    rebuild_posts,
)

__all__ = [
    "Added",
    "ArchiveLocked",
    "InvalidPost",
    "KnownPost",
    "Outcome",
    "SiteArchive",
    "SiteLayout",
    "content_hash",
    "count_versions",
    "known_posts",
    "read_posts",
    "rebuild_posts",
]
