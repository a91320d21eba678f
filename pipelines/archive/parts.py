"""Append-only Parquet datasets: a crawl's small parts, and reading files by row group.

A crawl writes ``_staging/<crawl_id>/part-<seq:05d>.parquet`` into a dataset
folder; once renamed into place a part is never rewritten, so a reader (or a
kill) only ever sees whole files.  When the crawl ends its parts are published
as one file (:mod:`pipelines.archive.compaction`).  Large files are read one
row group at a time, so that memory does not grow with the archive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.archive.layout import PART_PREFIX, ROW_GROUP_ROWS, SiteLayout, write_table_atomic
from pipelines.schema import POST_SCHEMA, conform, read_conformed

_SEQ = re.compile(r"^part-(\d{5})\.parquet$")


class PartWriter:
    """Writes rows of one crawl into new part files of ``directory`` with ``schema``
    (the crawl's staging folder, created with its first part)."""

    def __init__(self, directory: Path, schema: pa.Schema) -> None:
        self.directory = directory
        self.schema = schema
        self._seq = _last_seq(directory)

    def write(self, rows: Sequence[dict[str, Any]]) -> Path:
        """Write ``rows`` (dicts keyed by column name) as one new part; return its path."""
        return self.write_table(pa.Table.from_pylist(list(rows), schema=self.schema))

    def write_table(self, table: pa.Table) -> Path:
        """Write ``table`` (of this writer's schema) as one new part; return its path."""
        self._seq += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{PART_PREFIX}{self._seq:05d}.parquet"
        write_table_atomic(table, path)
        return path


def _last_seq(directory: Path) -> int:
    if not directory.is_dir():
        return 0
    seqs = [int(m.group(1)) for p in directory.iterdir() if (m := _SEQ.match(p.name))]
    return max(seqs, default=0)


def read_versions(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """Read a versions file (or posts.parquet) in the current schema: only
    ``columns`` (all when None), those the file predates as nulls or empty lists.

    A file written before schema 3 has no ``site``: it reads as the name of the
    site folder the file lives in, which is the blog's name by construction (the
    crawl of ``-a site=NAME`` writes ``ARCHIVE_DIR/NAME/``), so it is known, not
    guessed; a null would leave old rows out of every per-blog count."""
    return read_conformed(path, POST_SCHEMA, columns, {"site": site_of(path)})


def version_groups(path: Path, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
    """The row groups of a versions file, one at a time, as :func:`read_versions` reads."""
    return conformed_groups(path, POST_SCHEMA, columns, {"site": site_of(path)})


def conformed_groups(
    path: Path,
    schema: pa.Schema,
    columns: Sequence[str] | None = None,
    known: Mapping[str, Any] | None = None,
) -> Iterator[pa.Table]:
    """The row groups of the Parquet file ``path`` in the current ``schema``, one at
    a time (see :func:`pipelines.schema.read_conformed`)."""
    file = pq.ParquetFile(path)
    for index in range(file.num_row_groups):
        yield _conformed_group(file, index, schema, columns, known)


def version_group_at(
    path: Path, row: int, columns: Sequence[str] | None = None
) -> tuple[int, pa.Table]:
    """The row group of a versions file that holds row ``row``: (its first row, its rows)."""
    file = pq.ParquetFile(path)
    start = 0
    for index in range(file.num_row_groups):
        rows = file.metadata.row_group(index).num_rows
        if row < start + rows:
            known = {"site": site_of(path)}
            return start, _conformed_group(file, index, POST_SCHEMA, columns, known)
        start += rows
    raise IndexError(f"{path} has no row {row}")


def _conformed_group(
    file: pq.ParquetFile,
    index: int,
    schema: pa.Schema,
    columns: Sequence[str] | None,
    known: Mapping[str, Any] | None,
) -> pa.Table:
    wanted = list(columns) if columns is not None else list(schema.names)
    present = set(file.schema_arrow.names)
    table = file.read_row_group(index, columns=[c for c in wanted if c in present])
    if all(c in present for c in wanted):
        return table
    return conform(table, schema, known).select(wanted)


def regrouped(tables: Iterable[pa.Table], rows: int = ROW_GROUP_ROWS) -> Iterator[pa.Table]:
    """``tables`` (of one schema) concatenated into groups of at least ``rows`` rows,
    the last one excepted: the row groups of a file the archive merges."""
    group: list[pa.Table] = []
    count = 0
    for table in tables:
        group.append(table)
        count += table.num_rows
        if count >= rows:
            yield pa.concat_tables(group)
            group, count = [], 0
    if group:
        yield pa.concat_tables(group)


def site_of(path: Path) -> str | None:
    """The name of the site folder holding ``path``; None when there is none."""
    return SiteLayout.holding(path).site or None
