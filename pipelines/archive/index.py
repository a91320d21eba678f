"""The archive's state per URL, read from ``versions/`` and ``events/`` alone.

Only the small columns are read (never bodies), so loading stays fast and small
for tens of thousands of versions.  This is what a crawl compares against, what
``posts.parquet`` is rebuilt from, and what the spider's cheap re-crawls see.
It counts the parts a killed crawl staged and did not publish (the next crawl
publishes them when it takes the lock; the spider plans before that), in the
place their crawl's file will take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.archive.events import ALIAS, BACK, GONE, Event, read_events
from pipelines.archive.layout import SiteLayout, archived_files, read_listed
from pipelines.archive.parts import read_versions

STATE_COLUMNS = (
    "url",
    "post_id",
    "modified_at",
    "fetched_at",
    "content_hash",
    "navigation_hash",
    "first_seen_at",
    "aliases",
)


@dataclass(slots=True)
class PostState:
    """What the archive knows about one URL: its newest version and where it lies.

    ``part``/``row`` locate the newest version's row (None/-1 while it is only
    buffered in memory); ``first_seen_at`` is the
    earliest over all versions; ``aliases`` the union, in first-seen order.
    """

    url: str
    post_id: int | None
    modified_at: datetime | None
    fetched_at: datetime
    content_hash: str
    first_seen_at: datetime
    navigation_hash: str | None = None  # None: the version predates schema 2
    part: Path | None = None
    row: int = -1
    aliases: list[str] = field(default_factory=list)
    gone_at: datetime | None = None

    @property
    def gone(self) -> bool:
        return self.gone_at is not None


def load_states(site_dir: Path | str) -> dict[str, PostState]:
    """The state of every URL ever archived under ``site_dir``."""
    return read_listed(lambda: _load_states(SiteLayout.of(site_dir)))


def _load_states(layout: SiteLayout) -> dict[str, PostState]:
    states: dict[str, PostState] = {}
    for part in archived_files(layout.versions_dir):
        rows = read_versions(part, STATE_COLUMNS).to_pylist()
        for index, row in enumerate(rows):
            _add_version(states, row, part, index)
    for event in read_events(layout.events_dir):
        if event.url in states:
            _apply_event(states[event.url], event)
    for state in states.values():
        # a version fetched after the gone event means it was served again
        if state.gone_at is not None and state.fetched_at > state.gone_at:
            state.gone_at = None
    return states


def _add_version(states: dict[str, PostState], row: dict[str, Any], part: Path, index: int) -> None:
    old = states.get(row["url"])
    aliases = row["aliases"] or []
    if old is None:
        states[row["url"]] = PostState(**{**row, "aliases": []}, part=part, row=index)
        _merge_aliases(states[row["url"]].aliases, aliases)
        return
    _merge_aliases(old.aliases, aliases)
    old.first_seen_at = min(old.first_seen_at, row["first_seen_at"])
    # later parts win ties: a re-extraction of the same fetch is the newer version
    if row["fetched_at"] >= old.fetched_at:
        old.post_id, old.modified_at = row["post_id"], row["modified_at"]
        old.fetched_at, old.content_hash = row["fetched_at"], row["content_hash"]
        old.navigation_hash = row["navigation_hash"]
        old.part, old.row = part, index


def _apply_event(state: PostState, event: Event) -> None:
    if event.event == GONE and (state.gone_at is None or state.gone_at < state.fetched_at):
        state.gone_at = event.at
    elif event.event == BACK:
        state.gone_at = None
    elif event.event == ALIAS and event.alias:
        _merge_aliases(state.aliases, [event.alias])


def _merge_aliases(into: list[str], new: list[str]) -> None:
    for alias in new:
        if alias not in into:
            into.append(alias)
