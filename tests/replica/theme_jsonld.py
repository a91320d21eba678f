"""The jsonld theme: every field only in JSON-LD and meta; the visible page is
plain ``<div>``s inside ``<main>`` with no classes at all."""

from __future__ import annotations

import re
from typing import Any

from tests.replica.chrome import Shell
from tests.replica.corpus import BLOG_NAME, CLAIM
from tests.replica.markup import (
    Ctx,
    content_html,
    esc,
    html_lang,
    iso,
    json_ld,
    page_title,
    wp_head,
)
from tests.replica.model import Post
from tests.replica.yoast import og_meta

_CLASS = re.compile(r' class="[^"]*"')


def document(ctx: Ctx, shell: Shell) -> str:
    head = wp_head(ctx, shell.canonical, shell.object_id, shell.description)
    return (
        f'<!DOCTYPE html>\n<html lang="{shell.lang}">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{esc(page_title(shell.title))}</title>\n{head}\n"
        + "\n".join(shell.head_extra)
        + f'\n</head>\n<body class="{shell.body_class}">\n'
        f'<div><a href="{ctx.url()}">{esc(CLAIM)}</a></div>'
        f"<main>{shell.main}</main>"
        f'<div><a href="{ctx.url("impressum/")}">Impressum</a>'
        f' <a href="{ctx.url("datenschutz/")}">Datenschutz</a></div>\n</body>\n</html>\n'
    )


def post_shell(ctx: Ctx, post: Post) -> Shell:
    head = [og_meta(ctx, post), json_ld(posting(ctx, post))]
    for rel, other in (("prev", ctx.site.previous(post)), ("next", ctx.site.next(post))):
        if other:
            head.append(f'<link rel="{rel}" href="{ctx.url(other.path)}">')
    return Shell(
        title=post.title,
        body_class="",
        main=_visible(ctx, post),
        canonical=ctx.url(post.path),
        description=post.description,
        object_id=post.post_id,
        lang=html_lang(post.language),
        head_extra=head,
    )


def posting(ctx: Ctx, post: Post) -> dict[str, Any]:
    hero = post.hero
    image: dict[str, Any] = {"@type": "ImageObject", "url": ctx.url(hero.src)}
    image |= {k: v for k, v in (("caption", hero.caption), ("creditText", hero.credit)) if v}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "datePublished": iso(post.published),
        "author": [_person(ctx, a) for a in post.authors],
        "keywords": ", ".join(t.name for t in post.tags),
        "articleSection": [c.name for c in post.categories],
        "image": image,
        "inLanguage": post.language,
        "commentCount": len(post.comments),
        "mainEntityOfPage": {"@type": "WebPage", "@id": ctx.url(post.path)},
        "publisher": {"@type": "Organization", "name": BLOG_NAME},
    }
    if post.modified:
        data["dateModified"] = iso(post.modified)
    return data


def _person(ctx: Ctx, author: Any) -> dict[str, Any]:
    person = {"@type": "Person", "name": author.name, "url": ctx.url(author.path)}
    return person | ({"description": author.bio} if author.bio else {})


def _visible(ctx: Ctx, post: Post) -> str:
    hero = post.hero
    extras = "".join(f"<div>{esc(t)}</div>" for t in (hero.caption, hero.credit) if t)
    related = "".join(
        f'<div><a href="{ctx.url(r.path)}">{esc(r.title)}</a></div>' for r in ctx.site.related(post)
    )
    neighbours = "".join(
        f'<div><a href="{ctx.url(o.path)}">{esc(o.title)}</a></div>'
        for o in (ctx.site.previous(post), ctx.site.next(post))
        if o
    )
    return (
        f'<div><img src="{ctx.url(hero.src)}" alt="{esc(hero.alt)}">{extras}</div>'
        f"<h1>{esc(post.title)}</h1><div>{_CLASS.sub('', content_html(ctx, post))}</div>"
        f"<div><div>Ähnliche Beiträge</div>{related}</div><div>{neighbours}</div>"
    )
