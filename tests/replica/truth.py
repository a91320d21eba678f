"""The ground truth: what an archive of the served replica must contain.

Values are in the archive's Python form (see ``pipelines.schema``): datetimes
in UTC, lists of dicts for authors, images and links, absolute URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.replica.config import ReplicaConfig
from tests.replica.markup import Ctx, content_html
from tests.replica.model import BERLIN, Post, body_links, body_text
from tests.replica.site import PAGES, PER_PAGE, Site, site_for


def _ctx(base_url: str, config: ReplicaConfig) -> Ctx:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return Ctx(base, site_for(config.edition, config.n_posts), config)


def expected_posts(base_url: str, config: ReplicaConfig) -> list[dict[str, Any]]:
    """One dict per served post, newest first, keyed by ``PAGE_FIELDS``."""
    ctx = _ctx(base_url, config)
    return [expected_post(ctx, post) for post in ctx.site.posts]


def expected_post(ctx: Ctx, post: Post) -> dict[str, Any]:
    text = body_text(post.blocks)
    return {
        "url": ctx.url(post.path),
        "post_id": post.post_id,
        "title": post.title,
        "description": post.description,
        "published_at": _published(ctx, post),
        "modified_at": _modified(ctx, post),
        "authors": [{"name": a.name, "url": ctx.url(a.path), "bio": a.bio} for a in post.authors],
        "tags": [t.name for t in post.tags],
        "categories": [c.name for c in post.categories],
        "body_text": text,
        "body_html": content_html(ctx, post),
        "word_count": len(text.split()),
        "language": post.language,
        "images": [
            {"url": ctx.url(i.src), "alt": i.alt, "caption": i.caption, "credit": i.credit}
            for i in post.images
        ],
        "related_links": _related(ctx, post),
        "body_links": [
            {"url": ctx.url(link.href), "text": link.text} for link in body_links(post.blocks)
        ],
        "comment_count": len(post.comments),
    }


def _date_only(ctx: Ctx) -> bool:
    return ctx.config.theme == "builder"


def _modified(ctx: Ctx, post: Post) -> datetime | None:
    """The page's modification time; a theme that prints none leaves it to the REST
    API's ``modified_gmt``, which only a crawl with the API on can read."""
    if not post.modified or (_date_only(ctx) and not ctx.config.is_on("rest")):
        return None
    return _utc(post.modified)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _published(ctx: Ctx, post: Post) -> datetime:
    if not _date_only(ctx):
        return _utc(post.published)
    day = post.published.astimezone(BERLIN).date()
    return datetime(day.year, day.month, day.day, tzinfo=BERLIN).astimezone(UTC)


def _related(ctx: Ctx, post: Post) -> list[dict[str, str]]:
    site: Site = ctx.site
    links = [
        {"url": ctx.url(other.path), "title": other.title, "relation": relation}
        for relation, other in (("previous", site.previous(post)), ("next", site.next(post)))
        if other
    ]
    links += [
        {"url": ctx.url(r.path), "title": r.title, "relation": "related"}
        for r in site.related(post)
    ]
    return links


def expected_non_posts(base_url: str, config: ReplicaConfig) -> list[str]:
    """HTML pages that exist but are not posts: listings, static pages,
    attachment pages, and (unless switched off) the archives."""
    ctx = _ctx(base_url, config)
    site = ctx.site
    urls = [ctx.url()]
    pages = -(-len(site.posts) // PER_PAGE)
    urls += [ctx.url(f"page/{n}/") for n in range(2, pages + 1)]
    urls += [ctx.url(p.path) for p in PAGES]
    urls += [ctx.url(f"{p.path}{i.slug}/") for p in site.posts for i in p.images]
    if config.is_on("archives"):
        urls += [
            ctx.url(t.path)
            for t in (*site.categories.values(), *site.tags.values())
            if (("category" if t.taxonomy == "category" else "tag"), t.slug) in site.by_term
        ]
        urls += [ctx.url(a.path) for a in site.authors.values()]
    return urls
