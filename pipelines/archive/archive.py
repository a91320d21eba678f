"""One crawl's writes to a site's archive, without Scrapy: open, add, flush, finish.

The Scrapy pipeline (:mod:`pipelines.archive.pipeline`) and the ``reextract``
command both drive this class.  A version row is added only when a post's
content hash differs from its newest archived version; versions and events are
buffered and written as small immutable parts on :meth:`SiteArchive.flush`, into
the crawl's hidden staging folders, and published as one file per dataset when
the crawl finishes (:mod:`pipelines.archive.compaction`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyarrow as pa

from blog.page import FetchedPage
from blog.post import Post
from pipelines.archive.compaction import publish, publish_staged
from pipelines.archive.content import canonical, content_hash, legacy_hash, navigation_hash
from pipelines.archive.events import ALIAS, BACK, GONE, Event
from pipelines.archive.index import PostState, load_states
from pipelines.archive.layout import SiteLayout, remove_temp_files, staging_dir
from pipelines.archive.lock import SiteLock
from pipelines.archive.parts import PartWriter, version_group_at
from pipelines.archive.posts import rebuild_posts
from pipelines.archive.warc import WarcFile, finalise_open_warcs
from pipelines.schema import (
    EVENT_SCHEMA,
    NAVIGATION_FIELDS,
    PAGE_FIELDS,
    POST_SCHEMA,
    VersionRow,
)

logger = logging.getLogger(__name__)
_ROW_TYPE = pa.struct(list(POST_SCHEMA))
_CHANGED_INDEX = POST_SCHEMA.get_field_index("changed_fields")


class Outcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"  # the content changed: an edit
    RELINKED = "relinked"  # only the navigation changed (NAVIGATION_FIELDS)
    UNCHANGED = "unchanged"


class InvalidPost(ValueError):
    """A post dict that does not fit :data:`POST_SCHEMA`; nothing was archived."""


@dataclass(frozen=True)
class Added:
    """What :meth:`SiteArchive.add_post` did: the outcome, and whether a gone post is back."""

    outcome: Outcome
    back: bool


class SiteArchive:
    """The archive of one site, opened by one crawl (``crawl_id``) under the site lock."""

    def __init__(self, root: Path | str, site: str, crawl_id: str, *, warc: bool = True) -> None:
        self.layout = SiteLayout(Path(root), site)
        self.crawl_id = crawl_id
        self.lock = SiteLock(self.layout.lock_path, site)
        self.states: dict[str, PostState] = {}
        self.warc = WarcFile(self.layout.warc_dir, crawl_id) if warc else None
        self._rows: list[pa.StructArray] = []  # one validated row each
        self._row_urls: list[str] = []  # the URL of each of _rows
        self._buffered: dict[str, dict[str, Any]] = {}  # URL -> page fields of its buffered row
        # the row group last read for a diff: its file, first row and rows
        self._last_group: tuple[Path, int, pa.Table] | None = None
        self._events: list[Event] = []
        self._versions = PartWriter(staging_dir(self.layout.versions_dir, crawl_id), POST_SCHEMA)
        self._event_parts = PartWriter(staging_dir(self.layout.events_dir, crawl_id), EVENT_SCHEMA)

    def open(self) -> None:
        """Take the lock (or raise ArchiveLocked), clean up after a killed crawl (temp
        files, its WARC, its staged parts published), load state."""
        self.layout.make_dirs()
        self.lock.acquire()
        remove_temp_files(self.layout)
        finalise_open_warcs(self.layout.warc_dir)
        publish_staged(self.layout)
        self.states = load_states(self.layout.site_dir)
        if self.warc is not None:
            self.warc.open()
        logger.info("archive %s: %d known posts", self.layout.site_dir, len(self.states))

    @property
    def pending(self) -> int:
        """Buffered version rows not yet written."""
        return len(self._rows)

    def add_post(self, post: Post, fetched_at: datetime, requested_url: str | None = None) -> Added:
        """Archive ``post`` fetched at ``fetched_at``.

        A version is added when the content or the navigation differs from the
        newest archived version, with ``changed_fields`` saying which fields."""
        url, hashes = post["url"], (content_hash(post), navigation_hash(post))
        state = self.states.get(url)
        same = state is not None and _same_page(state, post, hashes)
        checked = (
            None if same else self._checked_row(post, hashes, state, fetched_at, requested_url)
        )
        back = self._note_back(state, fetched_at)
        self._note_alias(url, state, requested_url, fetched_at)
        if checked is None:
            return Added(Outcome.UNCHANGED, back)
        changed = checked.field(_CHANGED_INDEX)[0].as_py()
        self._buffer(url, checked)
        if state is None:
            return Added(Outcome.NEW, back)
        edited = set(changed) - set(NAVIGATION_FIELDS)
        return Added(Outcome.CHANGED if edited else Outcome.RELINKED, back)

    def _checked_row(
        self,
        post: Post,
        hashes: tuple[str, str],
        state: PostState | None,
        fetched_at: datetime,
        requested_url: str | None,
    ) -> pa.StructArray | None:
        """The new version as a checked Arrow row with its ``changed_fields``, or
        None when it differs from the newest version in no field at all (a
        version archived before schema 2, whose hash covered other fields)."""
        row = self._version_row(post, hashes, state, fetched_at, requested_url)
        if state is None:
            return _check_row(row)
        row["changed_fields"] = self._changed_fields(state, _check_row(row).to_pylist()[0])
        if not row["changed_fields"]:
            state.content_hash, state.navigation_hash = hashes
            return None
        return _check_row(row)

    def _changed_fields(self, state: PostState, new: VersionRow) -> list[str]:
        previous = self._previous_row(state)
        if previous is None:
            return list(PAGE_FIELDS)
        return [f for f in PAGE_FIELDS if canonical(previous.get(f)) != canonical(new.get(f))]

    def _previous_row(self, state: PostState) -> dict[str, Any] | None:
        """The page fields of the newest version of ``state`` (buffered or on disk)."""
        if state.url in self._buffered:
            return self._buffered[state.url]
        if state.part is None:
            return None
        last = self._last_group
        if last is None or last[0] != state.part or not 0 <= state.row - last[1] < len(last[2]):
            start, rows = version_group_at(state.part, state.row, PAGE_FIELDS)
            last = self._last_group = (state.part, start, rows)
        row: dict[str, Any] = last[2].slice(state.row - last[1], 1).to_pylist()[0]
        return row

    def _buffer(self, url: str, checked: pa.StructArray) -> None:
        row: VersionRow = checked.to_pylist()[0]
        self._rows.append(checked)
        self._row_urls.append(url)
        self._buffered[url] = {name: row.get(name) for name in PAGE_FIELDS}
        self.states[url] = _state_of(row)

    def mark_gone(self, url: str, at: datetime) -> bool:
        """Record that the site no longer serves ``url``; False if unknown or already gone."""
        state = self.states.get(url)
        if state is None or state.gone:
            return False
        state.gone_at = at
        self._events.append(Event(url, GONE, at, self.crawl_id))
        return True

    def record_page(self, page: FetchedPage) -> None:
        if self.warc is not None:
            self.warc.write_page(page, self.crawl_id)

    def flush(self) -> tuple[int, int]:
        """Write buffered versions and events as new parts; return (rows, parts) written."""
        rows, parts = len(self._rows), 0
        if self._rows:
            path = self._versions.write_table(_table_of(self._rows))
            self._locate(path)
            self._rows, self._row_urls, self._buffered = [], [], {}
            parts += 1
        if self._events:
            self._event_parts.write([event.row() for event in self._events])
            self._events, parts = [], parts + 1
        if self.warc is not None:
            self.warc.flush()
        return rows, parts

    def _locate(self, part: Path) -> None:
        """Point the states of the rows just written at their place in ``part``."""
        for index, url in enumerate(self._row_urls):
            state = self.states.get(url)
            if state is not None:
                state.part, state.row = part, index

    def close_files(self) -> tuple[int, int]:
        """Flush and finalise the WARC; the lock stays held."""
        written = self.flush()
        if self.warc is not None:
            self.warc.close()
        return written

    def finish(self, *, complete: bool) -> None:
        """Close files, publish the crawl's parts (whether it is complete or not: what
        it archived is archived), rebuild ``posts.parquet`` if the crawl is
        ``complete``, unlock."""
        if not self.lock.held:
            return
        try:
            self.close_files()
            self.publish()
            # the rebuild reads the states again from versions/ (the one source of
            # truth); these would only double what the crawl's end holds in memory
            self.states = {}
            if complete:
                rebuild_posts(self.layout.site_dir)
        finally:
            self.lock.release()

    def publish(self) -> None:
        """Make the crawl's staged parts visible, one file per dataset (lock held)."""
        for dataset in self.layout.datasets:
            publish(dataset, self.crawl_id)
        self._last_group = None

    def abandon(self) -> None:
        """After a failed write (a full disk): drop what is buffered, remove the
        temp files, unlock.  Every file already in place stays as it was; the WARC
        being written keeps its ``.open`` name and the staged parts their folder,
        and the next crawl finalises the one and publishes the other."""
        self._rows, self._row_urls, self._buffered, self._events = [], [], {}, []
        if self.warc is not None:
            self.warc.abandon()
        remove_temp_files(self.layout)
        if self.lock.held:
            self.lock.release()

    def _note_back(self, state: PostState | None, at: datetime) -> bool:
        if state is None or not state.gone:
            return False
        state.gone_at = None
        self._events.append(Event(state.url, BACK, at, self.crawl_id))
        return True

    def _note_alias(
        self, url: str, state: PostState | None, alias: str | None, at: datetime
    ) -> None:
        if not alias or alias == url or (state is not None and alias in state.aliases):
            return
        if state is not None:
            state.aliases.append(alias)
            self._events.append(Event(url, ALIAS, at, self.crawl_id, alias))

    def _version_row(
        self,
        post: Post,
        hashes: tuple[str, str],
        state: PostState | None,
        fetched_at: datetime,
        requested_url: str | None,
    ) -> VersionRow:
        aliases = list(state.aliases) if state is not None else []
        if requested_url and requested_url != post["url"] and requested_url not in aliases:
            aliases.append(requested_url)
        return {
            **post,
            "content_hash": hashes[0],
            "navigation_hash": hashes[1],
            "changed_fields": [],
            "first_seen_at": state.first_seen_at if state is not None else fetched_at,
            "fetched_at": fetched_at,
            "crawl_id": self.crawl_id,
            "field_sources": post.get("field_sources") or {},
            "gone_at": None,
            "aliases": aliases,
            "site": self.layout.site,
        }


