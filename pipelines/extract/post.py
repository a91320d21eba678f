"""Composing a post from the four layers: for each field the first layer that
has a value wins (declared, wordpress, profile, generic); the generic layer is
only asked when the others found nothing, since its body step is the slowest.
Fields where two layers gave different non-empty values are reported as
disagreements.
"""

from __future__ import annotations

from datetime import datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.extract import declared, generic, site, wordpress
from pipelines.extract.authors import attach_bios
from pipelines.extract.body import Body, image_key, merge_images, read_body
from pipelines.extract.page import Page, clean_text

LAYERS: tuple[tuple[str, ModuleType], ...] = (
    ("declared", declared),
    ("wordpress", wordpress),
    ("profile", site),
    ("generic", generic),
)
MIN_BODY_WORDS = 1
#: Fields whose layer values are compared for disagreements.
COMPARED = ("post_id", "title", "published_at", "modified_at", "authors", "tags",
            "categories", "language", "comment_count")  # fmt: skip


class Fields:
    """Each field's winning value and layer, and the fields the layers disagree on."""

    def __init__(self, page: Page):
        self.page = page
        self.sources: dict[str, str] = {}
        self.disagreements: list[str] = []
        self._values: dict[tuple[str, bool], list[tuple[str, Any]]] = {}

    def get(self, field: str) -> Any:
        values = self.values(field)
        if not values:
            return None
        self.sources[field] = values[0][0]
        if field in COMPARED and _disagree(self.page, [v for _, v in values]):
            self.disagreements.append(field)
        return values[0][1]

    def values(self, field: str, every: bool = False) -> list[tuple[str, Any]]:
        """(layer, value) for each layer with a value; generic only when no other
        has one, unless ``every``."""
        key = (field, every)
        if key not in self._values:
            self._values[key] = self._read(field, every)
        return self._values[key]

    def _read(self, field: str, every: bool) -> list[tuple[str, Any]]:
        values: list[tuple[str, Any]] = []
        for name, layer in LAYERS:
            reader = getattr(layer, field, None)
            if reader is None or (name == "generic" and values and not every):
                continue
            value = reader(self.page)
            if not _empty(value):
                values.append((name, value))
        return values


def build_post(page: Page) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The post's PAGE_FIELDS, its field sources and its disagreements."""
    fields = Fields(page)
    body = _body(page, fields)
    authors = _authors(fields)
    attach_bios(authors, [*wordpress.bios(page), *site.bios(page)])
    post = {
        "url": _canonical(page),
        "post_id": fields.get("post_id"),
        "title": fields.get("title") or "",
        "description": fields.get("description"),
        "published_at": fields.get("published_at"),
        "modified_at": fields.get("modified_at"),
        "authors": authors,
        "tags": _unique(fields.get("tags")),
        "categories": _unique(fields.get("categories")),
        "body_text": body.text,
        "body_html": body.html,
        "word_count": len(body.text.split()),
        "language": fields.get("language") or "",
        "images": merge_images([*_hero(fields), *body.images]),
        "related_links": _related(fields),
        "body_links": body.links,
        "comment_count": fields.get("comment_count"),
    }
    for name in ("body_text", "body_html", "word_count", "body_links"):
        if "body" in fields.sources:
            fields.sources[name] = fields.sources["body"]
    return post, _sources(fields.sources), fields.disagreements


def _authors(fields: Fields) -> list[dict[str, Any]]:
    """The first layer's authors, each missing url or bio taken from another
    layer naming the same person (JSON-LD often names authors without a link)."""
    authors = [dict(a) for a in fields.get("authors") or []]
    layers = fields.values("authors")
    others = {a["name"].casefold(): a for _, found in layers[1:] for a in found}
    for author in authors:
        other = others.get(author["name"].casefold(), {})
        for key in ("url", "bio"):
            author[key] = author.get(key) or other.get(key)
    return authors


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


def _sources(sources: dict[str, str]) -> dict[str, str]:
    renamed = {"hero": "images", "next_post": "related_links", "previous": "related_links",
               "related": "related_links"}  # fmt: skip
    out: dict[str, str] = {}
    for field, layer in sources.items():
        if field != "body":
            out.setdefault(renamed.get(field, field), layer)
    return out


def _hero(fields: Fields) -> list[dict[str, Any]]:
    """The hero image of the first layer, completed by the layers that show the same image."""
    heroes = fields.values("hero", every=True)
    if not heroes:
        return []
    fields.sources["hero"] = heroes[0][0]
    key = image_key(heroes[0][1]["url"])
    return [hero for _, hero in heroes if image_key(hero["url"]) == key]


def _related(fields: Fields) -> list[dict[str, Any]]:
    adjacent = [link for link in (fields.get("previous"), fields.get("next_post")) if link]
    seen = {link["url"] for link in adjacent}
    related = [r for r in fields.get("related") or [] if r["url"] not in seen]
    return adjacent + related


def _canonical(page: Page) -> str:
    for link in page.root.iter("link"):
        if "canonical" in (link.get("rel") or "").split() and link.get("href"):
            return page.absolute(link.get("href")) or page.url
    return page.url


def _unique(names: list[str] | None) -> list[str]:
    return list(dict.fromkeys(clean_text(n) for n in names or [] if clean_text(n)))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _disagree(page: Page, values: list[Any]) -> bool:
    first = values[0]
    return any(not _same(page, first, other) for other in values[1:])


def _same(page: Page, a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b or _same_day_date_only(a, b, ZoneInfo(page.profile.timezone))
    return _comparable(a) == _comparable(b)


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
