"""Few, large files: a crawl's parts published as one file, older crawls merged by month.

**Publishing** (every crawl's end, and the next crawl's start for a killed one).
A crawl writes its small parts into ``<dataset>/_staging/<crawl>/``, which no
reader lists; :func:`publish` streams them, a row group of a few hundred rows
at a time, into ``<dataset>/part-<crawl>.parquet`` (temp name, fsync, rename),
then removes the staging folder.  Before the rename a reader sees none of the
crawl's rows, after it all of them, whatever it reads with: one rename is
atomic.  A kill before the rename leaves the staging folder whole (the temp
file is removed and the parts published again); a kill after it leaves the
published file, and recovery only removes what is left of the staging folder.

**Month compaction** (``scrapy compact``, on demand).  :func:`compact_month`
merges a month's files into ``<dataset>/month-YYYY-MM.parquet``, whose Parquet
metadata lists the names it replaces (:data:`~pipelines.archive.layout.REPLACES_KEY`),
renames it into place, then deletes the replaced files.  The archive's own
readers (:func:`~pipelines.archive.layout.parquet_parts`) skip a replaced file
from the moment the month file exists, so for them the swap is atomic; a plain
glob run during those seconds may see the month twice.  Recovery deletes what a
kill left of the replaced files.

Both run under the site lock.  ``ARCHIVE_CRASH_AT`` (tests only) kills the
process at a named step, so tests can check that a crash there loses nothing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipelines.archive.layout import (
    MONTH_PREFIX,
    PART_PREFIX,
    REPLACES_KEY,
    STAGING,
    SiteLayout,
    fsync_dir,
    month_path,
    parquet_parts,
    published_path,
    remove_temp_files,
    replaced_by,
    replaced_names,
    staging_dir,
    write_tables_atomic,
)
from pipelines.archive.lock import SiteLock
from pipelines.archive.parts import conformed_groups, regrouped, site_of
from pipelines.schema import EVENT_SCHEMA, POST_SCHEMA

logger = logging.getLogger(__name__)

#: The environment variable that names a step to die at (tests only).
CRASH_AT = "ARCHIVE_CRASH_AT"
#: A crawl id starts with its UTC start, ``YYYYMMDDTHHMMSSZ``: its month is YYYY-MM.
_CRAWL_MONTH = re.compile(r"^part-(\d{4})(\d{2})\d{2}T")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Merged:
    """What one merge did in one dataset folder: the file written, the files it
    replaced, and the rows it holds."""

    path: Path
    replaced: int
    rows: int


def dataset_schema(dataset: Path) -> pa.Schema:
    """The current schema of a dataset folder's files."""
    return EVENT_SCHEMA if dataset.name == "events" else POST_SCHEMA


def publish(dataset: Path, crawl_id: str) -> Merged | None:
    """Publish the parts the crawl ``crawl_id`` staged in ``dataset`` as one file;
    None when it staged none.  Safe to call again after a kill at any step."""
    staging = staging_dir(dataset, crawl_id)
    parts = sorted(staging.glob(f"{PART_PREFIX}*.parquet")) if staging.is_dir() else []
    target = published_path(dataset, crawl_id)
    if not parts:
        _remove_staging(staging)
        return None
    if target.exists() or target.name in replaced_names(parquet_parts(dataset)):
        logger.info("%s was published before a kill; removing its staging folder", target)
        _remove_staging(staging)
        return Merged(target, 0, 0)
    started = time.perf_counter()
    rows = write_tables_atomic(
        _crashing(_merged_groups(parts, dataset), "publish:writing"),
        dataset_schema(dataset),
        target,
    )
    crash_point("publish:renamed")
    _remove_staging(staging)
    logger.info(
        "published %d parts (%d rows) as %s in %.2f s",
        len(parts),
        rows,
        target,
        time.perf_counter() - started,
    )
    return Merged(target, len(parts), rows)


def publish_staged(layout: SiteLayout) -> list[Merged]:
    """Publish what every crawl staged and did not publish (killed crawls), and
    finish a month compaction a kill interrupted; under the site lock."""
    merged: list[Merged] = []
    for dataset in layout.datasets:
        remove_replaced(dataset)
        for crawl_id in staged_crawls(dataset):
            logger.info("publishing the parts a killed crawl %s left in %s", crawl_id, dataset)
            done = publish(dataset, crawl_id)
            if done is not None:
                merged.append(done)
        _remove_empty_staging(dataset)
    return merged


