"""Non-post HTML pages as WordPress produces them: listings (home, category,
tag, author, month) with pagination, static pages, attachment pages and 404."""

from __future__ import annotations

import math
import re
from types import ModuleType

from tests.replica import theme_block, theme_builder, theme_classic, theme_jsonld, yoast
from tests.replica.chrome import Shell
from tests.replica.markup import MONTHS, Ctx, esc, figure_html, german_date, iso
from tests.replica.model import Image, Post
from tests.replica.site import PER_PAGE, StaticPage

THEMES: dict[str, ModuleType] = {
    "classic": theme_classic,
    "block": theme_block,
    "builder": theme_builder,
    "jsonld": theme_jsonld,
}
_CLASS = re.compile(r' class="[^"]*"')


def german_month(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def render(ctx: Ctx, shell: Shell) -> str:
    return THEMES[ctx.config.theme].document(ctx, shell)


def post_page(ctx: Ctx, post: Post) -> str:
    return render(ctx, THEMES[ctx.config.theme].post_shell(ctx, post))


def _graph(ctx: Ctx, url: str, name: str, kind: str = "WebPage") -> list[str]:
    return [] if ctx.config.theme == "builder" else [yoast.page_graph(ctx, url, name, kind)]


def listing(
    ctx: Ctx, posts: list[Post], page: int, *, base_path: str, heading: str, body_class: str
) -> str | None:
    """One page of a post listing, or None when ``page`` is past the last page."""
    last = max(1, math.ceil(len(posts) / PER_PAGE))
    if page > last:
        return None
    url = ctx.url(base_path if page == 1 else f"{base_path}page/{page}/")
    head = _graph(ctx, url, heading, "ProfilePage" if "author" in body_class else "CollectionPage")
    if page > 1:
        head.append(f'<link rel="prev" href="{_page_url(ctx, base_path, page - 1)}">')
    if page < last:
        head.append(f'<link rel="next" href="{_page_url(ctx, base_path, page + 1)}">')
    chunk = posts[(page - 1) * PER_PAGE : page * PER_PAGE]
    main = heading_html(ctx, heading, base_path) + "".join(_summary(ctx, p) for p in chunk)
    main += _pagination(ctx, base_path, page, last)
    if ctx.config.theme == "jsonld":
        main = _CLASS.sub("", main)
    paged = f" paged paged-{page}" if page > 1 else ""
    return render(ctx, Shell(heading, body_class + paged, main, url, heading, None, "de-DE", head))


def _page_url(ctx: Ctx, base_path: str, page: int) -> str:
    return ctx.url(base_path if page == 1 else f"{base_path}page/{page}/")


def heading_html(ctx: Ctx, heading: str, base_path: str) -> str:
    html = f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1>'
    if base_path.startswith("author/"):
        author = ctx.site.authors[base_path.split("/")[1]]
        if author.bio:
            html += f'<div class="taxonomy-description author-bio">{esc(author.bio)}</div>'
    return html + "</header>"


def _summary(ctx: Ctx, post: Post) -> str:
    authors = ", ".join(
        f'<a class="url fn n" href="{ctx.url(a.path)}">{esc(a.name)}</a>' for a in post.authors
    )
    return (
        f'<article id="post-{post.post_id}" class="{theme_classic.post_classes(post)}">'
        f'<header class="entry-header"><h2 class="entry-title"><a href="{ctx.url(post.path)}"'
        f' rel="bookmark">{esc(post.title)}</a></h2><div class="entry-meta">'
        f'<time class="entry-date published" datetime="{iso(post.published)}">'
        f"{german_date(post.published)}</time> von {authors}</div></header>"
        f'<div class="entry-summary"><p>{esc(post.description)}</p></div>'
        f'<a class="more-link" href="{ctx.url(post.path)}">Weiterlesen</a></article>'
    )


def _pagination(ctx: Ctx, base_path: str, page: int, last: int) -> str:
    if last == 1:
        return ""
    links = []
    if page > 1:
        links.append(
            f'<a class="prev page-numbers" href="{_page_url(ctx, base_path, page - 1)}">Zurück</a>'
        )
    for n in sorted({1, page - 1, page, page + 1, last} & set(range(1, last + 1))):
        if n == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            links.append(f'<a class="page-numbers" href="{_page_url(ctx, base_path, n)}">{n}</a>')
    if page < last:
        links.append(
            f'<a class="next page-numbers" href="{_page_url(ctx, base_path, page + 1)}">Weiter</a>'
        )
    return (
        '<nav class="navigation pagination" aria-label="Beiträge">'
        f'<div class="nav-links">{"".join(links)}</div></nav>'
    )


def static_page(ctx: Ctx, page: StaticPage) -> str:
    url = ctx.url(page.path)
    body = "".join(f"<p>{esc(p)}</p>" for p in page.paragraphs)
    main = (
        f'<article id="post-{page.page_id}" class="post-{page.page_id} page type-page'
        f' status-publish hentry"><header class="entry-header"><h1 class="entry-title">'
        f'{esc(page.title)}</h1></header><div class="entry-content">{body}</div></article>'
    )
    shell = Shell(
        page.title,
        f"page-template-default page page-id-{page.page_id}",
        _CLASS.sub("", main) if ctx.config.theme == "jsonld" else main,
        url,
        page.title,
        page.page_id,
        "de-DE",
        _graph(ctx, url, page.title),
    )
    return render(ctx, shell)


def attachment_page(ctx: Ctx, post: Post, image: Image) -> str:
    url = ctx.url(f"{post.path}{image.slug}/")
    figure = figure_html(ctx, image, "wp-caption", "wp-caption-text")
    main = (
        f'<article id="post-{image.media_id}" class="post-{image.media_id} attachment'
        f' type-attachment status-inherit hentry"><header class="entry-header">'
        f'<h1 class="entry-title">{esc(image.slug)}</h1></header>'
        f'<div class="entry-content"><p class="attachment">{figure}</p></div>'
        f'<footer class="entry-footer">Veröffentlicht in <a href="{ctx.url(post.path)}">'
        f"{esc(post.title)}</a></footer></article>"
    )
    shell = Shell(
        image.slug,
        f"attachment attachment-template-default single single-attachment"
        f" postid-{image.media_id} attachmentid-{image.media_id} attachment-jpeg",
        main,
        url,
        image.alt,
        image.media_id,
        "de-DE",
        _graph(ctx, url, image.slug),
    )
    return render(ctx, shell)


def not_found(ctx: Ctx) -> str:
    main = (
        '<section class="error-404 not-found"><header class="page-header">'
        '<h1 class="page-title">Hoppla! Diese Seite kann nicht gefunden werden.</h1></header>'
        '<div class="page-content"><p>Es sieht so aus, als wäre an dieser Stelle nichts'
        " gefunden worden.</p></div></section>"
    )
    title = "Seite nicht gefunden"
    return render(ctx, Shell(title, "error404", main, "", title, None))
