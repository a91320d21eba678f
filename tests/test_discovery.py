"""Discovery documents are read right, and hostile ones are read safely."""

from __future__ import annotations

import gzip
import json

import pytest

from crawler import discovery

BASE = "https://blog.example.de/"


def test_robots_sitemaps() -> None:
    text = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://blog.example.de/wp-sitemap.xml\nsitemap: https://blog.example.de/sitemap_index.xml\n"
    assert discovery.robots_sitemaps(text.encode(), BASE) == [
        "https://blog.example.de/wp-sitemap.xml",
        "https://blog.example.de/sitemap_index.xml",
    ]


def test_a_relative_robots_sitemap_is_resolved() -> None:
    assert discovery.robots_sitemaps(b"Sitemap: /sitemap.xml.gz\n", BASE + "robots.txt") == [
        "https://blog.example.de/sitemap.xml.gz"
    ]


URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://blog.example.de/eins/</loc><lastmod>2024-01-02T10:00:00+00:00</lastmod></url>
</urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://blog.example.de/post-sitemap.xml.gz</loc></sitemap></sitemapindex>"""


def test_a_gzipped_sitemap_and_a_gzipped_index_are_read() -> None:
    _, pages = discovery.parse_sitemap(gzip.compress(URLSET), BASE, max_size=1 << 20)
    assert [(p.url, p.hints) for p in pages] == [
        ("https://blog.example.de/eins/", {"lastmod": "2024-01-02T10:00:00+00:00"})
    ]
    sitemaps, _ = discovery.parse_sitemap(gzip.compress(INDEX), BASE, max_size=1 << 20)
    assert sitemaps == ["https://blog.example.de/post-sitemap.xml.gz"]


def test_a_gzipped_sitemap_larger_than_the_limit_or_broken_yields_nothing() -> None:
    bomb = gzip.compress(URLSET.replace(b"</urlset>", b" " * 200_000 + b"</urlset>"))
    assert len(bomb) < 2_000
    assert discovery.parse_sitemap(bomb, BASE, max_size=100_000) == ([], [])
    # a truncated file: what could be unpacked, and no error
    truncated = gzip.compress(URLSET)[:-12]
    assert len(discovery.parse_sitemap(truncated, BASE, max_size=1 << 20)[1]) <= 1


def test_sitemap_index_keeps_only_post_sitemaps() -> None:
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://blog.example.de/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc>https://blog.example.de/wp-sitemap-posts-page-1.xml</loc></sitemap>
<sitemap><loc>https://blog.example.de/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>
<sitemap><loc>https://blog.example.de/wp-sitemap-users-1.xml</loc></sitemap>
<sitemap><loc>https://blog.example.de/post-sitemap2.xml</loc></sitemap>
</sitemapindex>"""
    sitemaps, pages = discovery.parse_sitemap(body, BASE)
    assert sitemaps == [
        "https://blog.example.de/wp-sitemap-posts-post-1.xml",
        "https://blog.example.de/post-sitemap2.xml",
    ]
    assert pages == []


def test_urlset_gives_urls_with_lastmod() -> None:
    body = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://blog.example.de/eins/?utm_source=x</loc><lastmod>2024-01-02T10:00:00+00:00</lastmod></url>
<url><loc>https://blog.example.de/zwei</loc></url></urlset>"""
    _, pages = discovery.parse_sitemap(body, BASE)
    assert [(p.url, p.hints) for p in pages] == [
        ("https://blog.example.de/eins/", {"lastmod": "2024-01-02T10:00:00+00:00"}),
        ("https://blog.example.de/zwei/", {}),
    ]


def test_billion_laughs_is_not_expanded() -> None:
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    body = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l0 "ha">{entities}]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://blog.example.de/x/&l9;</loc></url></urlset>"
    ).encode()
    _, pages = discovery.parse_sitemap(body, BASE)
    assert all(len(p.url) < 200 for p in pages)


def test_external_entity_is_not_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><link>https://blog.example.de/a/&x;</link></item></channel></rss>"
    ).encode()
    found = discovery.parse_feed(body, BASE)
    assert all("TOPSECRET" not in f.url for f in found)


