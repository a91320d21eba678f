"""The archive's Arrow schemas: the one place that names and types every column.

Every Parquet file the archive writes is built with its schema here explicitly
(:data:`POST_SCHEMA` for ``posts.parquet`` and ``versions/``, :data:`EVENT_SCHEMA`
for ``events/``, :data:`CRAWL_SCHEMA` for ``crawls.parquet``), so a row that
drifts from it fails loudly instead of being inferred into a different type.
Columns are only ever added, never renamed or retyped; :data:`SCHEMA_VERSION` is
stored in the file metadata and older files are read by :func:`conform` with
missing columns as nulls, or with a value the reader knows (a file's ``site`` is
the folder it lives in: :func:`pipelines.archive.parts.read_versions`).

What each post column means is written once, on the record types: the page
fields on :class:`blog.post.Post`, the archive's own columns on
:class:`VersionRow`.  A test (``tests/test_contract.py``) ties them to
:data:`COLUMNS` name for name and type for type; a column is nullable when its
field admits None and is not one of :data:`blog.post.REQUIRED_FIELDS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from blog.post import PageFields, Post

#: 2 added ``navigation_hash`` and ``changed_fields``: ``content_hash`` covers the
#: content alone (version 1 hashed navigation too).  3 added ``site`` to the posts,
#: so that many blogs' files read as one dataset, and ``job`` to the crawl log.
SCHEMA_VERSION = 3
METADATA_KEY = b"blog_archiver.schema_version"

UTC_US = pa.timestamp("us", tz="UTC")


class VersionRow(Post):
    """One row of ``versions/`` and ``posts.parquet``: a post as archived, with the
    archive's own columns."""

    content_hash: str
    """SHA-256 of the normalised content fields (every page field but the navigation:
    `related_links`, `comment_count`); before schema 2, of every page field"""
    navigation_hash: str | None
    """SHA-256 of the navigation fields (`related_links`, `comment_count`); null in
    versions archived before schema 2"""
    changed_fields: list[str]
    """the page fields that differ from the post's previous version, in column order;
    empty for a first version (and for versions archived before schema 2)"""
    first_seen_at: datetime
    """first crawl that archived this URL"""
    fetched_at: datetime
    """when this version was fetched"""
    crawl_id: str
    """the crawl that fetched this version"""
    gone_at: datetime | None
    """when the site stopped serving the post (404/410); null while it is served"""
    aliases: list[str]
    """other URLs that redirected to this post (old slugs)"""
    site: str | None
    """the blog's name, as in `-a site=` and its folder under `ARCHIVE_DIR`; files
    written before schema 3 read with the folder's name"""


AUTHOR = pa.struct(
    [
        pa.field("name", pa.string()),
        pa.field("url", pa.string()),
        pa.field("bio", pa.string()),
    ]
)
IMAGE = pa.struct(
    [
        pa.field("url", pa.string()),
        pa.field("alt", pa.string()),
        pa.field("caption", pa.string()),
        pa.field("credit", pa.string()),
    ]
)
RELATED_LINK = pa.struct(
    [
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("relation", pa.string()),
    ]
)
BODY_LINK = pa.struct([pa.field("url", pa.string()), pa.field("text", pa.string())])


@dataclass(frozen=True)
class Column:
    """One column of the post schema: its name, Arrow type and nullability (what it
    means is on :class:`blog.post.Post` or :class:`VersionRow`)."""

    name: str
    type: pa.DataType
    nullable: bool

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


#: The post columns in file order: the page fields first, then the archive's own.
COLUMNS: tuple[Column, ...] = (
    Column("url", pa.string(), False),
    Column("post_id", pa.int64(), True),
    Column("title", pa.string(), False),
    Column("description", pa.string(), True),
    Column("published_at", UTC_US, False),
    Column("modified_at", UTC_US, True),
    Column("authors", pa.list_(AUTHOR), False),
    Column("tags", pa.list_(pa.string()), False),
    Column("categories", pa.list_(pa.string()), False),
    Column("body_text", pa.string(), False),
    Column("body_html", pa.string(), False),
    Column("word_count", pa.int32(), False),
    Column("language", pa.string(), False),
    Column("images", pa.list_(IMAGE), False),
    Column("related_links", pa.list_(RELATED_LINK), False),
    Column("body_links", pa.list_(BODY_LINK), False),
    Column("comment_count", pa.int32(), True),
    Column("content_hash", pa.string(), False),
    Column("navigation_hash", pa.string(), True),
    Column("changed_fields", pa.list_(pa.string()), False),
    Column("first_seen_at", UTC_US, False),
    Column("fetched_at", UTC_US, False),
    Column("crawl_id", pa.string(), False),
    Column("field_sources", pa.map_(pa.string(), pa.string()), False),
    Column("gone_at", UTC_US, True),
    Column("aliases", pa.list_(pa.string()), False),
    Column("site", pa.string(), True),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)

