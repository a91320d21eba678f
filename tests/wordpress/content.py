"""The fixture's German content, taken from the replica's corpus and shaped the way a
WordPress author would enter it: Gutenberg blocks, one author per post, featured
images with a credit caption, threaded comments, a sticky post, closed comments, a
renamed slug, hand-picked related posts, static pages.

WordPress loads it through its own PHP API (``php/setup.php``); the expected values
of the tests come from WordPress afterwards (``php/truth.php``), not from here.
"""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from typing import Any

from tests.replica.corpus import AUTHORS, COMMENTERS
from tests.replica.markup import Ctx, inline_html
from tests.replica.model import Author, Block, Post
from tests.replica.site import site_for

HOME = "%%HOME%%/"
POSTS = 40
#: An author whose bio has an ampersand: the REST API sends it as ``&amp;``.
LENA = Author(
    16,
    "lena-fischer",
    "Lena Fischer",
    "Lena Fischer leitet bei uns das Team Cloud & Infrastructure. Sie schreibt über"
    " Rechenzentren, Netze und den Betrieb großer Plattformen.",
)
EXTRA_POSTS = (
    {
        "slug": "girls-day-2019-schuelerinnen-entdecken-die-it",
        "title": 'Girls\' Day 2019: Schülerinnen entdecken die "digitale Werkstatt"',
        "date": "2019-03-28 10:00:00",
        "author": "lena-fischer",
        "categories": ["Events & Messen"],
        "tags": ["Ausbildung", "Girls' Day"],
    },
    {
        "slug": "rueckblick-auf-die-cebit-fachbesucher-und-neue-ideen",
        "title": "Rückblick auf die Messe: Fachbesucher & neue Ideen",
        "date": "2017-03-24 16:30:00",
        "author": "lena-fischer",
        "categories": ["Events & Messen", "Cloud"],
        "tags": [],
    },
)
PAGES = (
    ("Impressum", "Beispiel GmbH, Musterstraße 1, 44227 Dortmund. Vertreten durch den Vorstand."),
    ("Datenschutz", "Wir verarbeiten personenbezogene Daten nur im Rahmen der DSGVO."),
    ("Über uns", "Der Blog erzählt aus Projekten in Verwaltung, Cloud und Arbeitswelt."),
)


