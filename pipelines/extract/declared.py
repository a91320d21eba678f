"""Layer 1, declared data: what the page states about itself for machines.

JSON-LD (Yoast ``@graph`` with ``@id`` references resolved), microdata,
OpenGraph and ``article:*`` meta, ``<meta name=author>``, ``rel`` links,
``<time datetime>`` outside comments/sidebars, ``<html lang>`` and og:locale.
One function per field; each returns None (or an empty list) when the page
declares nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.authors import is_name, split_names, unique_authors
from pipelines.extract.navigation import nav_link
from pipelines.extract.page import Page, clean_text, text_of, types_of

POST_ID = re.compile(r"[?&]p=(\d+)")
LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")


def post_id(page: Page) -> int | None:
    for link in page.select(S.SHORTLINK):
        m = POST_ID.search(link.get("href", ""))
        if m:
            return int(m.group(1))
    return None


def title(page: Page) -> str | None:
    node = page.article_node or {}
    sources = (
        lambda: node.get("headline"),
        lambda: _micro(page, S.MICRO_HEADLINE),
        lambda: page.meta_first("og:title", "twitter:title"),
    )
    for source in sources:
        found = source()
        if isinstance(found, str) and clean_text(found):
            return strip_site_name(page, clean_text(_unescaped(found)))
    return None


def _unescaped(text: str) -> str:
    """``text`` with HTML entities decoded: SEO plugins escape titles twice
    (``&#8222;``, ``&raquo;``) in JSON-LD and meta content."""
    return html.unescape(text) if "&" in text else text


def strip_site_name(page: Page, headline: str) -> str:
    """``headline`` without a leading or trailing ``" – Site Name"``."""
    for name in page.site_names:
        for sep in (" – ", " | ", " - ", " — ", " » ", " · ", " :: "):
            if headline.endswith(sep + name):
                return headline[: -len(sep + name)].strip()
            if headline.startswith(name + sep):
                return headline[len(name + sep) :].strip()
    return headline


def description(page: Page) -> str | None:
    found = page.meta_first("description", "og:description", "twitter:description")
    for node in (page.article_node or {}, *page.jsonld):
        if found:
            break
        value = node.get("description")
        found = clean_text(value) if isinstance(value, str) else None
    return found or None


def published_at(page: Page) -> datetime | None:
    return _date(page, "datePublished", ("article:published_time",), S.MICRO_PUBLISHED, False)


def modified_at(page: Page) -> datetime | None:
    keys = ("article:modified_time", "og:updated_time")
    return _date(page, "dateModified", keys, S.MICRO_MODIFIED, True)


def _date(
    page: Page, key: str, metas: tuple[str, ...], micro: Any, updated: bool
) -> datetime | None:
    value = (page.article_node or {}).get(key)
    return next((d for c in _date_sources(page, value, metas, micro, updated)
                 if c and (d := page.date(c))), None)  # fmt: skip


def _date_sources(
    page: Page, value: Any, metas: tuple[str, ...], micro: Any, updated: bool
) -> Iterator[str | None]:
    """Date texts in order of trust, each source read only when the ones before had none."""
    yield value if isinstance(value, str) else None
    yield page.meta_first(*metas)
    for el in page.post_elements(page.select(micro)):
        yield el.get("content") or el.get("datetime")
    for t in page.post_elements(page.select(S.TIME)):
        if S.is_modification(t) == updated:
            yield t.get("datetime")


def authors(page: Page) -> list[dict[str, Any]]:
    for source in (_jsonld_authors, _micro_authors, _rel_authors, _meta_authors):
        found = source(page)
        if found:
            return found
    return []


def _jsonld_authors(page: Page) -> list[dict[str, Any]]:
    value = (page.article_node or {}).get("author")
    found = []
    for ref in value if isinstance(value, list) else [value]:
        node = page.resolve(ref)
        if isinstance(node, dict) and "Person" in types_of(node) and node.get("name"):
            bio = node.get("description")
            found.append({"name": clean_text(node["name"]), "url": _url(page, node.get("url")),
                          "bio": clean_text(bio) if isinstance(bio, str) else None})  # fmt: skip
    return found


def _url(page: Page, value: Any) -> str | None:
    return page.absolute(value) if isinstance(value, str) else None


def _micro_authors(page: Page) -> list[dict[str, Any]]:
    found = []
    for el in page.post_elements(page.select(S.MICRO_AUTHOR)):
        if "Organization" in (el.get("itemtype") or ""):
            continue
        names = S.MICRO_NAME(el)
        name = (names[0].get("content") or text_of(names[0])) if names else text_of(el)
        link = el if el.tag == "a" else next(iter(S.LINKS(el)), None)
        if name:
            found.append(
                {
                    "name": name,
                    "url": page.absolute(link.get("href")) if link is not None else None,
                    "bio": None,
                }
            )
    return found


def _rel_authors(page: Page) -> list[dict[str, Any]]:
    found = [
        {"name": text_of(a), "url": page.absolute(a.get("href")), "bio": None}
        for a in page.post_elements(page.select(S.REL_AUTHOR))
        if is_name(text_of(a))
    ]
    return unique_authors(found)


def _meta_authors(page: Page) -> list[dict[str, Any]]:
    value = page.meta_first("author")
    if not value or value.startswith("http"):
        return []
    return [{"name": n, "url": None, "bio": None} for n in split_names(value)]


def tags(page: Page) -> list[str]:
    linked = [text_of(a) for a in _rel_terms(page) if "category" not in a.get("rel", "")
              and "/category/" not in a.get("href", "")]  # fmt: skip
    return linked or _jsonld_terms(page, "keywords") or page.meta.get("article:tag", [])


def categories(page: Page) -> list[str]:
    linked = [text_of(a) for a in _rel_terms(page) if "category" in a.get("rel", "")]
    return linked or _jsonld_terms(page, "articleSection") or page.meta.get("article:section", [])


def _rel_terms(page: Page) -> list[HtmlElement]:
    return list(page.post_elements(page.select(S.REL_TERM)))


def _jsonld_terms(page: Page, key: str) -> list[str]:
    value = (page.article_node or {}).get(key)
    if isinstance(value, str):
        value = value.split(",")
    return [clean_text(v) for v in value or [] if isinstance(v, str) and v.strip()]


def body(page: Page) -> HtmlElement | None:
    return next(page.post_elements(page.select(S.MICRO_BODY)), None)


def language(page: Page) -> str | None:
    node = page.article_node or {}
    for value in (page.root.get("lang"), page.meta_first("og:locale"), node.get("inLanguage")):
        m = LANG.match(value.strip()) if isinstance(value, str) else None
        if m:
            return m.group(1).lower()
    return None


def hero(page: Page) -> dict[str, Any] | None:
    node = page.article_node or {}
    image = page.resolve(node.get("image"))
    image = page.resolve(image[0]) if isinstance(image, list) and image else image
    url = image.get("url") or image.get("contentUrl") if isinstance(image, dict) else image
    alt = page.meta_first("og:image:alt")
    if not isinstance(url, str):
        url = page.meta_first("og:image")
    if not url:
        return None
    caption = image.get("caption") if isinstance(image, dict) else None
    return {
        "url": page.absolute(url),
        "alt": alt,
        "caption": caption if isinstance(caption, str) else None,
        "credit": None,
    }


def previous(page: Page) -> dict[str, Any] | None:
    return _adjacent(page, "prev", S.REL_PREV)


def next_post(page: Page) -> dict[str, Any] | None:
    return _adjacent(page, "next", S.REL_NEXT)


def _adjacent(page: Page, rel: str, anchors: Any) -> dict[str, Any] | None:
    relation = "previous" if rel == "prev" else "next"
    for a in page.select(anchors):
        if page.in_post(a):
            return nav_link(page, a, relation)
    for link in page.select(S.LINK_REL):
        if rel not in link.get("rel", "").split():
            continue  # most links of a head are stylesheets: resolve only the wanted one
        url = page.absolute(link.get("href"))
        if url:
            title = clean_text(link.get("title")) or _anchor_text(page, url)
            return {"url": url, "title": title, "relation": relation} if title else None
    return None


def _anchor_text(page: Page, url: str) -> str | None:
    """The text of a link in the post to ``url`` (``<link rel=prev>`` carries no title)."""
    for a in page.links_to.get(url, []):
        if page.in_post(a) and text_of(a):
            return text_of(a)
    return None


def comment_count(page: Page) -> int | None:
    value = (page.article_node or {}).get("commentCount")
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def _micro(page: Page, selector: Any) -> str | None:
    el = next(page.post_elements(page.select(selector)), None)
    return (el.get("content") or text_of(el)) if el is not None else None


def person_bio(page: Page) -> str | None:
    """The description of the Person an author archive is about (Yoast ProfilePage)."""
    for node in page.jsonld:
        if "Person" in types_of(node) and isinstance(node.get("description"), str):
            return clean_text(node["description"]) or None
    return None
