"""The replica serves what it claims: posts, sources, switches, editions."""

from __future__ import annotations

import html
import http.client
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from parsel import Selector

from tests.replica import ReplicaConfig, ReplicaServer, expected_non_posts, expected_posts
from tests.replica.markup import Ctx
from tests.replica.pages import post_page
from tests.replica.site import site_for

SEED = Path(__file__).parent / "replica" / "seed" / "materna-blog-post.txt"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TITLE_CSS = {
    "classic": "h1.entry-title::text",
    "block": "h1.wp-block-post-title::text",
    "builder": ".elementor-widget-theme-post-title h1::text",
    "jsonld": "main h1::text",
}
Factory = Callable[..., ReplicaServer]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def locs(xml: bytes) -> list[str]:
    return [e.text or "" for e in ET.fromstring(xml).iter(f"{SM}loc")]


@pytest.mark.parametrize("theme", sorted(TITLE_CSS))
def test_every_post_answers_with_its_title(replica: Factory, theme: str) -> None:
    server = replica(theme)
    truth = expected_posts(server.base_url, server.config)
    assert len(truth) >= 42
    for post in truth:
        status, _, body = fetch(post["url"])
        assert status == 200, post["url"]
        assert Selector(body.decode()).css(TITLE_CSS[theme]).get() == post["title"]


def test_seed_post_is_served_verbatim(replica_classic: ReplicaServer) -> None:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    paragraphs = [
        line
        for line in lines[lines.index("Dortmund: Eine Region digitalisiert sich") + 1 :]
        if line
    ][:6]
    base = replica_classic.base_url
    _, _, body = fetch(base + "dortmund-eine-region-digitalisiert-sich/")
    page = Selector(body.decode())
    assert page.css("div.entry-content > p::text").getall() == paragraphs
    html = body.decode()
    assert html.index("©SFIO CRACHO - stock.adobe.com") < html.index("<h1")
    assert page.css(".tags-links::text").get().strip() == "Schlagwörter:"
    assert page.css(".tags-links a::text").getall() == ["Digitalisierung", "Smart City"]
    assert page.css(".author-info h2::text").get() == "Autoreninfo"
    assert page.css(".author-bio::text").get().startswith("Christine Siepe leitet das Team")
    assert "Schreibe einen Kommentar" in html
    assert page.css(".nav-previous .post-title::text").get() == (
        "Smart Country Convention: Mehr digitale Projekte in Behörden wagen"
    )
    assert page.css(".nav-next .post-title::text").get().startswith("Studie E-Government Monitor")
    assert page.css("time.published::attr(datetime)").get() == "2018-11-28T10:30:00+01:00"
    assert "Der Materna Blog" in page.css(".site-title").xpath("string()").get()


def test_truth_covers_the_edge_cases(replica_classic: ReplicaServer) -> None:
    truth = expected_posts(replica_classic.base_url, replica_classic.config)
    assert [p["language"] for p in truth].count("en") == 1
    assert any(len(p["authors"]) == 2 for p in truth)
    assert any(not p["tags"] for p in truth)
    assert any(a["bio"] is None for p in truth for a in p["authors"])
    assert any("„" in p["title"] and "&" in p["title"] for p in truth)
    assert any(p["modified_at"] and (p["modified_at"] - p["published_at"]).days > 30 for p in truth)
    assert any(len(p["images"]) > 1 and p["images"][1]["credit"] for p in truth)
    assert any(p["comment_count"] > 0 for p in truth)
    assert any(p["body_links"] for p in truth)
    assert all(2 <= sum(r["relation"] == "related" for r in p["related_links"]) <= 3 for p in truth)
    years = {p["published_at"].year for p in truth}
    assert min(years) == 2016
    assert max(years) == 2025


