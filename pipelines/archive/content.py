"""The content hash: what makes two fetches of a post the same version."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from pipelines.schema import PAGE_FIELDS


def content_hash(post: dict[str, Any]) -> str:
    """SHA-256 hex digest of the page-derived fields of ``post`` (:data:`PAGE_FIELDS`).

    The digest is taken over canonical JSON: keys sorted, no whitespace, datetimes
    as UTC ISO 8601, a missing field the same as ``None``.  Key order, and the
    archive's own columns (``fetched_at``, ``crawl_id``, ``field_sources``, …),
    do not change it; list order (tags, authors) does.
    """
    page = {name: post.get(name) for name in PAGE_FIELDS}
    text = json.dumps(
        page, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_value
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot hash a {type(value).__name__} in a post")
