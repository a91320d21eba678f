"""Shared rendering pieces: the render context, escaping, dates, the post
content as WordPress saves it (Gutenberg block markup), and the common head."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from tests.replica.config import ReplicaConfig
from tests.replica.corpus import BLOG_NAME, CLAIM
from tests.replica.model import Block, Image, Inline, Link, Post
from tests.replica.site import Site

MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


@dataclass(frozen=True)
class Ctx:
    """What every renderer needs: the absolute base URL (ends with ``/``)."""

    base_url: str
    site: Site
    config: ReplicaConfig

    def url(self, path: str = "") -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def shortlink(self, object_id: int) -> str:
        return f"{self.base_url}?p={object_id}"


def esc(text: str) -> str:
    return escape(text, quote=True)


def german_date(moment: datetime) -> str:
    return f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def json_ld(data: dict[str, Any], css_class: str = "") -> str:
    attr = f' class="{css_class}"' if css_class else ""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json"{attr}>{text}</script>'


def inline_html(ctx: Ctx, inline: Inline) -> str:
    return "".join(esc(p) if isinstance(p, str) else _link(ctx, p) for p in inline)


def _link(ctx: Ctx, link: Link) -> str:
    external = link.href.startswith("http")
    extra = ' target="_blank" rel="noreferrer noopener"' if external else ""
    return f'<a href="{esc(ctx.url(link.href))}"{extra}>{esc(link.text)}</a>'


def content_html(ctx: Ctx, post: Post) -> str:
    """The post content as ``the_content`` renders it."""
    return "\n".join(block_html(ctx, b) for b in post.blocks)


def block_html(ctx: Ctx, block: Block) -> str:
    kind = block.kind
    if kind == "p":
        return f"<p>{inline_html(ctx, block.inline)}</p>"
    if kind in ("h2", "h3"):
        return f'<h{kind[1]} class="wp-block-heading">{inline_html(ctx, block.inline)}</{kind}>'
    if kind in ("ul", "ol"):
        items = "".join(f"<li>{inline_html(ctx, i)}</li>" for i in block.items)
        return f'<{kind} class="wp-block-list">{items}</{kind}>'
    if kind == "quote":
        inner = "".join(f"<p>{inline_html(ctx, i)}</p>" for i in block.items)
        return f'<blockquote class="wp-block-quote">{inner}</blockquote>'
    if kind == "table":
        return _table(block)
    assert block.image is not None
    return figure_html(ctx, block.image, "wp-block-image size-large", "wp-element-caption")


def _table(block: Block) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in block.rows[0])
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block.rows[1:]
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    return f'<figure class="wp-block-table">{table}</figure>'


def figure_html(ctx: Ctx, image: Image, css: str, caption_css: str) -> str:
    """An image with optional caption and the credit line (``©…``) below it."""
    img = (
        f'<img decoding="async" width="1024" height="576" src="{esc(ctx.url(image.src))}"'
        f' alt="{esc(image.alt)}" class="wp-image-{image.media_id}">'
    )
    caption = (
        f'<figcaption class="{caption_css}">{esc(image.caption)}</figcaption>'
        if image.caption
        else ""
    )
    credit = f'<span class="image-credit">{esc(image.credit)}</span>' if image.credit else ""
    return f'<figure class="{css}">{img}{caption}{credit}</figure>'


def html_lang(language: str) -> str:
    return "en-US" if language == "en" else "de-DE"


def page_title(title: str) -> str:
    return f"{title} – {BLOG_NAME}"


def wp_head(ctx: Ctx, canonical: str, object_id: int | None, description: str) -> str:
    """The links every WordPress page carries in its head."""
    links = [
        f'<link rel="canonical" href="{esc(canonical)}">' if canonical else "",
        f'<meta name="description" content="{esc(description)}">',
        (
            f'<link rel="alternate" type="application/rss+xml" title="{esc(BLOG_NAME)} » Feed"'
            f' href="{ctx.url("feed/")}">'
        ),
        f'<link rel="https://api.w.org/" href="{ctx.url("wp-json/")}">',
        (
            f'<link rel="EditURI" type="application/rsd+xml" title="RSD"'
            f' href="{ctx.url("xmlrpc.php?rsd")}">'
        ),
        '<meta name="generator" content="WordPress 6.6.2">',
    ]
    if object_id is not None:
        links.append(f"<link rel='shortlink' href='{ctx.shortlink(object_id)}'>")
    return "\n".join(links)


def site_claim_html(ctx: Ctx) -> str:
    name, claim = CLAIM.split(" – ", 1)
    return (
        f'<p class="site-title"><a href="{ctx.url()}" rel="home">{esc(name)}</a>'
        f' <span class="site-description">– {esc(claim)}</span></p>'
    )
