"""Synthetic posts for the archive tests (imported by the other test_archive* files),
and the content hash's contract."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from blog.page import FetchedPage
from pipelines.archive.content import content_hash, navigation_hash
from pipelines.schema import CONTENT_FIELDS, NAVIGATION_FIELDS

BASE = "https://blog.example.de/"
T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def make_post(slug: str = "erster-beitrag", **overrides: Any) -> dict[str, Any]:
    """A valid post dict: every PAGE_FIELDS key plus ``field_sources``."""
    post: dict[str, Any] = {
        "url": f"{BASE}{slug}/",
        "post_id": zlib.crc32(slug.encode()) % 100_000,
        "title": f"Über {slug}",
        "description": "Ein Teaser mit Umlauten: äöüß",
        "published_at": datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
        "modified_at": datetime(2025, 3, 2, 8, 0, tzinfo=UTC),
        "authors": [{"name": "Jürgen Müller", "url": f"{BASE}author/jm/", "bio": "Autor."}],
        "tags": ["Digitalisierung", "KI"],
        "categories": ["Technik"],
        "body_text": f"Erster Absatz zu {slug}.\n\nZweiter Absatz.",
        "body_html": f"<p>Erster Absatz zu {slug}.</p><p>Zweiter Absatz.</p>",
        "word_count": 7,
        "language": "de",
        "images": [],
        "related_links": [],
        "body_links": [{"url": f"{BASE}anderer/", "text": "anderer"}],
        "comment_count": None,
        "field_sources": {"title": "declared", "body_text": "wordpress"},
    }
    post.update(overrides)
    return post


def make_page(
    post: dict[str, Any] | None,
    *,
    url: str | None = None,
    status: int = 200,
    at: datetime = T0,
    requested_url: str | None = None,
) -> FetchedPage:
    """A fetched page carrying ``post`` (or a 404 for ``url`` when post is None)."""
    final = url or (post["url"] if post else f"{BASE}weg/")
    body = f"<html><body><h1>{post['title'] if post else 'Nicht gefunden'}</h1></body></html>"
    return FetchedPage(
        url=final,
        requested_url=requested_url or final,
        status=status,
        headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ],
        body=body.encode("utf-8"),
        encoding="utf-8",
        fetched_at=at,
        site="testsite",
        source="sitemap",
        post=post,
    )


def test_hash_ignores_key_order_and_archive_columns() -> None:
    post = make_post()
    reordered = dict(reversed(list(post.items())))
    with_archive = {**post, "fetched_at": T0, "crawl_id": "x", "field_sources": {}}
    assert content_hash(reordered) == content_hash(post)
    assert content_hash(with_archive) == content_hash(post)


def test_hash_is_sha256_hex() -> None:
    digest = content_hash(make_post())
    assert len(digest) == 64
    assert int(digest, 16) >= 0


def _changed(post: dict[str, Any], field: str) -> dict[str, Any]:
    changed = dict(post)
    value = post[field]
    if isinstance(value, str):
        changed[field] = value + " geändert"
    elif isinstance(value, datetime):
        changed[field] = value + timedelta(seconds=1)
    elif isinstance(value, list):
        changed[field] = [*value, value[0]] if value else [{"url": "u"}]
    elif isinstance(value, int):
        changed[field] = value + 1
    else:
        changed[field] = 3
    return changed


@pytest.mark.parametrize("field", [f for f in CONTENT_FIELDS if f not in {"url"}])
def test_content_hash_changes_with_every_content_field(field: str) -> None:
    post = make_post()
    assert content_hash(_changed(post, field)) != content_hash(post)
    assert navigation_hash(_changed(post, field)) == navigation_hash(post)


@pytest.mark.parametrize("field", NAVIGATION_FIELDS)
def test_navigation_changes_the_navigation_hash_not_the_content_hash(field: str) -> None:
    post = make_post()
    assert content_hash(_changed(post, field)) == content_hash(post)
    assert navigation_hash(_changed(post, field)) != navigation_hash(post)


def test_hash_is_the_same_for_the_same_instant_in_another_zone() -> None:
    berlin = make_post()["published_at"].astimezone(ZoneInfo("Europe/Berlin"))
    assert content_hash(make_post(published_at=berlin)) == content_hash(make_post())


def test_tag_order_matters() -> None:
    assert content_hash(make_post(tags=["KI", "Digitalisierung"])) != content_hash(make_post())
