"""Gone / back / alias events: what happens to a post that is not a new version.

They live append-only in ``events/`` beside ``versions/`` so that a post going
404 (or an old slug redirecting to it) never adds a duplicate version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.archive.layout import parquet_parts
from pipelines.schema import METADATA_KEY, SCHEMA_VERSION, UTC_US

GONE = "gone"
BACK = "back"
ALIAS = "alias"

#: ``url`` is the post's canonical URL; ``alias`` is set for ``alias`` events only.
EVENT_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("event", pa.string(), nullable=False),
        pa.field("at", UTC_US, nullable=False),
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("alias", pa.string()),
    ],
    metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()},
)


@dataclass(frozen=True)
class Event:
    url: str
    event: str
    at: datetime
    crawl_id: str
    alias: str | None = None

    def row(self) -> dict[str, object]:
        return {
            "url": self.url,
            "event": self.event,
            "at": self.at,
            "crawl_id": self.crawl_id,
            "alias": self.alias,
        }


def read_events(events_dir: Path) -> list[Event]:
    """Every event of the site, ordered by time, then by the order they were written."""
    events: list[Event] = []
    for path in parquet_parts(events_dir):
        table = pq.read_table(path, columns=EVENT_SCHEMA.names)
        events.extend(Event(**row) for row in table.to_pylist())
    # sort is stable: equal times keep file order
    return sorted(events, key=lambda e: e.at)