def staged_crawls(dataset: Path) -> list[str]:
    """The crawls with a staging folder in ``dataset``, in crawl order."""
    staging = dataset / STAGING
    return sorted(p.name for p in staging.iterdir() if p.is_dir()) if staging.is_dir() else []


def remove_replaced(dataset: Path) -> int:
    """Delete the files that a month file of ``dataset`` replaces and a kill left."""
    removed = 0
    for month_file in dataset.glob(f"{MONTH_PREFIX}*.parquet"):
        for name in replaced_by(month_file):
            path = dataset / name
            if path.exists():
                path.unlink()
                removed += 1
    if removed:
        fsync_dir(dataset)
    return removed


def crawl_month(path: Path) -> str | None:
    """The month (``YYYY-MM``) of the crawl a dataset file comes from; None for a
    month file, or a crawl id that does not start with its date."""
    match = _CRAWL_MONTH.match(path.name)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def compact_month(dataset: Path, month: str) -> Merged | None:
    """Merge the files of ``dataset`` whose crawls ran in ``month`` (and its month
    file, if an earlier compaction wrote one) into ``month-<month>.parquet``; None
    when there is nothing to merge.  Under the site lock, after :func:`publish_staged`."""
    target = month_path(dataset, month)
    files = [p for p in parquet_parts(dataset) if crawl_month(p) == month]
    if not files:
        return None
    earlier = [target] if target.exists() else []
    replaced = sorted({p.name for p in files} | set(replaced_by(target) if earlier else []))
    schema = dataset_schema(dataset).with_metadata(
        {**(dataset_schema(dataset).metadata or {}), REPLACES_KEY: json.dumps(replaced).encode()}
    )
    rows = write_tables_atomic(
        _crashing(_merged_groups([*earlier, *files], dataset), "compact:writing"), schema, target
    )
    crash_point("compact:renamed")
    for index, path in enumerate(files):
        path.unlink()
        if index == 0:
            crash_point("compact:deleting")
    fsync_dir(dataset)
    return Merged(target, len(files), rows)


def compact_site(layout: SiteLayout, months: list[str] | None, before: str) -> list[Merged]:
    """Under the site lock (ArchiveLocked when a crawl holds it): publish what killed
    crawls staged, then merge each of ``months`` (None: every month before
    ``before``) in every dataset folder; return the merges done."""
    lock = SiteLock(layout.lock_path, layout.site)
    lock.acquire()
    try:
        remove_temp_files(layout)
        publish_staged(layout)
        done = []
        for dataset in layout.datasets:
            for month in months if months is not None else months_before(dataset, before):
                merged = compact_month(dataset, month)
                if merged is not None:
                    done.append(merged)
        return done
    finally:
        lock.release()


def months_before(dataset: Path, month: str) -> list[str]:
    """The months before ``month`` that have crawl files in ``dataset``, oldest first."""
    months = {m for p in parquet_parts(dataset) if (m := crawl_month(p)) is not None}
    return sorted(m for m in months if m < month)


def crash_point(step: str) -> None:
    """Die here, as ``kill -9`` would, when the tests ask for it with ``ARCHIVE_CRASH_AT``."""
    if os.environ.get(CRASH_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _crashing(tables: Iterable[pa.Table], step: str) -> Iterator[pa.Table]:
    """``tables``, dying at ``step`` once the first is written (a file half written)."""
    for table in tables:
        yield table
        crash_point(step)


def _merged_groups(files: list[Path], dataset: Path) -> Iterator[pa.Table]:
    """The rows of ``files`` in order, in the dataset's current schema, in row
    groups of about ROW_GROUP_ROWS rows (a large file's own row groups as they are)."""
    schema = dataset_schema(dataset)
    known = {"site": site_of(dataset / "x.parquet")} if schema is POST_SCHEMA else None
    return regrouped(
        table.replace_schema_metadata(None)
        for path in files
        for table in conformed_groups(path, schema, None, known)
    )


def _remove_staging(staging: Path) -> None:
    """Remove a crawl's staging folder, part by part (a kill midway leaves the rest)."""
    if not staging.is_dir():
        _remove_empty_staging(staging.parent.parent)
        return
    for index, path in enumerate(sorted(staging.iterdir())):
        path.unlink()
        if index == 0:
            crash_point("publish:cleaning")
    staging.rmdir()
    fsync_dir(staging.parent)
    _remove_empty_staging(staging.parent.parent)


def _remove_empty_staging(dataset: Path) -> None:
    staging = dataset / STAGING
    if staging.is_dir() and not any(staging.iterdir()):
        staging.rmdir()
