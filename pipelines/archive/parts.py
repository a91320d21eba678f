"""Append-only Parquet datasets made of small, immutable part files.

A part is ``part-<crawl_id>-<seq:05d>.parquet``; once renamed into place it is
never rewritten, so a reader (or a kill) only ever sees whole files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.archive.layout import SiteLayout, parquet_parts, write_table_atomic
from pipelines.schema import POST_SCHEMA, read_conformed

_SEQ = re.compile(r"-(\d{5})\.parquet$")


class PartWriter:
    """Writes rows of one crawl into new part files of ``directory`` with ``schema``."""

    def __init__(self, directory: Path, crawl_id: str, schema: pa.Schema) -> None:
        self.directory = directory
        self.crawl_id = crawl_id
        self.schema = schema
        self._seq = _last_seq(directory, crawl_id)

    def write(self, rows: Sequence[dict[str, Any]]) -> Path:
        """Write ``rows`` (dicts keyed by column name) as one new part; return its path."""
        return self.write_table(pa.Table.from_pylist(list(rows), schema=self.schema))

    def write_table(self, table: pa.Table) -> Path:
        """Write ``table`` (of this writer's schema) as one new part; return its path."""
        self._seq += 1
        path = self.directory / f"part-{self.crawl_id}-{self._seq:05d}.parquet"
        write_table_atomic(table, path)
        return path


def _last_seq(directory: Path, crawl_id: str) -> int:
    prefix = f"part-{crawl_id}-"
    seqs = [
        int(match.group(1))
        for path in parquet_parts(directory)
        if path.name.startswith(prefix) and (match := _SEQ.search(path.name))
    ]
    return max(seqs, default=0)


def read_versions(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """Read a versions part (or posts.parquet) in the current schema: only
    ``columns`` (all when None), those the file predates as nulls or empty lists.

    A file written before schema 3 has no ``site``: it reads as the name of the
    site folder the file lives in, which is the blog's name by construction (the
    crawl of ``-a site=NAME`` writes ``ARCHIVE_DIR/NAME/``), so it is known, not
    guessed; a null would leave old rows out of every per-blog count."""
    return read_conformed(path, POST_SCHEMA, columns, {"site": site_of(path)})


def site_of(path: Path) -> str | None:
    """The name of the site folder holding ``path``; None when there is none."""
    return SiteLayout.holding(path).site or None
