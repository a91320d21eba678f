"""Previous/next post links and related-posts boxes, as ``{url, title, relation}``."""

from __future__ import annotations

from typing import Any

from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.page import Page, clean_text, text_of

ARROWS = "←→«»‹›<>|:·- \u2190\u2192"


def nav_link(page: Page, a: HtmlElement, relation: str) -> dict[str, Any] | None:
    """The adjacent post behind ``a``: its title without "Vorheriger Beitrag"-like labels."""
    url = page.absolute(a.get("href"))
    if url is None:
        return None
    return {"url": url, "title": _nav_title(page, a, relation) or None, "relation": relation}


def _nav_title(page: Page, a: HtmlElement, relation: str) -> str:
    titled = S.NAV_TITLE(a, page.index)
    if titled:
        return text_of(titled[0])
    text = text_of(a)
    for label in S.NAV_LABEL(a, page.index):
        text = text.replace(text_of(label), "", 1)
    for label in page.profile.label(relation):
        if text.casefold().startswith(label.casefold()):
            text = text[len(label) :]
    return clean_text(text.strip(ARROWS)) or clean_text(a.get("title"))


def related_entries(page: Page, box: HtmlElement) -> list[dict[str, Any]]:
    """The posts a related box links to, in box order, one entry per URL."""
    found: dict[str, dict[str, Any]] = {}
    for a in S.RELATED_LINK(box):
        url = page.absolute(a.get("href"))
        if url is None or url.rstrip("/") == page.url.rstrip("/"):
            continue
        title = text_of(a) or clean_text(a.get("title")) or _img_alt(a)
        entry = found.setdefault(url, {"url": url, "title": None, "relation": "related"})
        entry["title"] = entry["title"] or title or None
    return list(found.values())


def _img_alt(a: HtmlElement) -> str:
    img = next(a.iter("img"), None)
    return clean_text(img.get("alt")) if img is not None else ""
