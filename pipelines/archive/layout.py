"""Where a site's archive lives on disk, and how a file gets there atomically.

``ARCHIVE_DIR/<site>/``::

    .lock                          flock + pid of the running crawl
    versions/part-<crawl>.parquet  every version (POST_SCHEMA), one file per crawl
    versions/month-<YYYY-MM>.parquet   a month's crawls merged by ``scrapy compact``
    versions/_staging/<crawl>/part-<seq:05d>.parquet   a running (or killed) crawl's parts
    events/…                       gone / back / alias events (EVENT_SCHEMA), the same way
    posts.parquet                  newest version of every URL, derived
    warc/<crawl>.warc.gz           raw pages; ``.warc.gz.open`` while being written
    crawls.parquet                 the crawl log, one row per crawl (CRAWL_SCHEMA)
    httpcache/                     Scrapy's HTTP cache of discovery documents

:class:`SiteLayout` is the one place that names these files and folders.

Files are written to a temporary name that starts with ``.`` and ends with
``.tmp`` (so pyarrow, pandas, DuckDB and polars globs never see them), fsynced,
then ``os.replace``d; a kill leaves either the old file or the new one.

A dataset folder (``versions/``, ``events/``) is read through :func:`parquet_parts`:
its visible files in crawl order, without those a month file replaces (see
:mod:`pipelines.archive.compaction`).  Archives written before compaction hold
``part-<crawl>-<seq:05d>.parquet`` files; they sort and read as before.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from blog.errors import UserFacingError

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
#: The hidden folder of a dataset where a crawl writes its parts until it publishes
#: them (``_``: pyarrow, pandas, Spark and DuckDB/polars globs skip it).
STAGING = "_staging"
#: A month file's Parquet key-value metadata: the JSON list of the file names it replaces.
REPLACES_KEY = b"blog_archiver.replaces"
MONTH_PREFIX = "month-"
PART_PREFIX = "part-"
#: Rows per row group of the files the archive merges (posts.parquet, a crawl's
#: published parts, a month file): what one merge holds in memory at a time.
ROW_GROUP_ROWS = 500


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
    def datasets(self) -> tuple[Path, Path]:
        """The append-only dataset folders, each made of immutable Parquet files."""
        return (self.versions_dir, self.events_dir)

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
        if file.parent.parent.name == STAGING:  # a staged part: <dataset>/_staging/<crawl>/
            file = file.parents[2] / file.name
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


def staging_dir(dataset: Path, crawl_id: str) -> Path:
    """Where the crawl ``crawl_id`` writes its parts of ``dataset`` until it publishes them."""
    return dataset / STAGING / crawl_id


def published_path(dataset: Path, crawl_id: str) -> Path:
    """The one file of ``dataset`` that holds every row the crawl ``crawl_id`` wrote."""
    return dataset / f"{PART_PREFIX}{crawl_id}.parquet"


def month_path(dataset: Path, month: str) -> Path:
    """The file of ``dataset`` that merges the crawls of ``month`` (``YYYY-MM``)."""
    return dataset / f"{MONTH_PREFIX}{month}.parquet"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def parquet_parts(directory: Path) -> list[Path]:
    """The files of a dataset directory in the order their crawls ran, without
    those a month file replaces (written, not yet deleted, by ``scrapy compact``)."""
    if not directory.is_dir():
        return []
    visible = [p for p in directory.glob("*.parquet") if not p.name.startswith((".", "_"))]
    replaced = replaced_names(visible)
    return sorted((p for p in visible if p.name not in replaced), key=crawl_order)


def staged_parts(directory: Path) -> list[Path]:
    """The parts that crawls staged in a dataset directory and have not published
    (a running crawl's, or a killed one's), in crawl order."""
    staged = directory / STAGING
    if not staged.is_dir():
        return []
    parts = [p for p in staged.glob(f"*/{PART_PREFIX}*.parquet") if not p.name.startswith(".")]
    return sorted(parts, key=crawl_order)


def archived_files(dataset: Path) -> list[Path]:
    """The files of a dataset folder with every row archived so far, in crawl
    order: the visible files and the parts staged by crawls not yet published.

    The staged parts are listed first: a crawl publishing meanwhile then shows up
    twice (its staged parts, or FileNotFoundError, and its new file), which the
    readers fold, and never not at all."""
    staged = staged_parts(dataset)
    return sorted([*parquet_parts(dataset), *staged], key=crawl_order)


#: How often a reader without the lock lists the files again when one vanished
#: (a crawl published its staged parts, or ``scrapy compact`` merged a month).
RETRIES = 5
_T = TypeVar("_T")


def read_listed(read: Callable[[], _T]) -> _T:
    """``read()``, which lists a dataset's files and reads them, done again (up to
    RETRIES times) when a file it listed vanished before it was read."""
    for _ in range(RETRIES - 1):
        try:
            return read()
        except FileNotFoundError:
            continue
    return read()


def crawl_order(path: Path) -> tuple[str, str]:
    """Sort key of a dataset file: the crawl it comes from, then its sequence.

    ``part-<crawl>.parquet`` sorts by its crawl id (which starts with the crawl's
    UTC start, ``YYYYMMDDTHHMMSSZ``), an older ``part-<crawl>-<seq>.parquet`` just
    before it; a staged part where its crawl's file will be; ``month-YYYY-MM``
    before every crawl of that month (``YYYYMM`` is a prefix of their ids)."""
    name = path.name
    if path.parent.parent.name == STAGING:
        return (f"{path.parent.name}.parquet", name)
    if name.startswith(MONTH_PREFIX):
        return (name.removeprefix(MONTH_PREFIX).removesuffix(".parquet").replace("-", ""), "")
    return (name.removeprefix(PART_PREFIX), "")


def replaced_names(files: Iterable[Path]) -> set[str]:
    """The names of the files that the month files among ``files`` replace."""
    replaced: set[str] = set()
    for path in files:
        if path.name.startswith(MONTH_PREFIX):
            replaced.update(replaced_by(path))
    return replaced


def replaced_by(month_file: Path) -> list[str]:
    """The file names that ``month_file`` merged (from its footer, no data read)."""
    metadata = pq.read_schema(month_file).metadata or {}
    names: list[str] = json.loads(metadata.get(REPLACES_KEY, b"[]"))
    return names


def remove_temp_files(layout: SiteLayout) -> int:
    """Delete the temp files a killed writer left; return how many."""
    removed = 0
    for path in _temp_files(layout):
        logger.info("removing leftover temp file %s", path)
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _temp_files(layout: SiteLayout) -> Iterator[Path]:
    for directory in (layout.site_dir, *layout.datasets):
        if directory.is_dir():
            yield from directory.glob(f".*{TEMP_SUFFIX}")
            yield from directory.glob(f"{STAGING}/*/.*{TEMP_SUFFIX}")
