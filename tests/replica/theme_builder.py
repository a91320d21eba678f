"""The builder theme: an Elementor-like page builder.  Few semantic classes,
no JSON-LD, no article:* meta, no ``<time>``: the date shows as ``DD.MM.YYYY``."""

from __future__ import annotations

from tests.replica.chrome import Shell, colophon, menu_items
from tests.replica.discussion import comments_area
from tests.replica.markup import (
    Ctx,
    content_html,
    esc,
    html_lang,
    page_title,
    site_claim_html,
    wp_head,
)
from tests.replica.model import Post


def document(ctx: Ctx, shell: Shell) -> str:
    head = wp_head(ctx, shell.canonical, shell.object_id, shell.description)
    return (
        f'<!DOCTYPE html>\n<html lang="{shell.lang}">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{esc(page_title(shell.title))}</title>\n{head}\n"
        + "\n".join(shell.head_extra)
        + f'\n</head>\n<body class="{shell.body_class} elementor-default elementor-kit-5">\n'
        f'<div data-elementor-type="header" class="elementor elementor-12">'
        f'<div class="elementor-container">{site_claim_html(ctx)}'
        f'<ul class="elementor-nav-menu">{menu_items(ctx)}</ul></div></div>'
        f"{shell.main}"
        f'<div data-elementor-type="footer" class="elementor elementor-15">{colophon(ctx)}</div>'
        "\n</body>\n</html>\n"
    )


def _widget(kind: str, inner: str) -> str:
    return (
        f'<div class="elementor-element elementor-widget elementor-widget-{kind}">'
        f'<div class="elementor-widget-container">{inner}</div></div>'
    )


def post_shell(ctx: Ctx, post: Post) -> Shell:
    head = [
        f'<meta property="og:title" content="{esc(post.title)}">',
        f'<meta property="og:image" content="{ctx.url(post.hero.src)}">',
        f'<meta property="og:url" content="{ctx.url(post.path)}">',
    ]
    return Shell(
        title=post.title,
        body_class=f"post-template-default single single-post postid-{post.post_id}",
        main=_sections(ctx, post),
        canonical=ctx.url(post.path),
        description=post.description,
        object_id=post.post_id,
        lang=html_lang(post.language),
        head_extra=head,
    )


def _sections(ctx: Ctx, post: Post) -> str:
    widgets = [
        _widget("image", _hero(ctx, post)),
        _widget("theme-post-title", f'<h1 class="elementor-heading-title">{esc(post.title)}</h1>'),
        _widget("post-info", _info(ctx, post)),
        _widget("theme-post-content", content_html(ctx, post)),
        _widget("text-editor", _term_list("Kategorien", ctx, post.categories)),
        _widget("text-editor", _term_list("Tags", ctx, post.tags) if post.tags else ""),
        _widget("text-editor", _authors(ctx, post)),
        _widget("posts", _grid(ctx, post)),
        _widget("post-navigation", _navigation(ctx, post)),
        _widget("post-comments", comments_area(ctx, post)),
    ]
    return (
        f'<div data-elementor-type="single-post" class="elementor elementor-77">'
        f'<section class="elementor-section"><div class="elementor-container">'
        f"{''.join(widgets)}</div></section></div>"
    )


def _hero(ctx: Ctx, post: Post) -> str:
    hero = post.hero
    caption = f"<p>{esc(hero.caption)}</p>" if hero.caption else ""
    credit = f"<div>{esc(hero.credit)}</div>" if hero.credit else ""
    return f'<img src="{ctx.url(hero.src)}" alt="{esc(hero.alt)}">{caption}{credit}'


def _info(ctx: Ctx, post: Post) -> str:
    names = " und ".join(f'<a href="{ctx.url(a.path)}">{esc(a.name)}</a>' for a in post.authors)
    return f"<div><span>{post.published:%d.%m.%Y}</span> <span>Von {names}</span></div>"


def _term_list(heading: str, ctx: Ctx, terms: tuple) -> str:
    items = "".join(f'<li><a href="{ctx.url(t.path)}">{esc(t.name)}</a></li>' for t in terms)
    return f"<h4>{heading}</h4><ul>{items}</ul>"


def _authors(ctx: Ctx, post: Post) -> str:
    return "".join(
        f'<div><h4>Über den Autor</h4><p><strong><a href="{ctx.url(a.path)}">{esc(a.name)}'
        f"</a></strong></p><p>{esc(a.bio)}</p></div>"
        for a in post.authors
        if a.bio
    )


def _grid(ctx: Ctx, post: Post) -> str:
    cards = "".join(
        f'<div class="elementor-grid-item"><a href="{ctx.url(r.path)}">'
        f'<img src="{ctx.url(r.hero.src)}" alt=""></a>'
        f'<h3><a href="{ctx.url(r.path)}">{esc(r.title)}</a></h3>'
        f"<span>{r.published:%d.%m.%Y}</span></div>"
        for r in ctx.site.related(post)
    )
    return f'<h4>Das könnte Sie auch interessieren</h4><div class="elementor-grid">{cards}</div>'


def _navigation(ctx: Ctx, post: Post) -> str:
    links = [
        f'<div><span>{label}</span> <a href="{ctx.url(other.path)}">{esc(other.title)}</a></div>'
        for label, other in (
            ("Vorheriger Beitrag", ctx.site.previous(post)),
            ("Nächster Beitrag", ctx.site.next(post)),
        )
        if other
    ]
    return f"<div>{''.join(links)}</div>"
