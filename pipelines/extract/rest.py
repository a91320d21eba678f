"""What discovery learnt of a post, merged into what its page said: the REST API's
facts, and bios read from author archives.

The page comes first; the API decides where the page is silent or unclear.  Block
themes print an author's name without link or bio, and no theme of WordPress 6.1
prints a modification date, while ``/wp/v2/posts`` gives the author's id and
``modified_gmt``, and ``/wp/v2/users`` the author's name, slug, archive and bio.
Pure functions over the hints discovery collected (``crawler.discovery``); the
crawl records the hints a post used in its WARC (:func:`recorded_hints`), so that
``scrapy reextract`` completes a post exactly as the live crawl did.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from blog.post import Author, Post
from blog.urls import normalise_url
from pipelines.extract.authors import is_name

REST = "rest"
Users = dict[int, dict[str, str]]


def apply_hints(post: Post, hints: dict[str, Any]) -> None:
    """Fill ``post`` in place from ``hints``: the REST API's facts (:func:`apply_rest`),
    then the bios read from author archives (``author_bios``: archive URL to bio)."""
    apply_rest(post, hints)
    bios = {normalise_url(url): bio for url, bio in (hints.get("author_bios") or {}).items()}
    users: Users = hints.get("rest_users") or {}
    for author in post.get("authors") or []:
        url = normalise_url(author.get("url") or "")
        if not author.get("bio") and url in bios and not user_for(author, users):
            author["bio"] = bios[url]


def recorded_hints(hints: dict[str, Any], post: Post | None) -> dict[str, Any]:
    """The part of ``hints`` that ``post`` depends on, JSON-ready: the post's own REST
    facts, the API users who are its authors, the archive bios it was given."""
    keys = ("post_id", "rest", "known_modified")
    kept = {key: hints[key] for key in keys if hints.get(key)}
    authors: list[Author] = (post.get("authors") if post is not None else None) or []
    urls = {normalise_url(a.get("url") or "") for a in authors if a.get("url")}
    bios = {url: bio for url, bio in (hints.get("author_bios") or {}).items() if url in urls}
    if bios:
        kept["author_bios"] = bios
    users: Users = hints.get("rest_users") or {}
    author_id = (hints.get("rest") or {}).get("author")
    used = {uid: u for uid, u in users.items() if uid == author_id
            or any(user_for(a, {uid: u}) for a in authors)}  # fmt: skip
    if used:
        kept["rest_users"] = {str(uid): user for uid, user in used.items()}
    return kept


def read_recorded(hints: dict[str, Any]) -> dict[str, Any]:
    """Hints as :func:`recorded_hints` wrote them, with the users' ids numbers again."""
    users = hints.get("rest_users") or {}
    return hints | {"rest_users": {int(uid): user for uid, user in users.items()}}


def apply_rest(post: Post, hints: dict[str, Any]) -> None:
    """Fill ``post`` in place from the REST API's facts: post id, modification, authors.
    Without the API's word on the post this crawl (an incremental crawl asks only for
    posts modified lately), the archived modification (``known_modified``) holds."""
    sources = post.setdefault("field_sources", {})
    if post.get("post_id") is None and isinstance(hints.get("post_id"), int):
        post["post_id"] = hints["post_id"]
        sources["post_id"] = REST
    rest = hints.get("rest") or {}
    modified = modification(rest) if rest else _utc(hints.get("known_modified"))
    if post.get("modified_at") is None and modified:
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
    """A naive UTC stamp (the API's ``*_gmt``) or an aware one, as an aware datetime."""
    if not isinstance(stamp, str):
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _complete_authors(post: Post, users: Users, author_id: Any) -> bool:
    """Complete each author from the API user that is the same person; with no author
    on the page, the post's author by id.  True when the API added something."""
    authors = post.get("authors") or []
    before = [dict(a) for a in authors]
    if not authors and isinstance(author_id, int) and author_id in users:
        authors = [_author(users[author_id])]
    for author in authors:
        user = user_for(author, users)
        if user is not None:
            _complete(author, user)
    post["authors"] = _unique_by_url(authors)
    return bool(post["authors"] != before)


def user_for(author: Author, users: Users) -> dict[str, str] | None:
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


def _complete(author: Author, user: dict[str, str]) -> None:
    if not is_name(author.get("name") or "") and user["name"]:
        author["name"] = user["name"]
    author["url"] = author.get("url") or user["url"] or None
    author["bio"] = author.get("bio") or user["bio"] or None


def _author(user: dict[str, str]) -> Author:
    return {"name": user["name"], "url": user["url"] or None, "bio": user["bio"] or None}


def _unique_by_url(authors: list[Author]) -> list[Author]:
    """One entry per person: two entries with one archive URL are one author."""
    seen: set[str] = set()
    unique = []
    for author in authors:
        key = author.get("url") or author["name"].casefold()
        if key not in seen:
            seen.add(key)
            unique.append(author)
    return unique