#: The columns that :func:`pipelines.extract.extract_post` derives from a page
#: (:class:`blog.post.PageFields`, in its order, which is the columns' order).
PAGE_FIELDS: tuple[str, ...] = tuple(PageFields.__annotations__)

#: Page fields that move without the author editing the post: links to
#: neighbours and the related-posts box, and comments.  A version that changes
#: only these is not an edit of the content.
NAVIGATION_FIELDS: tuple[str, ...] = ("related_links", "comment_count")
#: Page fields that make the content: a version changing any of them is an edit.
CONTENT_FIELDS: tuple[str, ...] = tuple(f for f in PAGE_FIELDS if f not in NAVIGATION_FIELDS)

_METADATA = {METADATA_KEY: str(SCHEMA_VERSION).encode()}

POST_SCHEMA: pa.Schema = pa.schema([c.field for c in COLUMNS], metadata=_METADATA)

#: One row per gone / back / alias event in ``events/``: ``url`` is the post's
#: canonical URL; ``alias`` is set for ``alias`` events only.
EVENT_SCHEMA: pa.Schema = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("event", pa.string(), nullable=False),
        pa.field("at", UTC_US, nullable=False),
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("alias", pa.string()),
    ],
    metadata=_METADATA,
)

#: One row per crawl in ``crawls.parquet``.
CRAWL_SCHEMA: pa.Schema = pa.schema(
    [
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("site", pa.string(), nullable=False),
        pa.field("started_at", UTC_US, nullable=False),
        pa.field("finished_at", UTC_US, nullable=False),
        pa.field("finish_reason", pa.string(), nullable=False),
        pa.field("exit_status", pa.int32(), nullable=False),
        pa.field("unhealthy_reason", pa.string()),
        pa.field("requests", pa.int64(), nullable=False),
        pa.field("bytes", pa.int64(), nullable=False),
        pa.field("posts_new", pa.int32(), nullable=False),
        pa.field("posts_changed", pa.int32(), nullable=False),
        pa.field("posts_unchanged", pa.int32(), nullable=False),
        pa.field("posts_gone", pa.int32(), nullable=False),
        # added in schema 2 (null in older rows): navigation-only versions, and the
        # post pages fetched (the coverage's denominator)
        pa.field("posts_relinked", pa.int32()),
        pa.field("posts_fetched", pa.int32()),
        pa.field("errors", pa.map_(pa.string(), pa.int64()), nullable=False),
        pa.field("coverage", pa.map_(pa.string(), pa.float64()), nullable=False),
        # added in schema 3: the Scrapyd job that ran the crawl (null outside Scrapyd,
        # and in older rows)
        pa.field("job", pa.string()),
    ],
    metadata=_METADATA,
)


def conform(
    table: pa.Table, schema: pa.Schema = POST_SCHEMA, known: Mapping[str, Any] | None = None
) -> pa.Table:
    """Return ``table`` in the current ``schema``: a missing column takes its value
    from ``known`` if the reader knows it, else becomes nulls (or empty lists where
    the column is not nullable); extra columns are dropped."""
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        elif known and field.name in known:
            arrays.append(pa.array([known[field.name]] * table.num_rows, type=field.type))
        else:
            arrays.append(_default_array(field, table.num_rows))
    return pa.Table.from_arrays(arrays, schema=schema)


def read_conformed(
    path: Path,
    schema: pa.Schema,
    columns: Sequence[str] | None = None,
    known: Mapping[str, Any] | None = None,
) -> pa.Table:
    """Read the Parquet file ``path``, written with some version of ``schema``, in
    the current one.

    Only ``columns`` are read (all when None); a column the file predates comes
    back with its value in ``known``, else as nulls, or empty lists where the
    column is not nullable.
    """
    wanted = list(columns) if columns is not None else list(schema.names)
    # one ParquetFile: opening a small part twice (schema, then table) costs more than reading it
    part = pq.ParquetFile(path)
    present = set(part.schema_arrow.names)
    table = part.read(columns=[c for c in wanted if c in present])
    if all(c in present for c in wanted):
        return table
    return conform(table, schema, known).select(wanted)


def _default_array(field: pa.Field, length: int) -> pa.Array:
    if not field.nullable and (pa.types.is_list(field.type) or pa.types.is_map(field.type)):
        return pa.array([[] for _ in range(length)], type=field.type)
    return pa.nulls(length, type=field.type)
