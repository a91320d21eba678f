"""The WordPress REST API (``/wp-json/``): root, posts, users, categories, tags.

:func:`answer` maps a path below ``wp-json/`` plus query to
``(status, extra headers, JSON value)``.  Dates follow WordPress: ``date`` and
``modified`` are naive site-local times, the ``*_gmt`` twins naive UTC; a post
never edited reports ``modified == date`` as WordPress does.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tests.replica.corpus import BLOG_NAME
from tests.replica.markup import Ctx, content_html, esc
from tests.replica.model import BERLIN, Author, Post, Term

Answer = tuple[int, dict[str, str], Any]
MAX_PER_PAGE = 100


def error(status: int, code: str, message: str) -> Answer:
    return status, {}, {"code": code, "message": message, "data": {"status": status}}


class RestError(Exception):
    """A request WordPress refuses; ``answer`` is the error response."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.answer = error(status, code, message)


def answer(ctx: Ctx, route: str, query: dict[str, str]) -> Answer:
    try:
        return _route(ctx, route, query)
    except RestError as refused:
        return refused.answer


def _route(ctx: Ctx, route: str, query: dict[str, str]) -> Answer:
    route = route.strip("/")
    parts = route.split("/")
    if route == "":
        return 200, {}, _root(ctx)
    if route == "wp/v2/posts":
        return _posts(ctx, query)
    if len(parts) == 4 and parts[:3] == ["wp", "v2", "posts"] and parts[3].isdigit():
        post = ctx.site.by_id.get(int(parts[3]))
        if post is None:
            return error(404, "rest_post_invalid_id", "Ungültige Beitrags-ID.")
        return 200, {}, _fields(_post_json(ctx, post, "_embed" in query), query)
    if len(parts) == 4 and parts[:3] == ["wp", "v2", "users"] and parts[3].isdigit():
        author = next((a for a in ctx.site.authors.values() if a.user_id == int(parts[3])), None)
        if author is None:
            return error(404, "rest_user_invalid_id", "Ungültige Benutzer-ID.")
        return 200, {}, _user(ctx, author)
    if route in ("wp/v2/categories", "wp/v2/tags", "wp/v2/users"):
        return _collection(ctx, parts[2], query)
    return error(404, "rest_no_route", "Es wurde keine Route gefunden.")


def _root(ctx: Ctx) -> dict[str, Any]:
    routes = ["/wp/v2/posts", "/wp/v2/posts/(?P<id>[\\d]+)", "/wp/v2/users", "/wp/v2/categories"]
    return {
        "name": BLOG_NAME,
        "description": "wissen was los ist",
        "url": ctx.url().rstrip("/"),
        "home": ctx.url().rstrip("/"),
        "gmt_offset": "1",
        "timezone_string": "Europe/Berlin",
        "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
        "authentication": [],
        "routes": {r: {"namespace": "wp/v2", "methods": ["GET"]} for r in [*routes, "/wp/v2/tags"]},
    }


def _paging(query: dict[str, str], default: int = 10) -> tuple[int, int]:
    try:
        per_page = int(query.get("per_page", default))
        page = int(query.get("page", 1))
    except ValueError:
        raise RestError(400, "rest_invalid_param", "Ungültige(r) Parameter: per_page") from None
    if not 1 <= per_page <= MAX_PER_PAGE or page < 1:
        raise RestError(400, "rest_invalid_param", "Ungültige(r) Parameter: per_page, page")
    return per_page, page


def _posts(ctx: Ctx, query: dict[str, str]) -> Answer:
    per_page, page = _paging(query)
    posts = _select(ctx, query)
    total_pages = math.ceil(len(posts) / per_page)
    if page > max(total_pages, 1):
        message = "Die angeforderte Seitenzahl ist größer als die Anzahl der Seiten."
        return error(400, "rest_post_invalid_page_number", message)
    chunk = posts[(page - 1) * per_page : page * per_page]
    body = [_fields(_post_json(ctx, p, "_embed" in query), query) for p in chunk]
    headers = {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(total_pages)}
    if page < total_pages:
        next_query = urlencode({**query, "page": page + 1})
        headers["Link"] = f'<{ctx.url("wp-json/wp/v2/posts")}?{next_query}>; rel="next"'
    return 200, headers, body


