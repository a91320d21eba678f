"""Read a site's archive (``ARCHIVE_DIR/<site>/``) into the plain records the report needs.

The files are found through :class:`~pipelines.archive.layout.SiteLayout` and read
in the current schema (:func:`pipelines.schema.read_conformed`): files written with
an older schema version read with the missing columns as nulls / empty lists.
Only the columns the report uses are read (never ``body_text``/``body_html``), so
a large archive loads quickly.  Times become aware datetimes in
the report's time zone (Europe/Berlin by default): a date-only post is stored as
midnight Berlin, so counting months in UTC would move it to the previous month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow.dataset as ds

from pipelines.archive.layout import SiteLayout, parquet_parts, read_listed
from pipelines.schema import CRAWL_SCHEMA, NAVIGATION_FIELDS, POST_SCHEMA, read_conformed

#: The columns of ``posts.parquet`` and ``versions/`` the report reads.
POST_COLUMNS = (
    "url",
    "title",
    "published_at",
    "authors",
    "tags",
    "categories",
    "word_count",
    "related_links",
    "body_links",
    "gone_at",
    "aliases",
    "fetched_at",
)
VERSION_COLUMNS = ("url", "fetched_at", "changed_fields")


@dataclass(frozen=True)
class Post:
    """One archived post, as far as the report cares."""

    url: str
    title: str
    published: datetime | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    word_count: int | None
    links: tuple[str, ...]
    aliases: tuple[str, ...]
    gone: bool
    fetched: datetime | None
    gone_at: datetime | None = None


@dataclass(frozen=True)
class Version:
    """One stored version of a post: its URL, when it was fetched, and the fields that
    differ from the previous version (empty for a first version, and for versions
    archived before schema 2, which did not record them)."""

    url: str
    fetched: datetime
    changed_fields: tuple[str, ...] = ()

    @property
    def navigation_only(self) -> bool:
        """Only previous/next, related posts or the comment count moved: not an edit."""
        return bool(self.changed_fields) and set(self.changed_fields) <= set(NAVIGATION_FIELDS)


@dataclass(frozen=True)
class Archive:
    """A site's archive; ``versions``/``crawls`` are None when the files are absent."""

    site: str
    posts: tuple[Post, ...]
    versions: tuple[Version, ...] | None
    crawls: tuple[dict[str, Any], ...] | None


def load_archive(site_dir: Path, site: str, tz: ZoneInfo) -> Archive:
    """Read ``site_dir``; raise FileNotFoundError when it is not a directory."""
    if not site_dir.is_dir():
        raise FileNotFoundError(f"no archive directory {site_dir}")
    layout = SiteLayout.of(site_dir)
    return Archive(
        site=site,
        posts=_read_posts(layout.posts_path, tz),
        versions=_read_versions(layout.versions_dir, tz),
        crawls=_read_crawls(layout.crawls_path, tz),
    )


def load_posts(site_dir: Path, tz: ZoneInfo) -> tuple[Post, ...]:
    """The posts of the archive in ``site_dir`` (none before its first healthy crawl)."""
    return _read_posts(SiteLayout.of(site_dir).posts_path, tz)


def _read_posts(path: Path, tz: ZoneInfo) -> tuple[Post, ...]:
    if not path.is_file():
        return ()
    rows = read_conformed(path, POST_SCHEMA, POST_COLUMNS).to_pylist()
    return tuple(_post(row, tz) for row in rows)


def _post(row: dict[str, Any], tz: ZoneInfo) -> Post:
    links = [link["url"] for link in (row["related_links"] or []) + (row["body_links"] or [])]
    return Post(
        url=row["url"],
        title=row["title"] or row["url"],
        published=_local(row["published_at"], tz),
        authors=tuple(a["name"] for a in row["authors"] or [] if a["name"]),
        tags=tuple(dict.fromkeys(row["tags"] or [])),
        categories=tuple(dict.fromkeys(row["categories"] or [])),
        word_count=row["word_count"],
        links=tuple(u for u in links if u),
        aliases=tuple(row["aliases"] or []),
        gone=row["gone_at"] is not None,
        fetched=_local(row["fetched_at"], tz),
        gone_at=_local(row["gone_at"], tz),
    )


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if moment is None else moment.astimezone(tz)


def _read_versions(path: Path, tz: ZoneInfo) -> tuple[Version, ...] | None:
    if not path.is_dir():
        return None
    return read_listed(lambda: _versions(path, tz))  # ``scrapy compact`` deletes what it merged


def _versions(path: Path, tz: ZoneInfo) -> tuple[Version, ...]:
    # The explicit schema reads older files' missing columns as nulls; the files are
    # the archive's own list (no temp files, no staged parts, no file a month replaces).
    dataset = ds.dataset(parquet_parts(path), schema=POST_SCHEMA, format="parquet")
    rows = dataset.to_table(columns=list(VERSION_COLUMNS)).to_pylist()
    return tuple(
        Version(r["url"], r["fetched_at"].astimezone(tz), tuple(r["changed_fields"] or ()))
        for r in rows
        if r["fetched_at"]
    )


def _read_crawls(path: Path, tz: ZoneInfo) -> tuple[dict[str, Any], ...] | None:
    if not path.is_file():
        return None
    rows = read_conformed(path, CRAWL_SCHEMA).to_pylist()
    for row in rows:
        row["started_at"] = _local(row.get("started_at"), tz)
    return tuple(sorted((r for r in rows if r["started_at"]), key=lambda r: r["started_at"]))
