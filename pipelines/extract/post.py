"""Composing a post from the four layers: for each field the first layer that
has a value wins (declared, wordpress, profile, generic); the generic layer is
only asked when the others found nothing, since its body step is the slowest.
Layers are asked lazily, as far down as a field needs: one answer for most
fields, two for the :data:`COMPARED` ones, whose first two answers differing
is reported as a disagreement.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from html import escape
from itertools import islice
from types import ModuleType
from typing import Any, cast
from zoneinfo import ZoneInfo

from blog.post import Author, BodyLink, Image, Post, RelatedLink
from pipelines.extract import declared, generic, site, wordpress
from pipelines.extract.authors import attach_bios
from pipelines.extract.body import Body, image_key, merge_images, read_body
from pipelines.extract.headline import shown_title, visible_headline
from pipelines.extract.lead import LEAD_MIN_CHARS, lead_blocks
from pipelines.extract.names import tidy_authors
from pipelines.extract.page import Page, clean_text

LAYERS: tuple[tuple[str, ModuleType], ...] = (
    ("declared", declared),
    ("wordpress", wordpress),
    ("profile", site),
    ("generic", generic),
)
MIN_BODY_WORDS = 1
IMAGE_PARTS = tuple(Image.__annotations__)
#: Fields whose first two layer values are compared for disagreements: single
#: values, cheap to read twice.  Authors are compared with the later layer read
#: for their urls, when one is (see :func:`_authors`); tags and categories are not.
COMPARED = ("post_id", "title", "published_at", "modified_at", "language", "comment_count")


class Fields:
    """Each field's winning value and layer, and the fields the layers disagree on.

    Layers are asked in order and only as far as needed: one answer for most
    fields, two for :data:`COMPARED` ones (a disagreement is the first two
    answers differing)."""

    def __init__(self, page: Page):
        self.page = page
        self.sources: dict[str, str] = {}
        self.disagreements: list[str] = []
        self._found: dict[str, list[tuple[str, Any]]] = {}
        self._asked: dict[str, int] = {}

    def get(self, field: str) -> Any:
        compared = field in COMPARED
        values = self.values(field, 2 if compared else 1)
        if not values:
            return None
        self.sources[field] = values[0][0]
        if compared and len(values) > 1 and not _same(self.page, values[0][1], values[1][1]):
            self.disagreements.append(field)
        return values[0][1]

    def values(self, field: str, wanted: int, generic: bool = False) -> list[tuple[str, Any]]:
        """(layer, value) of the first ``wanted`` layers with a value; the generic
        layer only when no other has one, unless ``generic``."""
        found = self._found.setdefault(field, [])
        asked = self._asked.get(field, 0)
        while len(found) < wanted and asked < len(LAYERS):
            name, layer = LAYERS[asked]
            if name == "generic" and found and not generic:
                break
            asked += 1
            reader = getattr(layer, field, None)
            value = reader(self.page) if reader is not None else None
            if not _empty(value):
                found.append((name, value))
        self._asked[field] = asked
        return found[:wanted]

    def each(self, field: str, generic: bool = False) -> Iterator[tuple[str, Any]]:
        """The (layer, value) pairs of :meth:`values`, each layer asked when reached."""
        position = 0
        while len(found := self.values(field, position + 1, generic)) > position:
            yield found[position]
            position += 1


def build_post(page: Page) -> tuple[Post, list[str]]:
    """The post (every field of :class:`blog.post.Post`) and its disagreements."""
    fields = Fields(page)
    body = _with_lead(page, _body(page, fields))
    authors = tidy_authors(_authors(fields), page.profile.label("by"))
    if any(not author.get("bio") for author in authors):
        attach_bios(authors, [*wordpress.bios(page), *site.bios(page)])
    # The layers build authors, images and links as plain dicts with the keys of
    # blog.post's Author, Image and BodyLink; here they become the post's.
    post: Post = {
        "url": page.canonical or page.url,
        "post_id": fields.get("post_id"),
        "title": _title(fields),
        "description": fields.get("description"),
        "published_at": fields.get("published_at"),
        "modified_at": fields.get("modified_at"),
        "authors": cast("list[Author]", authors),
        "tags": _unique(fields.get("tags")),
        "categories": _unique(fields.get("categories")),
        "body_text": body.text,
        "body_html": body.html,
        "word_count": len(body.text.split()),
        "language": fields.get("language") or "",
        "images": cast("list[Image]", merge_images([*_hero(fields), *body.images])),
        "related_links": _related(fields),
        "body_links": cast("list[BodyLink]", body.links),
        "comment_count": fields.get("comment_count"),
        "field_sources": {},
    }
    for name in ("body_text", "body_html", "word_count", "body_links"):
        if "body" in fields.sources:
            fields.sources[name] = fields.sources["body"]
    post["field_sources"] = _sources(fields.sources)
    return post, fields.disagreements


def _authors(fields: Fields) -> list[dict[str, Any]]:
    """The first layer's authors, each missing url taken from a later layer naming
    the same person (JSON-LD often names authors without a link).  Later layers
    are asked only while an author lacks a url: bios come from author boxes, and
    of the layers only JSON-LD, which is asked first, declares one."""
    authors = [dict(a) for a in fields.get("authors") or []]
    later = islice(fields.each("authors"), 1, None)
    while not all(author.get("url") for author in authors):
        _, found = next(later, (None, None))
        if found is None:
            break
        if "authors" not in fields.disagreements and not _same(fields.page, authors, found):
            fields.disagreements.append("authors")
        others = {a["name"].casefold(): a for a in reversed(found)}
        for author in authors:
            other = others.get(author["name"].casefold(), {})
            for key in ("url", "bio"):
                author[key] = author.get(key) or other.get(key)
    return authors


def _title(fields: Fields) -> str:
    """The first layer's title, unless it is declared and the headline the post
    shows is the better title (see :mod:`pipelines.extract.headline`)."""
    title = fields.get("title") or ""
    shown = visible_headline(fields.page) if fields.sources.get("title") == "declared" else None
    better = shown_title(fields.page, title, shown[1]) if shown is not None else None
    if shown is None or better is None:
        return title
    fields.sources["title"] = shown[0]
    return better


def _body(page: Page, fields: Fields) -> Body:
    """The body of the first layer that has one; a near-empty one means the
    layer picked the wrong element, so the generic layer is asked instead."""
    element = fields.get("body")
    body = read_body(page, element, site.label_regions(page)) if element is not None else None
    if body is not None and len(body.text.split()) >= MIN_BODY_WORDS:
        return body
    element = generic.body(page)
    if element is None:
        return body or Body("", "", [], [])
    fields.sources["body"] = "generic"
    return read_body(page, element, [])


def _with_lead(page: Page, body: Body) -> Body:
    """``body`` with the headline's lead first, when the body lacks it: themes
    print the lead in the post's header, above the element that holds the body
    (see :mod:`pipelines.extract.lead`).  A lead whose start the body already
    has (an excerpt of its first paragraph) is not repeated."""
    leads = lead_blocks(page)
    flat = clean_text(body.text) if leads else ""
    leads = [t for t in leads if t[:LEAD_MIN_CHARS] not in flat]
    if not leads:
        return body
    text = "\n\n".join([*leads, body.text] if body.text else leads)
    html = "".join(f"<p>{escape(t)}</p>" for t in leads) + body.html
    return Body(text, html, body.links, body.images)


def _sources(sources: dict[str, str]) -> dict[str, str]:
    renamed = {"hero": "images", "next_post": "related_links", "previous": "related_links",
               "related": "related_links"}  # fmt: skip
    out: dict[str, str] = {}
    for field, layer in sources.items():
        if field != "body":
            out.setdefault(renamed.get(field, field), layer)
    return out


def _hero(fields: Fields) -> list[dict[str, Any]]:
    """The hero image of the first layer, completed by the later layers that show
    the same image (asked only while a part of it is missing)."""
    heroes = fields.each("hero", generic=True)
    first = next(heroes, None)
    if first is None:
        return []
    fields.sources["hero"] = first[0]
    key = image_key(first[1]["url"])
    same, merged = [first[1]], dict(first[1])
    while not all(merged.get(part) for part in IMAGE_PARTS):
        _, hero = next(heroes, (None, None))
        if hero is None:
            break
        if image_key(hero["url"]) == key:
            same.append(hero)
            merged = {part: merged.get(part) or hero.get(part) for part in {*merged, *hero}}
    return same


def _related(fields: Fields) -> list[RelatedLink]:
    """Previous, next, then every entry of the related box: a post may be both the
    previous one and a recommendation, and then it is listed with both relations."""
    adjacent = [link for link in (fields.get("previous"), fields.get("next_post")) if link]
    return adjacent + list(fields.get("related") or [])


def _unique(names: list[str] | None) -> list[str]:
    return list(dict.fromkeys(clean_text(n) for n in names or [] if clean_text(n)))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _same(page: Page, a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b or _same_day_date_only(a, b, ZoneInfo(page.profile.timezone))
    return cast(bool, _comparable(a) == _comparable(b))


def _same_day_date_only(a: datetime, b: datetime, tz: ZoneInfo) -> bool:
    la, lb = a.astimezone(tz), b.astimezone(tz)
    midnight = any((d.hour, d.minute, d.second) == (0, 0, 0) for d in (la, lb))
    return midnight and la.date() == lb.date()


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value).casefold()
    if isinstance(value, list):
        return tuple(_comparable(v["name"] if isinstance(v, dict) else v) for v in value)
    if isinstance(value, dict):
        return image_key(value.get("url"))
    return value
