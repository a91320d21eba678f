"""Machine-readable discovery sources: robots.txt, the core sitemaps
(``wp-sitemap*.xml``, no lastmod), Yoast sitemaps (with lastmod) and RSS 2.0."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape as xml_escape

from tests.replica.corpus import BLOG_NAME
from tests.replica.markup import Ctx, content_html, iso_utc
from tests.replica.model import Post
from tests.replica.site import PAGES

CORE_PER_SITEMAP = 2000
YOAST_PER_SITEMAP = 1000
FEED_ITEMS = 10
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def robots(ctx: Ctx) -> str:
    lines = ["User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", ""]
    if ctx.config.is_on("robots-sitemaps"):
        names = (_yoast_name(ctx, "sitemap_index.xml"), "wp-sitemap.xml")
        lines += [f"Sitemap: {ctx.url(name)}" for name in names]
    return "\n".join(lines) + "\n"


def _urlset(entries: list[tuple[str, datetime | None]]) -> str:
    rows = "".join(
        f"<url><loc>{xml_escape(loc)}</loc>"
        + (f"<lastmod>{iso_utc(mod)}</lastmod>" if mod else "")
        + "</url>\n"
        for loc, mod in entries
    )
    return f"{_XML}<urlset {_NS}>\n{rows}</urlset>\n"


def _index(entries: list[tuple[str, datetime | None]]) -> str:
    rows = "".join(
        f"<sitemap><loc>{xml_escape(loc)}</loc>"
        + (f"<lastmod>{iso_utc(mod)}</lastmod>" if mod else "")
        + "</sitemap>\n"
        for loc, mod in entries
    )
    return f"{_XML}<sitemapindex {_NS}>\n{rows}</sitemapindex>\n"


def core_sitemap(ctx: Ctx, name: str) -> str | None:
    """``wp-sitemap.xml`` and its children; None for an unknown name."""
    site = ctx.site
    pages = max(1, math.ceil(len(site.posts) / CORE_PER_SITEMAP))
    children = {f"wp-sitemap-posts-post-{n}.xml": n for n in range(1, pages + 1)}
    if name == "wp-sitemap.xml":
        names = [*children, "wp-sitemap-posts-page-1.xml"]
        names += ["wp-sitemap-taxonomies-category-1.xml", "wp-sitemap-taxonomies-post_tag-1.xml"]
        return _index([(ctx.url(n), None) for n in [*names, "wp-sitemap-users-1.xml"]])
    if name in children:
        chunk = _chunk(site.posts, children[name], CORE_PER_SITEMAP)
        return _urlset([(ctx.url(p.path), None) for p in chunk])
    others = {
        "wp-sitemap-posts-page-1.xml": [p.path for p in PAGES],
        "wp-sitemap-taxonomies-category-1.xml": [c.path for c in site.categories.values()],
        "wp-sitemap-taxonomies-post_tag-1.xml": [t.path for t in site.tags.values()],
        "wp-sitemap-users-1.xml": [a.path for a in site.authors.values()],
    }
    if name in others:
        return _urlset([(ctx.url(path), None) for path in others[name]])
    return None


def _chunk(posts: list[Post], number: int, size: int) -> list[Post]:
    return posts[(number - 1) * size : number * size]


def yoast_sitemap(ctx: Ctx, name: str) -> str | None:
    """``sitemap_index.xml`` and its children (``post-sitemap.xml``, ``post-sitemap2.xml``…)."""
    site = ctx.site
    count = max(1, math.ceil(len(site.posts) / YOAST_PER_SITEMAP))
    post_maps = {f"post-sitemap{n if n > 1 else ''}.xml": n for n in range(1, count + 1)}
    if name in post_maps:
        chunk = _chunk(site.posts, post_maps[name], YOAST_PER_SITEMAP)
        return _urlset([(ctx.url(p.path), p.last_changed) for p in chunk])
    others = _yoast_others(ctx)
    if name in others:
        return _urlset(others[name])
    if name != "sitemap_index.xml":
        return None
    entries = [
        (
            ctx.url(_yoast_name(ctx, n)),
            max(p.last_changed for p in _chunk(site.posts, i, YOAST_PER_SITEMAP)),
        )
        for n, i in post_maps.items()
    ]
    entries += [
        (ctx.url(_yoast_name(ctx, n)), max(m for _, m in rows if m)) for n, rows in others.items()
    ]
    return _index(entries)


def _yoast_name(ctx: Ctx, name: str) -> str:
    return name + ".gz" if ctx.config.gzip_sitemaps else name


def _yoast_others(ctx: Ctx) -> dict[str, list[tuple[str, datetime | None]]]:
    site = ctx.site
    terms = site.by_term
    return {
        "page-sitemap.xml": [(ctx.url(p.path), p.modified) for p in PAGES],
        "category-sitemap.xml": [
            (ctx.url(c.path), site.newest_change(terms.get(("category", c.slug), [])))
            for c in site.categories.values()
        ],
        "author-sitemap.xml": [
            (ctx.url(a.path), site.newest_change(terms.get(("author", a.slug), [])))
            for a in site.authors.values()
        ],
    }


def rss(ctx: Ctx) -> str:
    posts = ctx.site.posts[:FEED_ITEMS]
    items = "".join(_item(ctx, p) for p in posts)
    built = format_datetime(ctx.site.newest_change(posts).astimezone(UTC))
    return (
        f'{_XML}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
        ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n<channel>\n'
        f"<title>{xml_escape(BLOG_NAME)}</title>\n"
        f'<atom:link href="{ctx.url("feed/")}" rel="self" type="application/rss+xml" />\n'
        f"<link>{ctx.url()}</link>\n<description>wissen was los ist</description>\n"
        f"<lastBuildDate>{built}</lastBuildDate>\n<language>de-DE</language>\n"
        "<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        f"<generator>https://wordpress.org/?v=6.6.2</generator>\n{items}</channel>\n</rss>\n"
    )


def _item(ctx: Ctx, post: Post) -> str:
    creators = "".join(f"<dc:creator><![CDATA[{a.name}]]></dc:creator>\n" for a in post.authors)
    terms = "".join(
        f"<category><![CDATA[{t.name}]]></category>\n" for t in (*post.categories, *post.tags)
    )
    return (
        f"<item>\n<title>{xml_escape(post.title)}</title>\n<link>{ctx.url(post.path)}</link>\n"
        f"{creators}<pubDate>{format_datetime(post.published.astimezone(UTC))}</pubDate>\n{terms}"
        f'<guid isPermaLink="false">{xml_escape(ctx.shortlink(post.post_id))}</guid>\n'
        f"<description><![CDATA[{post.description}]]></description>\n"
        f"<content:encoded><![CDATA[{content_html(ctx, post)}]]></content:encoded>\n"
        f"<slash:comments>{len(post.comments)}</slash:comments>\n</item>\n"
    )