def test_long_post_has_structure(replica_classic: ReplicaServer) -> None:
    base = replica_classic.base_url
    _, _, body = fetch(base + "die-dsgvo-ist-da-die-wichtigsten-pflichten-im-ueberblick/")
    content = Selector(body.decode()).css("div.entry-content")
    for tag in ("h2", "h3", "ul", "ol", "table", "blockquote"):
        assert content.css(tag), tag
    truth = {p["url"]: p for p in expected_posts(base, replica_classic.config)}
    text = truth[base + "die-dsgvo-ist-da-die-wichtigsten-pflichten-im-ueberblick/"]["body_text"]
    assert "\n\nMeldung einer Datenpanne\n\n72 Stunden\n\n" in text


def test_sitemaps_list_exactly_the_posts(replica_classic: ReplicaServer) -> None:
    base = replica_classic.base_url
    urls = {p["url"] for p in expected_posts(base, replica_classic.config)}
    index = locs(fetch(base + "wp-sitemap.xml")[2])
    core = [u for child in index if "posts-post" in child for u in locs(fetch(child)[2])]
    assert set(core) == urls
    assert len(core) == len(urls)
    assert b"lastmod" not in fetch(base + "wp-sitemap-posts-post-1.xml")[2]
    yoast_index = ET.fromstring(fetch(base + "sitemap_index.xml")[2])
    post_map = next(s for s in yoast_index if "post-sitemap" in s.findtext(f"{SM}loc", ""))
    tree = ET.fromstring(fetch(post_map.findtext(f"{SM}loc", ""))[2])
    assert {u.findtext(f"{SM}loc") for u in tree} == urls
    lastmods = [u.findtext(f"{SM}lastmod", "") for u in tree]
    assert post_map.findtext(f"{SM}lastmod") == max(lastmods)


def test_robots_and_feed(replica_classic: ReplicaServer) -> None:
    base = replica_classic.base_url
    robots = fetch(base + "robots.txt")[2].decode()
    assert f"Sitemap: {base}wp-sitemap.xml" in robots
    assert "Disallow: /wp-admin/" in robots
    channel = ET.fromstring(fetch(base + "feed/")[2]).find("channel")
    assert channel is not None
    truth = expected_posts(base, replica_classic.config)
    assert [i.findtext("link") for i in channel.iter("item")] == [p["url"] for p in truth[:10]]
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    assert all(i.findtext(content) for i in channel.iter("item"))


def test_rest_pagination_totals(replica_classic: ReplicaServer) -> None:
    base = replica_classic.base_url
    truth = expected_posts(base, replica_classic.config)
    status, headers, body = fetch(base + "wp-json/wp/v2/posts?per_page=20&_embed")
    assert status == 200
    assert int(headers["X-WP-Total"]) == len(truth)
    assert int(headers["X-WP-TotalPages"]) == math.ceil(len(truth) / 20)
    ids = []
    for page in range(1, int(headers["X-WP-TotalPages"]) + 1):
        rows = json.loads(fetch(f"{base}wp-json/wp/v2/posts?per_page=20&page={page}&_fields=id")[2])
        ids += [r["id"] for r in rows]
    assert ids == [p["post_id"] for p in truth]
    first = json.loads(body)[0]
    assert first["_embedded"]["author"][0]["description"] == (truth[0]["authors"][0]["bio"] or "")
    assert fetch(base + "wp-json/wp/v2/posts?per_page=101")[0] == 400


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("wp-sitemap", "wp-sitemap.xml"),
        ("yoast-sitemap", "sitemap_index.xml"),
        ("feed", "feed/"),
        ("rest", "wp-json/wp/v2/posts"),
        ("archives", "category/cloud/"),
    ],
)
def test_each_switch_turns_its_source_off(replica: Factory, source: str, path: str) -> None:
    on, off = replica(), replica(sources_off={source})
    assert fetch(on.base_url + path)[0] == 200
    status, _, body = fetch(off.base_url + path)
    assert status == (401 if source == "rest" else 404)
    if source == "rest":
        assert json.loads(body)["code"] == "rest_forbidden"