def test_rss_and_atom_feeds() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<link>https://blog.example.de/</link>
<item><title>A</title><link>https://blog.example.de/a/</link><pubDate>Wed, 28 Nov 2018 09:15:00 +0000</pubDate></item>
</channel></rss>"""
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><link href="https://blog.example.de/b/"/><updated>2020-01-01T00:00:00Z</updated></entry></feed>"""
    assert [(f.url, f.hints["lastmod"]) for f in discovery.parse_feed(rss, BASE)] == [
        ("https://blog.example.de/a/", "Wed, 28 Nov 2018 09:15:00 +0000")
    ]
    assert [f.url for f in discovery.parse_feed(atom, BASE)] == ["https://blog.example.de/b/"]


def test_rest_posts_and_users() -> None:
    posts = json.dumps(
        [
            {
                "id": 7,
                "link": "https://blog.example.de/a/",
                "date_gmt": "2019-12-01T09:00:00",
                "modified_gmt": "2020-01-01T10:00:00",
                "author": 3,
            }
        ]
    )
    (found,) = discovery.parse_rest_posts(posts.encode(), BASE)
    assert (found.url, found.hints) == (
        "https://blog.example.de/a/",
        {
            "post_id": 7,
            "lastmod": "2020-01-01T10:00:00+00:00",
            "rest": {
                "author": 3,
                "date_gmt": "2019-12-01T09:00:00",
                "modified_gmt": "2020-01-01T10:00:00",
            },
        },
    )
    assert discovery.parse_rest_posts(b'{"code":"rest_forbidden"}', BASE) == []


def test_rest_users_are_plain_text_with_name_slug_archive_and_bio() -> None:
    """The API sends descriptions as HTML (``Cloud &amp; Infrastructure``)."""
    users = json.dumps(
        [
            {"id": 3, "name": "Anna M&uuml;ller", "slug": "anna", "link": "https://blog.example.de/author/anna",
             "description": "Leitet <b>Cloud &amp; Infrastructure</b>.<br>Seit 2019."},
            {"id": 4, "name": "Jan", "slug": "jan", "link": "https://blog.example.de/author/jan/", "description": ""},
            {"name": "no id"},
        ]
    )  # fmt: skip
    assert discovery.parse_rest_users(users.encode(), BASE) == {
        3: {"name": "Anna Müller", "slug": "anna", "url": "https://blog.example.de/author/anna/",
            "bio": "Leitet Cloud & Infrastructure. Seit 2019."},
        4: {"name": "Jan", "slug": "jan", "url": "https://blog.example.de/author/jan/", "bio": ""},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("https://blog.example.de/ein-beitrag/", "page"),
        ("https://blog.example.de/page/3/", "listing"),
        ("https://blog.example.de/category/cloud/", "listing"),
        ("https://blog.example.de/tag/ki/page/2/", "listing"),
        ("https://blog.example.de/author/christine-siepe/", "listing"),
        ("https://blog.example.de/2018/11/", "listing"),
        ("https://blog.example.de/2018/11/ein-beitrag/", "page"),
        ("https://blog.example.de/feed/", "skip"),
        ("https://blog.example.de/ein-beitrag/feed/", "skip"),
        ("https://blog.example.de/wp-admin/", "skip"),
        ("https://blog.example.de/wp-login.php", "skip"),
        ("https://blog.example.de/wp-content/uploads/2018/11/bild.jpg", "skip"),
        ("https://blog.example.de/wp-json/wp/v2/posts/", "skip"),
        ("https://blog.example.de/?s=cloud", "skip"),
        ("https://blog.example.de/ein-beitrag/?replytocom=5", "skip"),
        ("https://blog.example.de/?p=123", "page"),
    ],
)
def test_link_role(url: str, role: str) -> None:
    assert discovery.link_role(url) == role


def test_html_links_include_head_pagination() -> None:
    html = '<html><head><link rel="next" href="/page/2/"></head><body><a href="/a/#x">A</a><a href="mailto:x@y.de">m</a><a href="/a/">A</a></body></html>'
    assert discovery.html_links(html, BASE) == [
        "https://blog.example.de/page/2/",
        "https://blog.example.de/a/",
    ]
