"""``posts.parquet``: the newest version of every URL, derived from the datasets.

It is only ever rebuilt whole, from ``versions/`` and ``events/`` alone, so it
can be deleted and recreated at any time; a killed crawl never touches it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.archive.index import PostState, load_states
from pipelines.archive.layout import (
    SiteLayout,
    crawl_order,
    parquet_parts,
    write_tables_atomic,
)
from pipelines.archive.parts import read_versions, regrouped, version_groups
from pipelines.schema import POST_SCHEMA, conform

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnownPost:
    """What the spider needs to decide whether a post is worth fetching again."""

    url: str
    post_id: int | None
    modified_at: datetime | None
    fetched_at: datetime
    content_hash: str
    gone: bool


def rebuild_posts(site_dir: Path | str) -> int:
    """Rewrite ``<site_dir>/posts.parquet`` atomically from versions and events; return
    the number of posts.

    Rows come in the order their newest versions were archived (the order of
    ``versions/``, so a rebuild is byte-for-byte repeatable), a few hundred at a
    time: memory stays flat however many posts the site has.
    """
    layout = SiteLayout.of(site_dir)
    states = load_states(layout.site_dir)
    count = write_tables_atomic(_newest_rows(states), POST_SCHEMA, layout.posts_path)
    logger.info("rebuilt %s with %d posts", layout.posts_path, count)
    return count


def _newest_rows(states: dict[str, PostState]) -> Iterator[pa.Table]:
    """The newest version of every URL, in groups of about ROW_GROUP_ROWS rows."""
    by_part: dict[Path, list[int]] = defaultdict(list)
    for state in states.values():
        if state.part is not None:
            by_part[state.part].append(state.row)
    newest = (
        rows for part in sorted(by_part, key=crawl_order) for rows in _rows_of(part, by_part[part])
    )
    for group in regrouped(newest):
        yield _with_state_columns(conform(group), states)


def _rows_of(part: Path, rows: list[int]) -> Iterator[pa.Table]:
    """The rows numbered ``rows`` of the versions file ``part``, one row group at a
    time (a crawl's file holds thousands of versions with their bodies)."""
    wanted, start = sorted(rows), 0
    for table in version_groups(part):
        end = start + table.num_rows
        inside = [row - start for row in wanted if start <= row < end]
        if inside:
            yield table.take(inside)
        start = end


def _with_state_columns(table: pa.Table, states: dict[str, PostState]) -> pa.Table:
    ordered = [states[url] for url in table.column("url").to_pylist()]
    columns = {
        "first_seen_at": [s.first_seen_at for s in ordered],
        "gone_at": [s.gone_at for s in ordered],
        "aliases": [s.aliases for s in ordered],
    }
    for name, values in columns.items():
        index = POST_SCHEMA.get_field_index(name)
        field = POST_SCHEMA.field(index)
        table = table.set_column(index, field, pa.array(values, type=field.type))
    return table.replace_schema_metadata(POST_SCHEMA.metadata)


def known_posts(site_dir: Path | str) -> dict[str, KnownPost]:
    """Every archived URL with its newest version's dates and hash, and whether it is gone.

    This is ``posts.parquet`` plus whatever newer versions or events a killed crawl
    left, because it is read from the datasets themselves (small columns only).
    """
    return {
        url: KnownPost(url, s.post_id, s.modified_at, s.fetched_at, s.content_hash, gone=s.gone)
        for url, s in load_states(site_dir).items()
    }


def read_posts(site_dir: Path | str) -> pa.Table:
    """``posts.parquet`` in the current schema (empty when it was never built)."""
    path = SiteLayout.of(site_dir).posts_path
    if not path.exists():
        return POST_SCHEMA.empty_table()
    return read_versions(path)


def count_versions(site_dir: Path | str) -> int:
    """How many versions are archived (from Parquet footers, no data read)."""
    parts = parquet_parts(SiteLayout.of(site_dir).versions_dir)
    return sum(pq.ParquetFile(part).metadata.num_rows for part in parts)
