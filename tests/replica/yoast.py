"""Yoast-style head metadata: the JSON-LD ``@graph`` and og/article/twitter meta."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.replica.corpus import BLOG_NAME
from tests.replica.markup import Ctx, esc, iso_utc, json_ld, page_title
from tests.replica.model import Author, Post


def person_id(ctx: Ctx, author: Author) -> str:
    digest = hashlib.md5(author.slug.encode(), usedforsecurity=False).hexdigest()
    return f"{ctx.url()}#/schema/person/{digest}"


def _site_nodes(ctx: Ctx) -> list[dict[str, Any]]:
    base = ctx.url()
    return [
        {
            "@type": "WebSite",
            "@id": f"{base}#website",
            "url": base,
            "name": BLOG_NAME,
            "description": "wissen was los ist",
            "publisher": {"@id": f"{base}#organization"},
            "inLanguage": "de",
        },
        {
            "@type": "Organization",
            "@id": f"{base}#organization",
            "name": "Materna Information & Communications SE",
            "url": base,
        },
    ]


def post_graph(ctx: Ctx, post: Post) -> str:
    url = ctx.url(post.path)
    dates = {"datePublished": iso_utc(post.published)}
    if post.modified:
        dates["dateModified"] = iso_utc(post.modified)
    article = {
        "@type": "Article",
        "@id": f"{url}#article",
        "isPartOf": {"@id": url},
        "author": [{"name": a.name, "@id": person_id(ctx, a)} for a in post.authors],
        "headline": post.title,
        **dates,
        "mainEntityOfPage": {"@id": url},
        "commentCount": len(post.comments),
        "publisher": {"@id": f"{ctx.url()}#organization"},
        "image": {"@id": f"{url}#primaryimage"},
        "thumbnailUrl": ctx.url(post.hero.src),
        "keywords": [t.name for t in post.tags],
        "articleSection": [c.name for c in post.categories],
        "inLanguage": post.language,
    }
    webpage = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page_title(post.title),
        "isPartOf": {"@id": f"{ctx.url()}#website"},
        "primaryImageOfPage": {"@id": f"{url}#primaryimage"},
        **dates,
        "description": post.description,
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
        "inLanguage": post.language,
    }
    image = {
        "@type": "ImageObject",
        "@id": f"{url}#primaryimage",
        "url": ctx.url(post.hero.src),
        "contentUrl": ctx.url(post.hero.src),
        "width": 1200,
        "height": 675,
    }
    crumbs = breadcrumb(ctx, url, post.title)
    people = [_person(ctx, a) for a in post.authors]
    graph = [article, webpage, image, crumbs, *_site_nodes(ctx), *people]
    return json_ld({"@context": "https://schema.org", "@graph": graph}, "yoast-schema-graph")


def _person(ctx: Ctx, author: Author) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Person", "@id": person_id(ctx, author), "name": author.name}
    if author.bio:
        node["description"] = author.bio
    node["url"] = ctx.url(author.path)
    return node


def breadcrumb(ctx: Ctx, url: str, name: str) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "@id": f"{url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Startseite", "item": ctx.url()},
            {"@type": "ListItem", "position": 2, "name": name},
        ],
    }


def page_graph(ctx: Ctx, url: str, name: str, kind: str = "WebPage") -> str:
    """The graph of a non-post page (``WebPage``, ``CollectionPage``, ``ProfilePage``)."""
    webpage = {
        "@type": kind,
        "@id": url,
        "url": url,
        "name": page_title(name),
        "isPartOf": {"@id": f"{ctx.url()}#website"},
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
        "inLanguage": "de",
    }
    graph = [webpage, breadcrumb(ctx, url, name), *_site_nodes(ctx)]
    return json_ld({"@context": "https://schema.org", "@graph": graph}, "yoast-schema-graph")


def og_meta(ctx: Ctx, post: Post, with_article: bool = True) -> str:
    """og:*, article:* (optional) and twitter:* meta of a post."""
    metas = [
        ("og:locale", "en_US" if post.language == "en" else "de_DE"),
        ("og:type", "article"),
        ("og:title", post.title),
        ("og:description", post.description),
        ("og:url", ctx.url(post.path)),
        ("og:site_name", BLOG_NAME),
    ]
    if with_article:
        metas.append(("article:published_time", iso_utc(post.published)))
        if post.modified:
            metas.append(("article:modified_time", iso_utc(post.modified)))
        metas += [("article:section", c.name) for c in post.categories]
        metas += [("article:tag", t.name) for t in post.tags]
    metas += [("og:image", ctx.url(post.hero.src)), ("og:image:width", "1200")]
    lines = [f'<meta property="{k}" content="{esc(v)}">' for k, v in metas]
    twitter = [
        ("twitter:card", "summary_large_image"),
        ("twitter:label1", "Verfasst von"),
        ("twitter:data1", ", ".join(a.name for a in post.authors)),
        ("twitter:label2", "Geschätzte Lesezeit"),
        ("twitter:data2", "3 Minuten"),
    ]
    lines += [f'<meta name="{k}" content="{esc(v)}">' for k, v in twitter]
    return "\n".join(lines)
