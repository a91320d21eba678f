"""Layer 2, WordPress conventions shared by themes: classic (``entry-*``), block
themes (``wp-block-post-*``), page builders (Elementor, Divi) and plugins
(Jetpack/YARPP related posts, Co-Authors Plus bylines).

One function per field, same contract as :mod:`pipelines.extract.declared`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.authors import (
    box_author,
    box_bio,
    box_labels,
    byline_authors,
    unique_authors,
)
from pipelines.extract.body import image_of
from pipelines.extract.navigation import nav_link, related_entries
from pipelines.extract.page import Page, text_content, text_of

DAY_ARCHIVE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/?$")
#: A URL whose path :data:`DAY_ARCHIVE` matches holds this (the path is part of the URL,
#: unless tabs or line breaks, which ``urlsplit`` drops, stand in it): most links hold
#: none, and need no split into parts
DAY_IN_URL = re.compile(r"/(?:19|20)\d\d/(?:0[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01])")
#: A first body element with fewer words is a teaser when a longer one follows.
TEASER_WORDS = 80
POST_ID_CLASS = re.compile(r"^(?:postid|post)-(\d+)$")
COUNT = re.compile(
    r"(\d+)\s+(?:Kommentare?|Antworten|Gedanken|comments?|thoughts?|responses?)", re.IGNORECASE
)


def post_id(page: Page) -> int | None:
    classes = list(page.body_classes)
    for article in page.select(S.POST_ARTICLE):
        classes += [article.get("id", ""), *(article.get("class") or "").split()]
    ids = [int(m.group(1)) for c in classes if (m := POST_ID_CLASS.match(c))]
    return ids[0] if ids else None


def _first(page: Page, selector: Any) -> HtmlElement | None:
    return next(page.post_elements(page.select(selector)), None)


def title(page: Page) -> str | None:
    el = _first(page, S.TITLE)
    return text_of(el) or None if el is not None else None


def description(page: Page) -> str | None:
    el = _first(page, S.EXCERPT)
    return text_of(el) or None if el is not None else None


def published_at(page: Page) -> datetime | None:
    return _date(page, S.PUBLISHED) or day_archive_date(page)


def day_archive_date(page: Page) -> datetime | None:
    """The day of the post's own link to its day archive (``/2017/08/08/``): classic
    themes print the date as such a link (``get_day_link``) without a ``<time>``."""
    host = urlsplit(page.url).hostname
    for url, anchors in page.links_to.items():
        if DAY_IN_URL.search(url) is None and url.isprintable():
            continue
        parts = urlsplit(url)
        m = DAY_ARCHIVE.search(parts.path)
        if m and parts.hostname == host and any(page.in_post(a) for a in anchors):
            return page.date("-".join(m.groups()))
    return None


def modified_at(page: Page) -> datetime | None:
    dates = page.post_elements(page.select(S.MODIFIED))
    el = next((e for e in dates if not S.marks_publication(e)), None)
    return _date_of(page, el)


def _date(page: Page, selector: Any) -> datetime | None:
    return _date_of(page, _first(page, selector))


def _date_of(page: Page, el: HtmlElement | None) -> datetime | None:
    if el is None:
        return None
    inner = next(el.iter("time"), el)
    return page.date(inner.get("datetime") or el.get("title") or text_of(el))


def authors(page: Page) -> list[dict[str, Any]]:
    """The first byline's authors, plus those of further bylines of the same
    article (block themes print one ``wp-block-post-author`` per author)."""
    bylines = list(page.post_elements(page.select(S.BYLINE)))
    article = _article_of(bylines[0]) if bylines else None
    found = [a for b in bylines if _article_of(b) is article for a in byline_authors(page, b)]
    return unique_authors(found) or _box_authors(page)


def _box_authors(page: Page) -> list[dict[str, Any]]:
    """Authors named by author boxes, for themes whose only byline is the box
    (Twenty Twenty-One prints "By NAME" above the bio, and no byline)."""
    boxes = page.post_elements(page.select(S.AUTHOR_BOX))
    found = [box_author(page, box, box_labels(page), page.index) for box in boxes]
    return unique_authors([author for author in found if author])


def _article_of(el: HtmlElement) -> HtmlElement | None:
    return next(el.iterancestors("article"), None)


def bios(page: Page) -> list[tuple[str | None, str]]:
    found = []
    for box in page.post_elements(page.select(S.AUTHOR_BOX)):
        name, bio = box_bio(box, box_labels(page), page.index)
        if bio:
            found.append((name, bio))
    return found


def tags(page: Page) -> list[str]:
    return [text_of(a) for a in page.post_elements(page.select(S.TAGS))]


def categories(page: Page) -> list[str]:
    return [text_of(a) for a in page.post_elements(page.select(S.CATEGORIES))]


def body(page: Page) -> HtmlElement | None:
    """The first post element of the first body convention the page uses, unless
    it is a teaser: some themes print the lead in an ``entry-content`` of its own
    before the body's, and then the longest one is the body."""
    found = list(page.post_elements(page.select(S.BODY)))
    if len(found) < 2 or len(text_content(found[0]).split()) >= TEASER_WORDS:
        return found[0] if found else None
    return max(found, key=lambda el: len(text_content(el)))


def hero(page: Page) -> dict[str, Any] | None:
    img = _first(page, S.HERO)
    return image_of(page, img) if img is not None else None


def previous(page: Page) -> dict[str, Any] | None:
    a = next(iter(page.select(S.PREVIOUS)), None)
    return nav_link(page, a, "previous") if a is not None else None


def next_post(page: Page) -> dict[str, Any] | None:
    a = next(iter(page.select(S.NEXT)), None)
    return nav_link(page, a, "next") if a is not None else None


def related(page: Page) -> list[dict[str, Any]]:
    box = next(iter(page.select(S.RELATED_BOX)), None)
    return related_entries(page, box) if box is not None else []


def comment_count(page: Page) -> int | None:
    """Every approved comment, replies and pingbacks included: the listed ones, or the
    heading's count when comments are split into pages and it is larger.  A WordPress
    single post prints its comments whenever it has any, so one that lists none
    (comments closed) has none."""
    listed = len(page.select(S.COMMENTS) or page.select(S.COMMENT_BLOCK))
    counted = [int(m.group(1)) for h in page.select(S.COMMENTS_TITLE)
               if (m := COUNT.search(text_of(h)))]  # fmt: skip
    if listed or counted:
        return max([listed, *counted])
    return 0 if page.select(S.COMMENT_FORM) or "single-post" in page.body_classes else None


def archive_bio(page: Page) -> str | None:
    """The description in an author archive's header."""
    el = _first(page, S.ARCHIVE_DESCRIPTION)
    return text_of(el) or None if el is not None else None
