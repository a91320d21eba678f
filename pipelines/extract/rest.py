"""What the WordPress REST API says of a post, merged into what its page said.

The page comes first; the API decides where the page is silent or unclear.  Block
themes print an author's name without link or bio, and no theme of WordPress 6.1
prints a modification date, while ``/wp/v2/posts`` gives the author's id and
``modified_gmt``, and ``/wp/v2/users`` the author's name, slug, archive and bio.
Pure functions over the hints discovery collected (``crawler.discovery``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipelines.extract.authors import is_name

REST = "rest"
Users = dict[int, dict[str, str]]


def apply_rest(post: dict[str, Any], hints: dict[str, Any]) -> None:
    """Fill ``post`` in place from ``hints``: post id, modification time, authors."""
    sources = post.setdefault("field_sources", {})
    if post.get("post_id") is None and isinstance(hints.get("post_id"), int):
        post["post_id"] = hints["post_id"]
        sources["post_id"] = REST
    rest = hints.get("rest") or {}
    if post.get("modified_at") is None and (modified := modification(rest)):
        post["modified_at"] = modified
        sources["modified_at"] = REST
    users: Users = hints.get("rest_users") or {}
    if users and _complete_authors(post, users, rest.get("author")):
        sources.setdefault("authors", REST)


def modification(rest: dict[str, Any]) -> datetime | None:
    """``modified_gmt`` when it is later than ``date_gmt``: WordPress sets both to the
    publication time until a post is edited, and that is not a modification."""
    modified, published = _utc(rest.get("modified_gmt")), _utc(rest.get("date_gmt"))
    return modified if modified and published and modified > published else None


def _utc(stamp: Any) -> datetime | None:
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    except ValueError:
        return None


def _complete_authors(post: dict[str, Any], users: Users, author_id: Any) -> bool:
    """Complete each author from the API user that is the same person; with no author
    on the page, the post's author by id.  True when the API added something."""
    authors: list[dict[str, Any]] = post.get("authors") or []
    before = [dict(a) for a in authors]
    if not authors and isinstance(author_id, int) and author_id in users:
        authors = [_author(users[author_id])]
    for author in authors:
        user = user_for(author, users)
        if user is not None:
            _complete(author, user)
    post["authors"] = _unique_by_url(authors)
    return bool(post["authors"] != before)


def user_for(author: dict[str, Any], users: Users) -> dict[str, str] | None:
    """The API user ``author`` is: same archive URL, same slug, or same name."""
    url = (author.get("url") or "").rstrip("/")
    keys = (
        ("url", url),
        ("slug", url.rsplit("/", 1)[-1] if url else ""),
        ("name", (author.get("name") or "").casefold()),
    )
    for key, value in keys:
        found = next((u for u in users.values() if value and _key(u, key) == value), None)
        if found is not None:
            return found
    return None


def _key(user: dict[str, str], key: str) -> str:
    value = user[key]
    return value.rstrip("/") if key == "url" else value.casefold() if key == "name" else value


def _complete(author: dict[str, Any], user: dict[str, str]) -> None:
    if not is_name(author.get("name") or "") and user["name"]:
        author["name"] = user["name"]
    author["url"] = author.get("url") or user["url"] or None
    author["bio"] = author.get("bio") or user["bio"] or None


def _author(user: dict[str, str]) -> dict[str, Any]:
    return {"name": user["name"], "url": user["url"] or None, "bio": user["bio"] or None}


def _unique_by_url(authors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per person: two entries with one archive URL are one author."""
    seen: set[str] = set()
    unique = []
    for author in authors:
        key = author.get("url") or author["name"].casefold()
        if key not in seen:
            seen.add(key)
            unique.append(author)
    return unique
