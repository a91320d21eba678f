"""``ARCHIVE_DIR`` for the commands that read the archive from a local folder.

``scrapy crawl`` and ``scrapy compact`` work on object storage too (``s3://bucket/prefix``:
on a local copy, :mod:`pipelines.archive.mirror`), and ``scrapy fleet`` reads the
crawl logs there (:mod:`crawler.fleet.crawl_logs`); the other commands read a
folder, and a URI would be taken for a relative folder named ``s3:``.  So they
refuse any ``scheme://`` value with one line before anything is read or written;
``scrapy report --fleet``, which reads only each blog's ``posts.parquet``, reads a
copy of those (:func:`fleet_report_folder`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.fs as pafs

from pipelines.archive.layout import ArchiveUnusable, SiteLayout
from pipelines.archive.store import ArchiveStore

#: ``scheme://…``: an ARCHIVE_DIR that names object storage (or another URI), not a folder
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def archive_root(value: str) -> Path:
    """ARCHIVE_DIR as a local folder; a URI (``s3://bucket/prefix``, ``file://…``) is
    refused with ArchiveUnusable (exit status 2)."""
    if URI.match(value):
        raise ArchiveUnusable(
            f"ARCHIVE_DIR={value}: this command reads a local folder; only scrapy crawl,"
            " scrapy compact, scrapy fleet and scrapy report --fleet use object storage"
        )
    return Path(value)


@contextmanager
def fleet_report_folder(value: str) -> Iterator[Path]:
    """ARCHIVE_DIR as a folder the fleet report reads: a folder as it is; for a store
    URI, a temp folder (removed afterwards) with a folder per blog of the store and a
    copy of its ``posts.parquet``, all that report reads of a blog.  StoreUnusable for
    a URI pyarrow cannot open, OSError when the store fails."""
    if not URI.match(value):
        yield Path(value)
        return
    store = ArchiveStore.from_uri(value)
    with tempfile.TemporaryDirectory(prefix="fleet-report-") as folder:
        for blog in _folders(store):
            _copy_blog(store, SiteLayout(Path(folder), blog))
        yield Path(folder)


def _folders(store: ArchiveStore) -> list[str]:
    selector = pafs.FileSelector(store.root, allow_not_found=True)
    infos = store.filesystem.get_file_info(selector)
    return sorted(i.base_name for i in infos if i.type == pafs.FileType.Directory)


def _copy_blog(store: ArchiveStore, layout: SiteLayout) -> None:
    """The blog's ``posts.parquet``; a blog with none yet keeps a folder marked as a
    blog's, as on disk (its crawl log, an empty ``versions/``), so it counts with no posts."""
    for path in (layout.posts_path, layout.crawls_path):
        key = path.relative_to(layout.root).as_posix()
        if store.exists(key):
            store.get(key, path)
            return
    versions = store.path(layout.versions_dir.relative_to(layout.root).as_posix())
    if store.filesystem.get_file_info(versions).type == pafs.FileType.Directory:
        layout.versions_dir.mkdir(parents=True)
