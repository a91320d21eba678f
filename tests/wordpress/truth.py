"""The expected archive rows of a fixture site, from what WordPress itself says
(``php/truth.php``: its database and its own rendering), in the archive's Python form.

Where a theme does not print something at all (Twenty Twenty-Two and Twenty
Twenty-Three print no previous/next links and no caption under the featured image),
the page cannot carry it and the row must not have it: that is what ``SHOWS`` says.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from html import unescape
from typing import Any

from tests.support import truth as support

#: What each default theme prints on a single post, read from its templates.  Block
#: themes run the whole rendered template through ``wptexturize``, so term names
#: there have typographic quotes (``Girls’ Day``), unlike a classic theme's term list.
SHOWS = {
    "twentytwentyone": {"navigation": True, "featured_caption": True, "texturized": False},
    "twentytwentytwo": {"navigation": False, "featured_caption": False, "texturized": True},
    "twentytwentythree": {"navigation": False, "featured_caption": False, "texturized": True},
}
#: Compared exactly; the body is compared by token F1 (see :func:`body_f1`).
EXACT = ("url", "post_id", "title", "published_at", "modified_at", "authors", "tags",
         "categories", "images", "related_links", "comment_count", "language")  # fmt: skip
BODY_F1_FLOOR = 0.97


def expected_posts(truth: dict[str, Any], theme: str, rest: bool = True) -> list[dict[str, Any]]:
    """One row per published post.  Without the REST API nothing on these themes' pages
    declares a modification, so ``modified_at`` is then absent."""
    return [_row(post, SHOWS[theme], rest) for post in truth["posts"]]


def _row(post: dict[str, Any], shows: dict[str, bool], rest: bool) -> dict[str, Any]:
    published = _utc(post["published_at"])
    modified = _utc(post["modified_at"])
    author = post["author"]
    return {
        "url": post["url"],
        "post_id": post["post_id"],
        "title": post["title"],
        "published_at": published,
        "modified_at": modified if rest and modified != published else None,
        "authors": [{"name": author["name"], "url": author["url"], "bio": author["bio"]}],
        "tags": post["tags_texturized" if shows["texturized"] else "tags"],
        "categories": post["categories_texturized" if shows["texturized"] else "categories"],
        "images": [
            _image(img, n > 0 or shows["featured_caption"]) for n, img in enumerate(post["images"])
        ],
        "related_links": _links(post, shows["navigation"]),
        "comment_count": post["comment_count"],
        "language": post["language"].split("-")[0],
        "body_text": body_text(post["body_html"]),
    }


def _utc(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def _image(image: dict[str, Any], captioned: bool) -> dict[str, Any]:
    """A caption that is a credit line (``©…``) is the image's credit (see the schema)."""
    caption = image["caption"] if captioned else None
    credit = caption if caption and caption.startswith("©") else None
    return {"url": image["url"], "alt": image["alt"], "caption": None if credit else caption,
            "credit": credit}  # fmt: skip


def _links(post: dict[str, Any], navigation: bool) -> list[dict[str, str]]:
    links = [post[r] for r in ("previous", "next") if navigation and post[r]]
    return links + post["related"]


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|td|th|figcaption|blockquote)>", re.IGNORECASE)


def body_text(html: str) -> str:
    """The rendered content as text, one block a paragraph (figure captions are not body)."""
    html = re.sub(r"<figcaption.*?</figcaption>", "", html, flags=re.DOTALL)
    text = unescape(re.sub(r"<[^>]+>", " ", _BLOCK_END.sub("\n", html)))
    return "\n\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def body_f1(got: str, want: str) -> float:
    """Token F1 of two texts (bag of words), as extraction benchmarks score bodies."""
    a, b = Counter(got.split()), Counter(want.split())
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def mismatches(rows: list[dict[str, Any]], expected: list[dict[str, Any]]) -> list[str]:
    """Every difference, one line each: missing or extra posts, wrong fields, weak bodies."""
    return support.mismatches(rows, expected, _field_mismatches)


def _field_mismatches(url: str, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    problems = [
        f"{url} {name}: got {got.get(name)!r}, expected {want[name]!r}"
        for name in EXACT
        if got.get(name) != want[name]
    ]
    f1 = body_f1(got["body_text"], want["body_text"])
    if f1 < BODY_F1_FLOOR:
        problems.append(f"{url} body_text: token F1 {f1:.3f} < {BODY_F1_FLOOR}")
    return problems


def field_accuracy(rows: list[dict[str, Any]], expected: list[dict[str, Any]]) -> dict[str, float]:
    """Per field, the share of expected posts whose value is right (the closing note's table)."""
    got = {row["url"]: row for row in rows}
    scores: dict[str, float] = {}
    for name in (*EXACT, "body_text"):
        right = sum(
            1
            for want in expected
            if want["url"] in got
            and (
                body_f1(got[want["url"]]["body_text"], want["body_text"]) >= BODY_F1_FLOOR
                if name == "body_text"
                else got[want["url"]].get(name) == want[name]
            )
        )
        scores[name] = right / len(expected)
    return scores
