"""The replica's data: posts, authors, terms, images and body blocks.

This is the ground truth; every theme, feed, sitemap and API response is
rendered from these objects.  Datetimes are tz-aware in Europe/Berlin.
Paths (``path``, ``src``) are relative to the blog root (no leading slash), so
the same data serves any URL prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Author:
    user_id: int
    slug: str
    name: str
    bio: str | None

    @property
    def path(self) -> str:
        return f"author/{self.slug}/"


@dataclass(frozen=True)
class Term:
    """A category or tag; ``taxonomy`` is ``category`` or ``post_tag``."""

    term_id: int
    slug: str
    name: str
    taxonomy: str

    @property
    def path(self) -> str:
        base = "category" if self.taxonomy == "category" else "tag"
        return f"{base}/{self.slug}/"


@dataclass(frozen=True)
class Image:
    """An uploaded image; ``slug`` names its attachment page under the post."""

    media_id: int
    slug: str
    src: str
    alt: str
    caption: str | None
    credit: str | None


@dataclass(frozen=True)
class Link:
    """An inline link; ``href`` is absolute (http…) or a blog-relative path."""

    text: str
    href: str


#: A run of inline content: plain strings and links.
Inline = tuple["str | Link", ...]


@dataclass(frozen=True)
class Block:
    """One body element.

    kind: ``p`` (inline), ``h2``/``h3`` (text), ``ul``/``ol`` (items: inlines),
    ``quote`` (paragraphs: strings), ``table`` (rows of cell strings, first row
    is the header), ``figure`` (image).
    """

    kind: str
    inline: Inline = ()
    items: tuple[Inline, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    image: Image | None = None


@dataclass(frozen=True)
class Comment:
    comment_id: int
    name: str
    date: datetime
    text: str


@dataclass
class Post:
    """One post.  ``modified`` is None for a post never edited after publishing.

    ``make_blocks`` builds the body on first use, so a large synthetic blog
    does not hold every body in memory until it is asked for.
    """

    post_id: int
    slug: str
    title: str
    description: str
    published: datetime
    modified: datetime | None
    authors: tuple[Author, ...]
    tags: tuple[Term, ...]
    categories: tuple[Term, ...]
    hero: Image
    language: str
    make_blocks: Callable[[], tuple[Block, ...]]
    comments: tuple[Comment, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        return self.make_blocks()

    @property
    def path(self) -> str:
        return f"{self.slug}/"

    @property
    def last_changed(self) -> datetime:
        return self.modified or self.published

    @property
    def images(self) -> list[Image]:
        body = [b.image for b in self.blocks if b.kind == "figure" and b.image]
        return [self.hero, *body]


def inline_text(inline: Inline) -> str:
    return "".join(part if isinstance(part, str) else part.text for part in inline)


def inline_links(inline: Inline) -> list[Link]:
    return [part for part in inline if isinstance(part, Link)]


def block_texts(block: Block) -> list[str]:
    """The body_text blocks one element contributes (figures contribute none)."""
    if block.kind == "p":
        return [inline_text(block.inline)]
    if block.kind in ("h2", "h3"):
        return [inline_text(block.inline)]
    if block.kind in ("ul", "ol"):
        return [inline_text(item) for item in block.items]
    if block.kind == "quote":
        return [inline_text(item) for item in block.items]
    if block.kind == "table":
        return [cell for row in block.rows for cell in row]
    return []


def body_text(blocks: tuple[Block, ...]) -> str:
    texts = [" ".join(t.split()) for b in blocks for t in block_texts(b)]
    return "\n\n".join(t for t in texts if t)


def body_links(blocks: tuple[Block, ...]) -> list[Link]:
    links: list[Link] = []
    for block in blocks:
        links.extend(inline_links(block.inline))
        for item in block.items:
            links.extend(inline_links(item))
    return links
