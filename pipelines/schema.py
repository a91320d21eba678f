"""The archive's Arrow schema: the one place that names and types every column.

Every Parquet file the archive writes (``posts.parquet``, ``versions/``) is built
with :data:`POST_SCHEMA` explicitly, so a row that drifts from it fails loudly
instead of being inferred into a different type.  Columns are only ever added,
never renamed or retyped; :data:`SCHEMA_VERSION` is stored in the file metadata
and older files are read by :func:`conform` with missing columns as nulls.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

#: 2 added ``navigation_hash`` and ``changed_fields``: ``content_hash`` covers the
#: content alone (version 1 hashed navigation too).
SCHEMA_VERSION = 2
METADATA_KEY = b"blog_archiver.schema_version"

UTC_US = pa.timestamp("us", tz="UTC")

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
    """One column: its name, Arrow type, nullability and what it means."""

    name: str
    type: pa.DataType
    nullable: bool
    doc: str

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


COLUMNS: tuple[Column, ...] = (
    Column("url", pa.string(), False, "canonical URL of the post"),
    Column("post_id", pa.int64(), True, "WordPress post id (shortlink `?p=`, `postid-N`, REST)"),
    Column("title", pa.string(), False, "the headline, without the site's name"),
    Column("description", pa.string(), True, "teaser / meta description"),
    Column(
        "published_at",
        UTC_US,
        False,
        "publication time; a date-only source means midnight Europe/Berlin",
    ),
    Column("modified_at", UTC_US, True, "last modification time the page declares"),
    Column(
        "authors",
        pa.list_(AUTHOR),
        False,
        "every author in byline order: name, archive URL, bio from the author box",
    ),
    Column("tags", pa.list_(pa.string()), False, "tag names in page order"),
    Column("categories", pa.list_(pa.string()), False, "category names in page order"),
    Column(
        "body_text",
        pa.string(),
        False,
        "article body only: paragraphs, headings, list items, quotes, table cells;"
        " one blank line between blocks",
    ),
    Column(
        "body_html",
        pa.string(),
        False,
        "the same body as sanitised HTML: no script/style/event handlers, absolute URLs",
    ),
    Column("word_count", pa.int32(), False, "words in body_text"),
    Column("language", pa.string(), False, "ISO 639-1 code such as `de`"),
    Column(
        "images",
        pa.list_(IMAGE),
        False,
        "hero image first, then body images: url, alt, caption, credit (`©…` line)",
    ),
    Column(
        "related_links",
        pa.list_(RELATED_LINK),
        False,
        "previous/next post links and the related-posts box; relation is"
        " `previous`, `next` or `related`",
    ),
    Column("body_links", pa.list_(BODY_LINK), False, "links inside the body: url and text"),
    Column(
        "comment_count",
        pa.int32(),
        True,
        "number of comments; commenters' names and texts are personal data, not stored",
    ),
    Column(
        "content_hash",
        pa.string(),
        False,
        "SHA-256 of the normalised content fields (every page field but the navigation:"
        " `related_links`, `comment_count`); before schema 2, of every page field",
    ),
    Column(
        "navigation_hash",
        pa.string(),
        True,
        "SHA-256 of the navigation fields (`related_links`, `comment_count`);"
        " null in versions archived before schema 2",
    ),
    Column(
        "changed_fields",
        pa.list_(pa.string()),
        False,
        "the page fields that differ from the post's previous version, in column order;"
        " empty for a first version (and for versions archived before schema 2)",
    ),
    Column("first_seen_at", UTC_US, False, "first crawl that archived this URL"),
    Column("fetched_at", UTC_US, False, "when this version was fetched"),
    Column("crawl_id", pa.string(), False, "the crawl that fetched this version"),
    Column(
        "field_sources",
        pa.map_(pa.string(), pa.string()),
        False,
        "field name to the extraction layer that gave it"
        " (`declared`, `wordpress`, `profile`, `generic`)",
    ),
    Column(
        "gone_at",
        UTC_US,
        True,
        "when the site stopped serving the post (404/410); null while it is served",
    ),
    Column(
        "aliases",
        pa.list_(pa.string()),
        False,
        "other URLs that redirected to this post (old slugs)",
    ),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)

#: The columns that :func:`pipelines.extract.extract_post` derives from a page.
PAGE_FIELDS: tuple[str, ...] = (
    "url",
    "post_id",
    "title",
    "description",
    "published_at",
    "modified_at",
    "authors",
    "tags",
    "categories",
    "body_text",
    "body_html",
    "word_count",
    "language",
    "images",
    "related_links",
    "body_links",
    "comment_count",
)

#: Page fields that move without the author editing the post: links to
#: neighbours and the related-posts box, and comments.  A version that changes
#: only these is not an edit of the content.
NAVIGATION_FIELDS: tuple[str, ...] = ("related_links", "comment_count")
#: Page fields that make the content: a version changing any of them is an edit.
CONTENT_FIELDS: tuple[str, ...] = tuple(f for f in PAGE_FIELDS if f not in NAVIGATION_FIELDS)

POST_SCHEMA: pa.Schema = pa.schema(
    [c.field for c in COLUMNS],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)


def conform(table: pa.Table) -> pa.Table:
    """Return ``table`` in the current schema: missing columns become nulls (or
    empty lists where the column is not nullable), extra columns are dropped."""
    arrays = []
    for column in COLUMNS:
        if column.name in table.column_names:
            arrays.append(table.column(column.name).cast(column.type))
        else:
            arrays.append(_default_array(column, table.num_rows))
    return pa.Table.from_arrays(arrays, schema=POST_SCHEMA)


def _default_array(column: Column, length: int) -> pa.Array:
    if pa.types.is_list(column.type):
        return pa.array([[] for _ in range(length)], type=column.type)
    if pa.types.is_map(column.type):
        return pa.array([[] for _ in range(length)], type=column.type)
    return pa.nulls(length, type=column.type)


#: One row per crawl in ``DIR/<site>/crawls.parquet``.
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
    ],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)