def content() -> dict[str, Any]:
    """Everything ``setup.php`` loads, as JSON-ready data (blog settings come from the site)."""
    source = [p for p in reversed(site_for(1, None).posts) if p.language == "de"][: POSTS - 2]
    posts = [_post(i, p) for i, p in enumerate(source)]
    posts += [_extra(i, spec, source) for i, spec in enumerate(EXTRA_POSTS)]
    posts.sort(key=lambda p: p["date"])
    _pick_related(posts)
    posts[len(posts) // 2]["sticky"] = True
    posts[5]["comment_status"] = "closed"
    posts[7]["old_slug"] = posts[7]["slug"] + "-entwurf"
    return {
        "users": [_user(a) for a in (*AUTHORS.values(), LENA)],
        "posts": posts,
        "pages": [
            {
                "title": t,
                "content": f"<!-- wp:paragraph -->\n<p>{escape(c)}</p>\n<!-- /wp:paragraph -->",
            }
            for t, c in PAGES
        ],
    }


def _user(author: Author) -> dict[str, str]:
    first, _, last = author.name.partition(" ")
    return {
        "login": author.slug,
        "name": author.name,
        "first": first,
        "last": last,
        "description": author.bio or "",
    }


def _post(index: int, post: Post) -> dict[str, Any]:
    edited = index % 6 == 1 and post.modified is not None
    return {
        "key": post.slug,
        "slug": post.slug,
        "title": post.title,
        "excerpt": "",
        "date": _local(post.published),
        "modified": _local(post.published + timedelta(days=40 + index, hours=3))
        if edited
        else None,
        "author": post.authors[0].slug,
        "categories": [c.name for c in post.categories],
        "tags": [t.name for t in post.tags],
        "content": _blocks(post.blocks),
        "images": _images(post),
        "comments": _comments(post) if post.comments else [],
        "comment_status": "open",
        "sticky": False,
        "old_slug": None,
        "related": [],
    }


def _extra(index: int, spec: dict[str, Any], source: list[Post]) -> dict[str, Any]:
    donor = source[index * 3]
    row = _post(99, donor) | spec
    return row | {"key": spec["slug"], "images": _images(donor, spec["slug"])}


def _local(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _images(post: Post, prefix: str | None = None) -> list[dict[str, str]]:
    name = prefix or post.slug
    hero = post.hero
    images = [
        {
            "file": f"{name}-titelbild.jpg",
            "title": hero.slug,
            "alt": hero.alt,
            "caption": hero.credit or hero.caption or "",
        }
    ]
    for n, block in enumerate((b for b in post.blocks if b.kind == "figure" and b.image), 1):
        assert block.image is not None
        images.append(
            {
                "file": f"{name}-bild-{n}.jpg",
                "title": block.image.slug,
                "alt": block.image.alt,
                "caption": block.image.caption or "",
            }
        )
    return images


def _comments(post: Post) -> list[dict[str, Any]]:
    """The replica's comments, a reply to the first and a reply to that reply (threaded),
    and one comment still waiting for moderation, which no reader sees."""
    rows = [
        {
            "key": f"c{c.comment_id}",
            "parent": None,
            "author": c.name,
            "date": _local(c.date),
            "text": c.text,
            "approved": True,
        }
        for c in post.comments
    ]
    first = post.comments[0]
    replies = [
        ("r1", rows[0]["key"], COMMENTERS[0], "Gute Frage, das sehen wir genauso."),
        ("r2", "r1", post.authors[0].name, "Danke, wir greifen das im nächsten Beitrag auf."),
    ]
    for n, (key, parent, name, text) in enumerate(replies, 1):
        rows.append(
            {
                "key": key,
                "parent": parent,
                "author": name,
                "text": text,
                "approved": True,
                "date": _local(first.date + timedelta(hours=5 * n)),
            }
        )
    rows.append(
        {
            "key": "pending",
            "parent": None,
            "author": "Werbung",
            "approved": False,
            "date": _local(first.date + timedelta(days=1)),
            "text": "Billige Uhren!",
        }
    )
    return rows


def _pick_related(posts: list[dict[str, Any]]) -> None:
    """Every third post recommends its older neighbour (also its ``previous`` link on themes
    that print one) and a post two years away."""
    for i in range(1, len(posts), 3):
        posts[i]["related"] = [posts[i - 1]["key"], posts[(i + 17) % len(posts)]["key"]]


_BLOCK_NAMES = {
    "p": "paragraph",
    "h2": "heading",
    "h3": 'heading {"level":3}',
    "ul": "list",
    "ol": 'list {"ordered":true}',
    "quote": "quote",
    "table": "table",
}


def _blocks(blocks: tuple[Block, ...]) -> str:
    parts = []
    images = 0
    for block in blocks:
        if block.kind == "figure":
            images += 1
            parts.append(f"%%IMAGE{images}%%")
            continue
        name = _BLOCK_NAMES[block.kind]
        parts.append(f"<!-- wp:{name} -->\n{_html(block)}\n<!-- /wp:{name.split()[0]} -->")
    return "\n\n".join(parts)


def _html(block: Block) -> str:
    from tests.replica.markup import block_html

    ctx = Ctx(HOME, None, None)  # type: ignore[arg-type]
    if block.kind in ("h2", "h3"):
        return f'<{block.kind} class="wp-block-heading">{inline_html(ctx, block.inline)}</{block.kind}>'
    return block_html(ctx, block)


if __name__ == "__main__":
    print(json.dumps(content(), ensure_ascii=False, indent=1))
