"""Gone / back / alias events: what happens to a post that is not a new version.

They live append-only in ``events/`` beside ``versions/`` so that a post going
404 (or an old slug redirecting to it) never adds a duplicate version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from pipelines.archive.layout import archived_files
from pipelines.schema import EVENT_SCHEMA, read_conformed

GONE = "gone"
BACK = "back"
ALIAS = "alias"


@dataclass(frozen=True)
class Event:
    """One row of ``events/`` (:data:`pipelines.schema.EVENT_SCHEMA`)."""

    url: str
    event: str
    at: datetime
    crawl_id: str
    alias: str | None = None

    def row(self) -> dict[str, object]:
        return asdict(self)


def read_events(events_dir: Path) -> list[Event]:
    """Every event of the site (those a killed crawl staged too), ordered by time,
    then by the order they were written."""
    events: list[Event] = []
    for path in archived_files(events_dir):
        table = read_conformed(path, EVENT_SCHEMA)
        events.extend(Event(**row) for row in table.to_pylist())
    # sort is stable: equal times keep file order
    return sorted(events, key=lambda e: e.at)
