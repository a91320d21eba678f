"""The block theme: a Gutenberg block theme in the style of Twenty Twenty-Four."""

from __future__ import annotations

from typing import Any

from tests.replica.chrome import Shell, colophon, cookie_banner, menu_items
from tests.replica.discussion import comments_area
from tests.replica.markup import (
    Ctx,
    content_html,
    esc,
    figure_html,
    german_date,
    html_lang,
    iso,
    json_ld,
    page_title,
    site_claim_html,
    wp_head,
)
from tests.replica.model import Author, Post
from tests.replica.theme_classic import post_classes
from tests.replica.yoast import og_meta


def document(ctx: Ctx, shell: Shell) -> str:
    head = wp_head(ctx, shell.canonical, shell.object_id, shell.description)
    return (
        f'<!DOCTYPE html>\n<html lang="{shell.lang}">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{esc(page_title(shell.title))}</title>\n{head}\n"
        + "\n".join(shell.head_extra)
        + f'\n</head>\n<body class="{shell.body_class}">\n{cookie_banner(ctx)}'
        f'<div class="wp-site-blocks"><header class="wp-block-template-part">'
        f'<div class="wp-block-group">{site_claim_html(ctx)}'
        f'<nav class="wp-block-navigation"><ul class="wp-block-navigation__container">'
        f"{menu_items(ctx)}</ul></nav></div></header>"
        f'<main class="wp-block-group">{shell.main}</main>'
        f'<footer class="wp-block-template-part">{latest_loop(ctx)}{colophon(ctx)}</footer>'
        "</div>\n</body>\n</html>\n"
    )


def latest_loop(ctx: Ctx) -> str:
    """A query loop of the newest posts with their dates (not the post's own date)."""
    items = "".join(
        f'<li class="wp-block-post {post_classes(p)}"><h3 class="wp-block-post-title">'
        f'<a href="{ctx.url(p.path)}" target="_self">{esc(p.title)}</a></h3>'
        f'<div class="wp-block-post-date"><time datetime="{iso(p.published)}">'
        f"{german_date(p.published)}</time></div></li>"
        for p in ctx.site.posts[:3]
    )
    return (
        '<div class="wp-block-query"><h2 class="wp-block-heading">Neueste Beiträge</h2>'
        f'<ul class="wp-block-post-template">{items}</ul></div>'
    )


def post_shell(ctx: Ctx, post: Post) -> Shell:
    body_class = (
        f"post-template-default single single-post postid-{post.post_id}"
        " single-format-standard wp-embed-responsive"
    )
    return Shell(
        title=post.title,
        body_class=body_class,
        main=article(ctx, post),
        canonical=ctx.url(post.path),
        description=post.description,
        object_id=post.post_id,
        lang=html_lang(post.language),
        head_extra=[og_meta(ctx, post, with_article=False), json_ld(_posting(ctx, post))],
    )


def _posting(ctx: Ctx, post: Post) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "datePublished": iso(post.published),
        "author": [{"@type": "Person", "name": a.name} for a in post.authors],
        "image": ctx.url(post.hero.src),
        "url": ctx.url(post.path),
    }
    if post.modified:
        data["dateModified"] = iso(post.modified)
    return data


def article(ctx: Ctx, post: Post) -> str:
    hero = figure_html(ctx, post.hero, "wp-block-post-featured-image", "wp-element-caption")
    return (
        f'<div class="wp-block-group {post_classes(post)}">'
        f'<h1 class="wp-block-post-title">{esc(post.title)}</h1>{hero}'
        f'<div class="wp-block-group post-meta">{_dates(post)}'
        f"{''.join(_author(ctx, a) for a in post.authors)}{_terms(ctx, post, 'category')}</div>"
        f'<div class="entry-content wp-block-post-content">{content_html(ctx, post)}'
        f"{_yarpp(ctx, post)}</div>{_terms(ctx, post, 'post_tag')}"
        f"{_navigation(ctx, post)}"
        f'<div class="wp-block-comments">{comments_area(ctx, post, "wp-block-comment-template")}'
        "</div></div>"
    )


def _dates(post: Post) -> str:
    html = (
        f'<div class="wp-block-post-date"><time datetime="{iso(post.published)}">'
        f"{german_date(post.published)}</time></div>"
    )
    if post.modified:
        html += (
            '<div class="wp-block-post-date__modified-date wp-block-post-date">'
            f'<time datetime="{iso(post.modified)}">{german_date(post.modified)}</time></div>'
        )
    return html


def _author(ctx: Ctx, author: Author) -> str:
    bio = f'<p class="wp-block-post-author__bio">{esc(author.bio)}</p>' if author.bio else ""
    return (
        '<div class="wp-block-post-author"><div class="wp-block-post-author__content">'
        '<p class="wp-block-post-author__byline">Von</p>'
        f'<p class="wp-block-post-author__name"><a href="{ctx.url(author.path)}"'
        f' target="_self">{esc(author.name)}</a></p>{bio}</div></div>'
    )


def _terms(ctx: Ctx, post: Post, taxonomy: str) -> str:
    terms = post.categories if taxonomy == "category" else post.tags
    if not terms:
        return ""
    links = '<span class="wp-block-post-terms__separator">, </span>'.join(
        f'<a href="{ctx.url(t.path)}" rel="tag">{esc(t.name)}</a>' for t in terms
    )
    prefix = "" if taxonomy == "category" else "Schlagwörter: "
    return (
        f'<div class="taxonomy-{taxonomy} wp-block-post-terms">'
        f'<span class="wp-block-post-terms__prefix">{prefix}</span>{links}</div>'
    )


def _yarpp(ctx: Ctx, post: Post) -> str:
    items = "".join(
        f'<li><a href="{ctx.url(r.path)}" rel="bookmark" title="{esc(r.title)}">'
        f"{esc(r.title)}</a></li>"
        for r in ctx.site.related(post)
    )
    return (
        '<div class="yarpp yarpp-related yarpp-template-list">'
        f"<h3>Ähnliche Beiträge:</h3><ol>{items}</ol></div>"
    )


def _navigation(ctx: Ctx, post: Post) -> str:
    links = []
    for side, rel, arrow, other in (
        ("previous", "prev", "←", ctx.site.previous(post)),
        ("next", "next", "→", ctx.site.next(post)),
    ):
        if other:
            links.append(
                f'<div class="post-navigation-link-{side} wp-block-post-navigation-link">'
                f'<span class="wp-block-post-navigation-link__arrow-{side}">{arrow}</span>'
                f'<a href="{ctx.url(other.path)}" rel="{rel}">{esc(other.title)}</a></div>'
            )
    return f'<nav class="wp-block-group" aria-label="Beiträge">{"".join(links)}</nav>'