def test_all_sources_off_keeps_listings_and_navigation(replica: Factory) -> None:
    server = replica(
        sources_off={"wp-sitemap", "yoast-sitemap", "robots-sitemaps", "feed", "rest", "archives"}
    )
    base = server.base_url
    assert "Sitemap:" not in fetch(base + "robots.txt")[2].decode()
    home = Selector(fetch(base)[2].decode())
    assert home.css("link[rel=next]::attr(href)").get() == base + "page/2/"
    assert fetch(base + "page/2/")[0] == 200
    post = Selector(fetch(home.css("h2.entry-title a::attr(href)").get())[2].decode())
    assert post.css(".nav-previous a::attr(href)").get()


def test_edition_two_changes_the_blog(replica_classic: ReplicaServer) -> None:
    server, base = replica_classic, replica_classic.base_url
    before = {p["url"]: p for p in expected_posts(base, server.config)}
    server.config.edition = 2
    after = {p["url"]: p for p in expected_posts(base, server.config)}
    new, gone = set(after) - set(before), set(before) - set(after)
    assert len(new) == 3
    assert len(gone) == 1
    assert min(after[u]["published_at"] for u in new) > max(
        p["published_at"] for p in before.values()
    )
    edited = [
        u for u in set(before) & set(after) if before[u]["body_text"] != after[u]["body_text"]
    ]
    assert len(edited) == 2
    assert all(
        after[u]["modified_at"] > (before[u]["modified_at"] or before[u]["published_at"])
        for u in edited
    )
    assert fetch(gone.pop())[0] == 410
    assert set(locs(fetch(base + "wp-sitemap-posts-post-1.xml")[2])) == set(after)
    since = max(p["modified_at"] or p["published_at"] for p in before.values()).isoformat()
    rows = json.loads(
        fetch(f"{base}wp-json/wp/v2/posts?modified_after={quote(since)}&_fields=link")[2]
    )
    assert {r["link"] for r in rows} == new | set(edited)


def test_conditional_requests_answer_304(replica_classic: ReplicaServer) -> None:
    url = replica_classic.base_url + "dortmund-eine-region-digitalisiert-sich/"
    status, headers, _ = fetch(url)
    assert status == 200
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})[0] == 200


def test_prefix_shortlink_and_non_posts(replica: Factory) -> None:
    server = replica("block")
    base = server.base_url
    assert urlsplit(base).path == "/blog/"
    truth = expected_posts(base, server.config)
    status, headers, _ = fetch(f"{base}?p={truth[0]['post_id']}")
    assert status == 301
    assert headers["Location"] == truth[0]["url"]
    assert fetch(f"http://127.0.0.1:{server.port}/robots.txt")[0] == 200
    for url in expected_non_posts(base, server.config)[:60]:
        status, _, body = fetch(url)
        assert status == 200, url
        assert "single-post" not in Selector(body.decode()).css("body::attr(class)").get()


def test_builder_truth_is_date_only(replica: Factory) -> None:
    """The builder theme prints a day and no modification: only the REST API has one."""
    server = replica("builder")
    without_api = replace(server.config, sources_off={"rest"})
    seed = next(p for p in expected_posts(server.base_url, without_api) if p["post_id"] == 1427)
    assert seed["published_at"] == datetime(2018, 11, 27, 23, 0, tzinfo=UTC)
    assert seed["modified_at"] is None
    with_api = next(
        p for p in expected_posts(server.base_url, server.config) if p["post_id"] == 1427
    )
    assert with_api["modified_at"] is not None
    assert "28.11.2018" in fetch(seed["url"])[2].decode()


def test_a_large_replica_renders_each_post_on_its_own_page() -> None:
    """The crawl benchmark's 2,000-post blog: every post has its own URL and page (how
    fast it renders is the benchmark's to print, not a test's to assert)."""
    config = ReplicaConfig(n_posts=2000)
    site = site_for(1, 2000)
    assert len(site.posts) == 2000
    ctx = Ctx("http://127.0.0.1:1/", site, config)
    for post in site.posts[:: len(site.posts) // 50]:
        assert html.escape(post.title, quote=False) in post_page(ctx, post)
    truth = expected_posts(ctx.base_url, config)
    assert len({p["url"] for p in truth}) == 2000
