"""Where a site's archive lives on disk, and how a file gets there atomically.

``ARCHIVE_DIR/<site>/``::

    .lock                          flock + pid of the running crawl
    versions/part-<crawl>-<seq:05d>.parquet   every version (POST_SCHEMA), append-only
    events/part-<crawl>-<seq:05d>.parquet     gone / back / alias events (EVENT_SCHEMA)
    posts.parquet                  newest version of every URL, derived
    warc/<crawl>.warc.gz           raw pages; ``.warc.gz.open`` while being written
    crawls.parquet                 the crawl log, one row per crawl (CRAWL_SCHEMA)
    httpcache/                     Scrapy's HTTP cache of discovery documents

:class:`SiteLayout` is the one place that names these files and folders.

Files are written to a temporary name that starts with ``.`` and ends with
``.tmp`` (so pyarrow, pandas, DuckDB and polars globs never see them), fsynced,
then ``os.replace``d; a kill leaves either the old file or the new one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from blog.errors import UserFacingError

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"


class ArchiveUnusable(UserFacingError):
    """The archive's folder cannot be created or written (permissions, a plain file
    in the way, a full or read-only disk); the message names the path and the reason."""

    @classmethod
    def of(cls, path: Path, error: OSError) -> ArchiveUnusable:
        return cls(f"cannot write the archive at {path}: {error.strerror or error}")


COMPRESSION = "zstd"


@dataclass(frozen=True)
class SiteLayout:
    """The paths of one site's archive under ``root``."""

    root: Path
    site: str

    @property
    def site_dir(self) -> Path:
        return self.root / self.site

    @property
    def versions_dir(self) -> Path:
        return self.site_dir / "versions"

    @property
    def events_dir(self) -> Path:
        return self.site_dir / "events"

    @property
    def warc_dir(self) -> Path:
        return self.site_dir / "warc"

    @property
    def posts_path(self) -> Path:
        return self.site_dir / "posts.parquet"

    @property
    def crawls_path(self) -> Path:
        return self.site_dir / "crawls.parquet"

    @property
    def httpcache_dir(self) -> Path:
        return self.site_dir / "httpcache"

    @property
    def lock_path(self) -> Path:
        return self.site_dir / ".lock"

    @classmethod
    def of(cls, site_dir: Path | str) -> SiteLayout:
        path = Path(site_dir)
        return cls(path.parent, path.name)

    @classmethod
    def holding(cls, path: Path | str) -> SiteLayout:
        """The layout of the site whose archive holds the file ``path``: in its folder
        (``posts.parquet``) or in one of its datasets (``versions/``, ``events/``)."""
        file = Path(path).absolute()
        own = cls.of(file.parent)
        if file in (own.posts_path, own.crawls_path):  # even for a blog named "versions"
            return own
        above = cls.of(file.parent.parent)
        return above if file.parent in (above.versions_dir, above.events_dir) else own

    def make_dirs(self) -> None:
        for path in (self.versions_dir, self.events_dir, self.warc_dir):
            path.mkdir(parents=True, exist_ok=True)


def check_writable(site_dir: Path) -> None:
    """Create ``site_dir`` and write and remove a probe file in it, or raise
    ArchiveUnusable: a crawl must not fetch a single page it could not keep."""
    probe = temp_path(site_dir / f"probe-{os.getpid()}")
    try:
        site_dir.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"probe")
        probe.unlink()
    except OSError as error:
        raise ArchiveUnusable.of(site_dir, error) from error


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_SUFFIX}")


def write_table_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` as zstd Parquet to ``path``: temp file, fsync, replace, fsync dir."""
    temp = temp_path(path)
    with temp.open("wb") as out:
        pq.write_table(table, out, compression=COMPRESSION)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


def write_tables_atomic(tables: Iterable[pa.Table], schema: pa.Schema, path: Path) -> int:
    """Write ``tables`` one row group each, as :func:`write_table_atomic` does a
    single table, holding only one of them in memory; return the rows written."""
    temp, rows = temp_path(path), 0
    with temp.open("wb") as out:
        with pq.ParquetWriter(out, schema, compression=COMPRESSION) as writer:
            for table in tables:
                writer.write_table(table)
                rows += table.num_rows
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)
    return rows


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def parquet_parts(directory: Path) -> list[Path]:
    """The finished part files of a dataset directory, in the order they were written."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.parquet") if not p.name.startswith((".", "_")))


def remove_temp_files(layout: SiteLayout) -> int:
    """Delete the temp files a killed writer left; return how many."""
    removed = 0
    for path in _temp_files(layout):
        logger.info("removing leftover temp file %s", path)
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _temp_files(layout: SiteLayout) -> Iterator[Path]:
    for directory in (layout.site_dir, layout.versions_dir, layout.events_dir):
        if directory.is_dir():
            yield from directory.glob(f".*{TEMP_SUFFIX}")
