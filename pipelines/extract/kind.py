"""What kind of page this is: a post, or the reason it is not one.

Kinds: ``post``, ``listing`` (home/blog, paged), ``archive`` (category, tag,
author, date), ``page`` (static page), ``attachment``, ``search``, ``feed``
(XML/RSS/Atom/JSON served as text), ``not-html``, ``empty``.  WordPress body
classes decide first; unknown themes fall back to declared types, then to the
page's structure (several teasers = listing; one headline with a date = post).
"""

from __future__ import annotations

import re

from pipelines.extract import generic
from pipelines.extract import selectors as S
from pipelines.extract.page import ARTICLE_TYPES, Page, text_of

BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")
FEED_START = ("<?xml", "<rss", "<feed", "<urlset", "<sitemapindex", "{", "[")
ARCHIVE_URL = re.compile(
    r"/(?:category|kategorie|tag|schlagwort|author|autor)/|/\d{4}/(?:\d{2}/)?$"
)
READ_MORE = re.compile(
    r"^(?:weiterlesen|mehr lesen|read more|continue reading|mehr erfahren)\b", re.IGNORECASE
)
TEASERS_MIN = 2
WHITESPACE = " \t\n\r\x0b\x0c"  # what ``bytes.strip`` strips


def sniff(html: str | bytes) -> str | None:
    """``empty``, ``feed`` or ``not-html`` when the bytes are no HTML page, else None."""
    start = html.lstrip(WHITESPACE) if isinstance(html, str) else html.lstrip(WHITESPACE.encode())
    if not start:
        return "empty"
    # only the head is encoded: the first 1024 characters give at least 1024 bytes
    raw = html if isinstance(html, bytes) else html[:1024].encode("utf-8", "replace")
    lead = start if isinstance(start, bytes) else start[:8].encode("utf-8", "replace")
    if lead.startswith(BINARY_MAGIC) or b"\x00" in raw[:1024]:
        return "not-html"
    head = raw[:1024].decode("utf-8", "replace").lstrip().lstrip("\ufeff").lower()
    if head.startswith(FEED_START) and "<html" not in head:
        return "feed"
    return None if "<" in head else "not-html"


def kind_of(page: Page) -> str:
    body = page.body
    if body is None or not any(t and not t.isspace() for t in body.itertext()):
        return "empty"
    return _from_classes(page.body_classes) or _from_declared(page) or _from_structure(page)


def _from_classes(classes: set[str]) -> str | None:
    if "attachment" in classes:
        return "attachment"
    if classes & {"search", "search-results", "search-no-results"}:
        return "search"
    if "single-post" in classes or (
        "single" in classes and any(c.startswith("postid-") for c in classes)
    ):
        return "post"
    if "page" in classes or any(c.startswith("page-id-") for c in classes):
        return "page"
    if classes & {"archive", "category", "tag", "author", "date"}:
        return "archive"
    if classes & {"home", "blog", "paged"}:
        return "listing"
    return None


def _from_declared(page: Page) -> str | None:
    types = page.jsonld_types
    if types & ARTICLE_TYPES:
        return "post"
    if page.meta_first("og:type") == "article" and page.meta_first("article:published_time"):
        return "post"
    if "SearchResultsPage" in types:
        return "search"
    if "ProfilePage" in types:
        return "archive"
    if "CollectionPage" in types:
        return "archive" if ARCHIVE_URL.search(page.url) else "listing"
    return None


def _from_structure(page: Page) -> str:
    teasers = [el for el in page.select(S.TEASER) if page.in_post(el)]
    read_more = [a for a in page.select(S.LINKS) if READ_MORE.match(text_of(a))]
    if len(teasers) >= TEASERS_MIN or len(read_more) >= TEASERS_MIN:
        return "archive" if ARCHIVE_URL.search(page.url) else "listing"
    if "WebPage" in page.jsonld_types or page.meta_first("og:type") == "website":
        return "page"
    return "post" if page.h1 is not None and generic.published_at(page) else "page"
