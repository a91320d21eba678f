"""The content hash: what makes two fetches of a post the same version.

Content and navigation are hashed apart (:data:`CONTENT_FIELDS`,
:data:`NAVIGATION_FIELDS`): a neighbour's new post or a reshuffled
related-posts box is a new version whose content hash did not change, so it is
not counted as an edit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from blog.post import PageFields
from pipelines.schema import CONTENT_FIELDS, NAVIGATION_FIELDS, PAGE_FIELDS


def content_hash(post: PageFields) -> str:
    """SHA-256 hex digest of the content fields of ``post`` (:data:`CONTENT_FIELDS`).

    The digest is taken over canonical JSON: keys sorted, no whitespace, datetimes
    as UTC ISO 8601, a missing field the same as ``None``.  Key order, the
    navigation, and the archive's own columns (``fetched_at``, ``crawl_id``,
    ``field_sources``, …) do not change it; list order (tags, authors) does.
    """
    return _digest(post, CONTENT_FIELDS)


def navigation_hash(post: PageFields) -> str:
    """SHA-256 hex digest of the navigation fields of ``post`` (:data:`NAVIGATION_FIELDS`)."""
    return _digest(post, NAVIGATION_FIELDS)


def legacy_hash(post: PageFields) -> str:
    """The schema-1 content hash (every page field), to compare with versions archived
    before schema 2 without reading them."""
    return _digest(post, PAGE_FIELDS)


def canonical(value: Any) -> str:
    """``value`` as the canonical JSON the hashes are taken over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_value
    )


def _digest(post: PageFields, fields: Iterable[str]) -> str:
    page = {name: post.get(name) for name in fields}
    return hashlib.sha256(canonical(page).encode("utf-8")).hexdigest()


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
