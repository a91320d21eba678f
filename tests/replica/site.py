"""The blog as served for one (edition, n_posts): order, lookups, neighbours.

``posts`` is newest first, as WordPress lists them.  "previous" is the next
older post and "next" the next newer one (WordPress's ``get_previous_post``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache

from tests.replica.catalog import SPECS, base_posts, slugify
from tests.replica.corpus import AUTHORS, CATEGORIES, TAGS
from tests.replica.model import BERLIN, Author, Image, Post, Term
from tests.replica.synthetic import synthetic_posts

PER_PAGE = 10
RELATED = 3


@dataclass(frozen=True)
class StaticPage:
    page_id: int
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    modified: datetime

    @property
    def path(self) -> str:
        return f"{self.slug}/"


PAGES: tuple[StaticPage, ...] = (
    StaticPage(
        2,
        "impressum",
        "Impressum",
        (
            "Materna Information & Communications SE, Voßkuhle 37, 44141 Dortmund.",
            "Vorstand: Martin Wibbe (Vorsitzender). Registergericht: Amtsgericht Dortmund.",
        ),
        datetime(2023, 3, 1, 9, 0, tzinfo=BERLIN),
    ),
    StaticPage(
        3,
        "datenschutz",
        "Datenschutzerklärung",
        (
            "Wir freuen uns über Ihren Besuch auf unserem Blog.",
            "Personenbezogene Daten verarbeiten wir nur im Rahmen der gesetzlichen Vorgaben.",
        ),
        datetime(2024, 1, 15, 12, 0, tzinfo=BERLIN),
    ),
    StaticPage(
        9,
        "ueber-uns",
        "Über uns",
        (
            "Im Materna Blog schreiben Expertinnen und Experten über Digitalisierung.",
            "Die Themen reichen von E-Government über Cloud bis zu Künstlicher Intelligenz.",
        ),
        datetime(2022, 5, 2, 8, 0, tzinfo=BERLIN),
    ),
)


class Site:
    """Everything served for one edition and size; build it with :func:`site_for`."""

    def __init__(self, edition: int, n_posts: int | None) -> None:
        posts = base_posts(edition)
        if n_posts is not None:
            # Sized by edition 1, so that edition 2 changes only its own six posts.
            first_edition = len(base_posts(1))
            if n_posts < first_edition:
                raise ValueError(f"n_posts must be at least {first_edition}")
            posts += synthetic_posts(n_posts - first_edition)
        self.edition = edition
        self.posts: list[Post] = sorted(posts, key=lambda p: (p.published, p.post_id))[::-1]
        self.index = {p.post_id: i for i, p in enumerate(self.posts)}
        self.by_slug = {p.slug: p for p in self.posts}
        self.by_id = {p.post_id: p for p in self.posts}
        self.pages_by_slug = {p.slug: p for p in PAGES}
        self.gone = _gone_slugs(edition)
        self.authors: dict[str, Author] = AUTHORS
        self.categories: dict[str, Term] = CATEGORIES
        self.tags: dict[str, Term] = TAGS

    @cached_property
    def by_term(self) -> dict[tuple[str, str], list[Post]]:
        """(``category``/``tag``/``author``, slug) -> posts, newest first."""
        groups: dict[tuple[str, str], list[Post]] = {}
        for post in self.posts:
            keys = [("category", c.slug) for c in post.categories]
            keys += [("tag", t.slug) for t in post.tags]
            keys += [("author", a.slug) for a in post.authors]
            for key in keys:
                groups.setdefault(key, []).append(post)
        return groups

    @cached_property
    def term_position(self) -> dict[tuple[str, str, int], int]:
        return {
            (kind, slug, p.post_id): i
            for (kind, slug), posts in self.by_term.items()
            for i, p in enumerate(posts)
        }

    @cached_property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month with posts, newest first."""
        return sorted({(p.published.year, p.published.month) for p in self.posts}, reverse=True)

    def previous(self, post: Post) -> Post | None:
        i = self.index[post.post_id] + 1
        return self.posts[i] if i < len(self.posts) else None

    def next(self, post: Post) -> Post | None:
        i = self.index[post.post_id] - 1
        return self.posts[i] if i >= 0 else None

    def related(self, post: Post) -> list[Post]:
        """Up to three posts sharing the most tags (then a category), nearest in
        time first; never the post itself or its previous/next neighbour."""
        taken = {post.post_id} | {p.post_id for p in (self.previous(post), self.next(post)) if p}
        scores: dict[int, int] = {}
        keys = [("tag", t.slug) for t in post.tags] + [
            ("category", c.slug) for c in post.categories
        ]
        for weight, key in zip(
            [2] * len(post.tags) + [1] * len(post.categories), keys, strict=True
        ):
            for other in self._near(post, key):
                if other.post_id not in taken:
                    scores[other.post_id] = scores.get(other.post_id, 0) + weight
        gap = self.index[post.post_id]
        ranked = sorted(scores, key=lambda pid: (-scores[pid], abs(self.index[pid] - gap), pid))
        nearby = [p.post_id for p in self.posts[max(0, gap - 3) : gap + 4]]
        ranked += [pid for pid in nearby if pid not in taken and pid not in scores]
        return [self.by_id[pid] for pid in ranked[:RELATED]]

    def _near(self, post: Post, key: tuple[str, str]) -> list[Post]:
        group = self.by_term[key]
        at = self.term_position[(*key, post.post_id)]
        return group[max(0, at - 4) : at + 5]

    def attachment(self, post_slug: str, image_slug: str) -> tuple[Post, Image] | None:
        post = self.by_slug.get(post_slug)
        if post is None:
            return None
        return next(((post, i) for i in post.images if i.slug == image_slug), None)

    def newest_change(self, posts: list[Post]) -> datetime:
        return max((p.last_changed for p in posts), default=PAGES[0].modified)


def _gone_slugs(edition: int) -> set[str]:
    if edition < 2:
        return set()
    return {slugify(s.title) for s in SPECS if "removed2" in s.features.split()}


@lru_cache(maxsize=8)
def site_for(edition: int, n_posts: int | None) -> Site:
    return Site(edition, n_posts)