def _same_page(state: PostState, post: Post, hashes: tuple[str, str]) -> bool:
    """Whether ``post`` is the newest archived version of its URL, by the hashes."""
    if state.navigation_hash is None:  # archived before schema 2
        return state.content_hash == legacy_hash(post)
    return (state.content_hash, state.navigation_hash) == hashes


def _check_row(row: VersionRow) -> pa.StructArray:
    """``row`` converted to Arrow, or InvalidPost: a bad post is refused on its own,
    before it can spoil the part it would have gone into.  (A one-element struct
    array costs a third of a one-row table.)"""
    try:
        array = pa.array([row], type=_ROW_TYPE)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
        raise InvalidPost(f"{row.get('url')}: {exc}") from exc
    for index, field in enumerate(POST_SCHEMA):
        if not field.nullable and array.field(index).null_count:
            raise InvalidPost(f"{row.get('url')}: {field.name} is required")
    return array


def _table_of(rows: list[pa.StructArray]) -> pa.Table:
    batch = pa.RecordBatch.from_struct_array(pa.concat_arrays(rows))
    return pa.Table.from_batches([batch]).replace_schema_metadata(POST_SCHEMA.metadata)


def _state_of(row: VersionRow) -> PostState:
    return PostState(
        url=row["url"],
        post_id=row["post_id"],
        modified_at=row["modified_at"],
        fetched_at=row["fetched_at"],
        content_hash=row["content_hash"],
        navigation_hash=row["navigation_hash"],
        first_seen_at=row["first_seen_at"],
        aliases=list(row["aliases"]),
    )
