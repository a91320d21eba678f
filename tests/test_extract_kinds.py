"""page_kind: WordPress non-post pages and unknown themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract, page_kind

PAGES = Path(__file__).with_name("pages")


def body(classes: str, inner: str = "<h1>X</h1><p>Text</p>") -> str:
    return f'<html><body class="{classes}">{inner}</body></html>'


TEASERS = "".join(
    f'<article><h2>Teaser {i}</h2><p>Kurz.</p><a href="/p{i}/">weiterlesen</a></article>'
    for i in range(3)
)

JSONLD_POST = (
    '<html><head><script type="application/ld+json">{"@type": "BlogPosting", "headline": "X"}'
    "</script></head><body><h1>X</h1></body></html>"
)
OG_POST = (
    '<html><head><meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2020-01-01"></head>'
    "<body><h1>X</h1></body></html>"
)
WEBPAGE = (
    '<html><head><script type="application/ld+json">{"@type": "WebPage"}</script></head>'
    "<body><h1>Kontakt</h1><p>Adresse</p></body></html>"
)
RSS = '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'
CAT = "https://b/category/cloud/"


@pytest.mark.parametrize(
    ("html", "url", "kind"),
    [
        (body("post-template-default single single-post postid-42"), "https://b/x/", "post"),
        (body("page-template-default page page-id-2"), "https://b/ueber/", "page"),
        (body("home blog"), "https://b/", "listing"),
        (body("blog paged paged-2"), "https://b/page/2/", "listing"),
        (body("archive category category-cloud category-3"), CAT, "archive"),
        (body("archive tag tag-ki"), "https://b/tag/ki/", "archive"),
        (body("archive author author-anna author-3"), "https://b/author/anna/", "archive"),
        (body("archive date"), "https://b/2018/11/", "archive"),
        (body("search search-results"), "https://b/?s=x", "search"),
        (body("attachment single postid-9 attachmentid-9"), "https://b/bild/", "attachment"),
        (RSS, "https://b/feed/", "feed"),
        ('{"posts": []}', "https://b/wp-json/wp/v2/posts", "feed"),
        ("", "https://b/x/", "empty"),
        ("   \n", "https://b/x/", "empty"),
        ("<html><body>  </body></html>", "https://b/x/", "empty"),
        ("%PDF-1.4 binary", "https://b/a.pdf", "not-html"),
        ("just some text", "https://b/a.txt", "not-html"),
        # unknown themes: declared types, then structure
        (JSONLD_POST, "https://b/x/", "post"),
        (OG_POST, "https://b/x/", "post"),
        (WEBPAGE, "https://b/kontakt/", "page"),
        (f"<html><body><h1>Blog</h1>{TEASERS}</body></html>", "https://b/", "listing"),
        (f"<html><body><h1>Cloud</h1>{TEASERS}</body></html>", CAT, "archive"),
        (
            "<html><body><h1>Titel</h1><p>28. November 2018</p><p>Text</p></body></html>",
            "https://b/x/",
            "post",
        ),
        ("<html><body><h1>Titel</h1><p>Text ohne Datum</p></body></html>", "https://b/x/", "page"),
    ],
)
def test_page_kind(html: str, url: str, kind: str) -> None:
    assert page_kind(html, url) == kind
    assert extract(html, url).kind == kind


def test_non_post_has_no_post() -> None:
    result = extract(body("home blog"), "https://b/")
    assert result.post is None


@pytest.mark.parametrize("name", ["classic_yoast", "block_theme", "elementor", "jsonld_only"])
def test_fixture_posts_are_posts(name: str) -> None:
    html = (PAGES / f"{name}.html").read_bytes()
    assert page_kind(html, "https://blog.example.org/x/") == "post"