def _select(ctx: Ctx, query: dict[str, str]) -> list[Post]:
    posts = list(ctx.site.posts)
    if "modified_after" in query:
        since = _parse_date(query["modified_after"])
        if since is None:
            raise RestError(400, "rest_invalid_param", "Ungültige(r) Parameter: modified_after")
        posts = [p for p in posts if _modified(p) > since]
    if "slug" in query:
        posts = [p for p in posts if p.slug in query["slug"].split(",")]
    if query.get("orderby", "date") == "modified":
        posts.sort(key=lambda p: (_modified(p), p.post_id), reverse=True)
    elif query.get("orderby") == "id":
        posts.sort(key=lambda p: p.post_id, reverse=True)
    if query.get("order") == "asc":
        posts.reverse()
    return posts


def _parse_date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def _modified(post: Post) -> datetime:
    return post.modified or post.published


def _local(moment: datetime) -> str:
    return moment.astimezone(BERLIN).replace(tzinfo=None).isoformat(timespec="seconds")


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _post_json(ctx: Ctx, post: Post, embed: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": post.post_id,
        "date": _local(post.published),
        "date_gmt": _gmt(post.published),
        "guid": {"rendered": ctx.shortlink(post.post_id)},
        "modified": _local(_modified(post)),
        "modified_gmt": _gmt(_modified(post)),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": ctx.url(post.path),
        "title": {"rendered": post.title.replace("&", "&#038;")},
        "content": {"rendered": content_html(ctx, post), "protected": False},
        "excerpt": {"rendered": f"<p>{esc(post.description)}</p>\n", "protected": False},
        "author": post.authors[0].user_id,
        "coauthors": [a.user_id for a in post.authors],
        "featured_media": post.hero.media_id,
        "comment_status": "open",
        "format": "standard",
        "categories": [c.term_id for c in post.categories],
        "tags": [t.term_id for t in post.tags],
        "lang": post.language,
        "_links": {"self": [{"href": ctx.url(f"wp-json/wp/v2/posts/{post.post_id}")}]},
    }
    if embed:
        data["_embedded"] = _embedded(ctx, post)
    return data


def _embedded(ctx: Ctx, post: Post) -> dict[str, Any]:
    hero = post.hero
    media = {
        "id": hero.media_id,
        "source_url": ctx.url(hero.src),
        "alt_text": hero.alt,
        "caption": {"rendered": f"<p>{esc(hero.caption)}</p>\n" if hero.caption else ""},
        "media_type": "image",
    }
    return {
        "author": [_user(ctx, a) for a in post.authors],
        "wp:featuredmedia": [media],
        "wp:term": [
            [_term(ctx, c) for c in post.categories],
            [_term(ctx, t) for t in post.tags],
        ],
    }


def _user(ctx: Ctx, author: Author) -> dict[str, Any]:
    return {
        "id": author.user_id,
        "name": author.name,
        "url": "",
        "description": author.bio or "",
        "link": ctx.url(author.path),
        "slug": author.slug,
    }


def _term(ctx: Ctx, term: Term) -> dict[str, Any]:
    kind = "category" if term.taxonomy == "category" else "tag"
    return {
        "id": term.term_id,
        "count": len(ctx.site.by_term.get((kind, term.slug), [])),
        "link": ctx.url(term.path),
        "name": term.name,
        "slug": term.slug,
        "taxonomy": term.taxonomy,
    }


def _collection(ctx: Ctx, kind: str, query: dict[str, str]) -> Answer:
    per_page, page = _paging(query)
    if kind == "users":
        items = [_user(ctx, a) for a in ctx.site.authors.values()]
    else:
        terms = ctx.site.categories if kind == "categories" else ctx.site.tags
        items = [_term(ctx, t) for t in terms.values()]
    total_pages = max(1, math.ceil(len(items) / per_page))
    if page > total_pages:
        return error(400, "rest_invalid_page_number", "Die angeforderte Seitenzahl ist zu groß.")
    headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(total_pages)}
    return 200, headers, items[(page - 1) * per_page : page * per_page]


def _fields(data: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    if "_fields" not in query:
        return data
    wanted = {f.split(".")[0] for f in query["_fields"].split(",")}
    return {k: v for k, v in data.items() if k in wanted}
