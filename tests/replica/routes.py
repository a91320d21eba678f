"""URL routing of the replica: a request path (below the prefix) to a Response.

Routes follow WordPress 6 with pretty permalinks (``/<slug>/``).  Which
sources answer depends on ``config.sources_off``; everything else on the
edition, size and theme of the config.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.replica import feeds, pages, rest
from tests.replica.markup import Ctx
from tests.replica.model import Post
from tests.replica.site import PER_PAGE

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
# A 1×1 GIF stands in for every upload.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b"
)
_PAGED = re.compile(r"^(?P<base>(?:[^/]+/[^/]+/)?)page/(?P<n>\d+)/$")
_MONTH = re.compile(r"^(?P<y>\d{4})/(?P<m>\d{2})/$")
_CORE_SITEMAP = re.compile(r"^wp-sitemap[\w.-]*\.xml$")
_YOAST_SITEMAP = re.compile(r"^(sitemap_index|[a-z]+-sitemap\d*)\.xml$")


@dataclass
class Response:
    """What the server sends.

    For faults: ``delay_s`` sleeps before answering, ``truncate_at`` sends only
    that many body bytes (then closes), ``raw`` replaces the whole response
    (status line, headers and body) with these bytes and closes.
    """

    status: int
    body: bytes = b""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    delay_s: float = 0.0
    truncate_at: int | None = None
    raw: bytes | None = None


def text(
    status: int, body: str, content_type: str = HTML, modified: datetime | None = None
) -> Response:
    return Response(status, body.encode("utf-8"), content_type, last_modified=modified)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", HTML, {"Location": location})


def route(ctx: Ctx, path: str, query: dict[str, str]) -> Response:
    """``path`` is relative to the blog prefix (``""`` is the home page)."""
    if path == "" and "p" in query:
        return _shortlink(ctx, query["p"])
    if path == "robots.txt":
        return text(200, feeds.robots(ctx), "text/plain; charset=utf-8")
    if path.startswith("wp-json"):
        return _rest(ctx, path[len("wp-json") :], query)
    if path.startswith("wp-content/uploads/"):
        return Response(200, PIXEL, "image/gif")
    if _CORE_SITEMAP.match(path) or _YOAST_SITEMAP.match(path):
        return _sitemap(ctx, path)
    if path.endswith(".xml.gz") and _YOAST_SITEMAP.match(path[:-3]):
        return _gzipped(_sitemap(ctx, path[:-3]))
    if path in ("feed/", "feed"):
        return _feed(ctx, path)
    if path and not path.endswith("/") and "." not in path:
        return redirect(ctx.url(path + "/"))
    return _html(ctx, path) or text(404, pages.not_found(ctx))


def _shortlink(ctx: Ctx, value: str) -> Response:
    object_id = int(value) if value.isdigit() else -1
    post = ctx.site.by_id.get(object_id)
    if post:
        return redirect(ctx.url(post.path))
    page = next((p for p in ctx.site.pages_by_slug.values() if p.page_id == object_id), None)
    return redirect(ctx.url(page.path)) if page else text(404, pages.not_found(ctx))


def _rest(ctx: Ctx, route_path: str, query: dict[str, str]) -> Response:
    if not ctx.config.is_on("rest"):
        status, headers, value = rest.error(
            401, "rest_forbidden", "Sie sind nicht berechtigt, dies zu tun."
        )
    else:
        status, headers, value = rest.answer(ctx, route_path, query)
    return Response(status, _json(value), JSON, dict(headers))


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _sitemap(ctx: Ctx, name: str) -> Response:
    core = name.startswith("wp-sitemap")
    if not ctx.config.is_on("wp-sitemap" if core else "yoast-sitemap"):
        return text(404, pages.not_found(ctx))
    body = feeds.core_sitemap(ctx, name) if core else feeds.yoast_sitemap(ctx, name)
    if body is None:
        return text(404, pages.not_found(ctx))
    return text(200, body, XML, ctx.site.newest_change(ctx.site.posts))


def _gzipped(response: Response) -> Response:
    """A sitemap as a ``.xml.gz`` file: the file itself is gzip, no Content-Encoding."""
    if response.status != 200:
        return response
    return Response(200, gzip.compress(response.body), "application/x-gzip",
                    last_modified=response.last_modified)  # fmt: skip


def _feed(ctx: Ctx, path: str) -> Response:
    if not ctx.config.is_on("feed"):
        return text(404, pages.not_found(ctx))
    if path == "feed":
        return redirect(ctx.url("feed/"))
    newest = ctx.site.newest_change(ctx.site.posts[: feeds.FEED_ITEMS])
    return text(200, feeds.rss(ctx), "application/rss+xml; charset=UTF-8", newest)


def _html(ctx: Ctx, path: str) -> Response | None:
    page = 1
    paged = _PAGED.match(path)
    if paged:
        path, page = paged["base"], int(paged["n"])
    if path == "":
        return _listing(
            ctx, ctx.site.posts, page, base="", heading="Der Materna Blog", css="home blog"
        )
    if page == 1:
        single = _single(ctx, path)
        if single:
            return single
    return _archive(ctx, path, page)


def _single(ctx: Ctx, path: str) -> Response | None:
    parts = path.strip("/").split("/")
    site = ctx.site
    if len(parts) == 1:
        post = site.by_slug.get(parts[0])
        if post:
            return text(200, pages.post_page(ctx, post), HTML, post.last_changed)
        if parts[0] in site.gone:
            return text(410, pages.not_found(ctx))
        static = site.pages_by_slug.get(parts[0])
        if static:
            return text(200, pages.static_page(ctx, static), HTML, static.modified)
    if len(parts) == 2 and parts[0] not in ("category", "tag", "author"):
        found = site.attachment(parts[0], parts[1])
        if found:
            return text(200, pages.attachment_page(ctx, *found), HTML, found[0].published)
    return None


def _archive(ctx: Ctx, path: str, page: int) -> Response | None:
    if not ctx.config.is_on("archives"):
        return None
    month = _MONTH.match(path)
    if month:
        year, number = int(month["y"]), int(month["m"])
        posts = [
            p for p in ctx.site.posts if (p.published.year, p.published.month) == (year, number)
        ]
        heading = f"Monat: {pages.german_month(year, number)}"
        return (
            _listing(ctx, posts, page, base=path, heading=heading, css="archive date")
            if posts
            else None
        )
    parts = path.strip("/").split("/")
    if len(parts) != 2 or parts[0] not in ("category", "tag", "author"):
        return None
    return _term_archive(ctx, parts[0], parts[1], page)


def _term_archive(ctx: Ctx, kind: str, slug: str, page: int) -> Response | None:
    site = ctx.site
    lookup = {"category": site.categories, "tag": site.tags, "author": site.authors}[kind]
    item = lookup.get(slug)
    if item is None:
        return None
    label = {"category": "Kategorie", "tag": "Schlagwort", "author": "Autor"}[kind]
    item_id = getattr(item, "term_id", None) or getattr(item, "user_id", 0)
    body_class = f"archive {kind} {kind}-{slug} {kind}-{item_id}"
    posts = site.by_term.get((kind, slug), [])
    return _listing(
        ctx, posts, page, base=f"{kind}/{slug}/", heading=f"{label}: {item.name}", css=body_class
    )


def _listing(
    ctx: Ctx, posts: list[Post], page: int, *, base: str, heading: str, css: str
) -> Response | None:
    html = pages.listing(ctx, posts, page, base_path=base, heading=heading, body_class=css)
    if html is None:
        return None
    shown = posts[(page - 1) * PER_PAGE : page * PER_PAGE]
    return text(200, html, HTML, ctx.site.newest_change(shown))
