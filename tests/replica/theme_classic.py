"""The classic theme: the Materna-like one (twentyfifteen-style markup, Yoast,
Jetpack related posts and sharing, cookie banner, sidebar)."""

from __future__ import annotations

from tests.replica import yoast
from tests.replica.chrome import Shell, colophon, cookie_banner, masthead, sidebar
from tests.replica.discussion import comments_area
from tests.replica.markup import (
    Ctx,
    content_html,
    esc,
    figure_html,
    german_date,
    html_lang,
    iso,
    page_title,
    wp_head,
)
from tests.replica.model import Post


def document(ctx: Ctx, shell: Shell) -> str:
    head = wp_head(ctx, shell.canonical, shell.object_id, shell.description)
    return (
        f'<!DOCTYPE html>\n<html lang="{shell.lang}">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(page_title(shell.title))}</title>\n{head}\n"
        + "\n".join(shell.head_extra)
        + f'\n</head>\n<body class="{shell.body_class}">\n{cookie_banner(ctx)}'
        f'<div id="page" class="hfeed site">{masthead(ctx)}'
        f'<div id="content" class="site-content"><div id="primary" class="content-area">'
        f'<main id="main" class="site-main">{shell.main}</main></div>{sidebar(ctx)}</div>'
        f"{colophon(ctx)}</div>\n</body>\n</html>\n"
    )


def post_shell(ctx: Ctx, post: Post) -> Shell:
    body_class = (
        f"post-template-default single single-post postid-{post.post_id}"
        " single-format-standard wp-embed-responsive"
    )
    head = [
        yoast.og_meta(ctx, post),
        yoast.post_graph(ctx, post),
        (
            f'<link rel="alternate" title="JSON" type="application/json"'
            f' href="{ctx.url(f"wp-json/wp/v2/posts/{post.post_id}")}">'
        ),
    ]
    return Shell(
        title=post.title,
        body_class=body_class,
        main=article(ctx, post) + post_navigation(ctx, post),
        canonical=ctx.url(post.path),
        description=post.description,
        object_id=post.post_id,
        lang=html_lang(post.language),
        head_extra=head,
    )


def post_classes(post: Post) -> str:
    terms = [f"category-{c.slug}" for c in post.categories] + [f"tag-{t.slug}" for t in post.tags]
    return (
        f"post-{post.post_id} post type-post status-publish format-standard"
        f" has-post-thumbnail hentry {' '.join(terms)}"
    )


def article(ctx: Ctx, post: Post) -> str:
    hero = figure_html(ctx, post.hero, "post-thumbnail", "wp-caption-text")
    content = content_html(ctx, post) + sharing(ctx, post) + related_box(ctx, post)
    return (
        f'<article id="post-{post.post_id}" class="{post_classes(post)}">{hero}'
        f'<header class="entry-header"><h1 class="entry-title">{esc(post.title)}</h1>'
        f"{entry_meta(ctx, post)}</header>"
        f'<div class="entry-content">{content}</div>{entry_footer(ctx, post)}'
        f"{author_boxes(ctx, post)}</article>{comments_area(ctx, post)}"
    )


def entry_meta(ctx: Ctx, post: Post) -> str:
    times = (
        f'<time class="entry-date published" datetime="{iso(post.published)}">'
        f"{german_date(post.published)}</time>"
    )
    if post.modified:
        times += (
            f'<time class="updated" datetime="{iso(post.modified)}">'
            f"{german_date(post.modified)}</time>"
        )
    authors = ", ".join(
        f'<span class="author vcard"><a class="url fn n" href="{ctx.url(a.path)}">'
        f"{esc(a.name)}</a></span>"
        for a in post.authors
    )
    return (
        f'<div class="entry-meta"><span class="posted-on"><a href="{ctx.url(post.path)}"'
        f' rel="bookmark">{times}</a></span><span class="byline"> von {authors}</span></div>'
    )


def entry_footer(ctx: Ctx, post: Post) -> str:
    cats = ", ".join(
        f'<a href="{ctx.url(c.path)}" rel="category tag">{esc(c.name)}</a>' for c in post.categories
    )
    parts = [f'<span class="cat-links">Kategorien: {cats}</span>']
    if post.tags:
        tags = ", ".join(
            f'<a href="{ctx.url(t.path)}" rel="tag">{esc(t.name)}</a>' for t in post.tags
        )
        parts.append(f'<span class="tags-links">Schlagwörter: {tags}</span>')
    return f'<footer class="entry-footer">{"".join(parts)}</footer>'


def author_boxes(ctx: Ctx, post: Post) -> str:
    """One ``div.author-info`` per author with a bio (WordPress hides empty boxes)."""
    return "".join(
        '<div class="author-info"><h2 class="author-heading">Autoreninfo</h2>'
        f'<a class="author-avatar" href="{ctx.url(a.path)}" rel="author">'
        f'<img alt="{esc(a.name)}" src="https://secure.gravatar.com/avatar/{a.user_id}?s=56"'
        ' class="avatar avatar-56 photo" height="56" width="56"></a>'
        f'<div class="author-description"><p class="author-bio">{esc(a.bio)}</p></div></div>'
        for a in post.authors
        if a.bio
    )


def sharing(ctx: Ctx, post: Post) -> str:
    url = ctx.url(post.path)
    return (
        '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Teilen mit:</h3><ul>'
        f'<li><a class="share-linkedin" href="{url}?share=linkedin" rel="nofollow">LinkedIn</a>'
        f'</li><li><a class="share-x" href="{url}?share=x" rel="nofollow">X</a></li>'
        f'<li><a class="share-email" href="mailto:?subject={esc(post.title)}">E-Mail</a></li>'
        "</ul></div>"
    )


def related_box(ctx: Ctx, post: Post) -> str:
    """Jetpack's related posts, which it appends inside ``entry-content``."""
    items = "".join(
        f'<div class="jp-relatedposts-post jp-relatedposts-post{i}" data-post-id="{r.post_id}">'
        f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a"'
        f' href="{ctx.url(r.path)}" rel="nofollow" data-position="{i}">{esc(r.title)}</a></h4>'
        f'<p class="jp-relatedposts-post-date">{german_date(r.published)}</p>'
        f'<p class="jp-relatedposts-post-context">In „{esc(r.categories[0].name)}“</p></div>'
        for i, r in enumerate(ctx.site.related(post))
    )
    return (
        '<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">'
        f'<em>Ähnliche Beiträge</em></h3><div class="jp-relatedposts-items">{items}</div></div>'
    )


def post_navigation(ctx: Ctx, post: Post) -> str:
    links = []
    for css, rel, label, other in (
        ("nav-previous", "prev", "Vorheriger Beitrag", ctx.site.previous(post)),
        ("nav-next", "next", "Nächster Beitrag", ctx.site.next(post)),
    ):
        if other:
            links.append(
                f'<div class="{css}"><a href="{ctx.url(other.path)}" rel="{rel}">'
                f'<span class="screen-reader-text">{label}:</span>'
                f' <span class="post-title">{esc(other.title)}</span></a></div>'
            )
    return (
        '<nav class="navigation post-navigation" aria-label="Beiträge">'
        '<h2 class="screen-reader-text">Beitrags-Navigation</h2>'
        f'<div class="nav-links">{"".join(links)}</div></nav>'
    )
