"""Reading the documents a WordPress blog offers for finding its posts.

Plain functions over response bodies: robots.txt, sitemaps, the RSS/Atom feed,
the REST API and HTML listings.  Each returns the URLs it names (with what it
says about them, such as ``lastmod``); deciding what to fetch is the spider's job.
XML is parsed with entity resolution and network access off, so a hostile
sitemap or feed cannot expand entities or reach other hosts.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from blog.urls import normalise_url

#: URL paths that are never worth fetching for posts.
_SKIP_PATH = re.compile(
    r"/(wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-includes|wp-content|cdn-cgi|"
    r"comments/feed|feed|trackback|embed)(/|$)|"
    r"\.(jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|mp4|mp3|docx?|xlsx?|pptx?|xml|json|txt)$",
    re.IGNORECASE,
)
#: Paths of listings: followed for links, never themselves posts.
_LISTING_PATH = re.compile(
    r"/(page/\d+|category/.+|tag/.+|author/.+|\d{4}(/\d{2}){0,2}|search/.+)/$",
    re.IGNORECASE,
)
#: Sitemaps that list only non-posts (WordPress core and Yoast names).
_NON_POST_SITEMAP = re.compile(
    r"(taxonomies|users|posts-page|posts-attachment|page-sitemap|category-sitemap|"
    r"post_tag-sitemap|tag-sitemap|author-sitemap|attachment-sitemap)",
    re.IGNORECASE,
)
#: ``<a href>`` and head ``<link rel=next|prev>`` (not shortlinks, feeds or styles).
_LINK_TAG = re.compile(r"<(a|link)\s[^>]*>", re.IGNORECASE)
_PAGINATION_REL = re.compile(r"""\brel\s*=\s*["']?(next|prev)\b""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"'<>]*)["']""", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<(?:br|/p|/div|/li)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
#: An author's archive (WordPress's ``/author/<slug>/``; German sites rename the base).
_AUTHOR_ARCHIVE = re.compile(r"/(author|autor|autoren)/[^/]+/$", re.IGNORECASE)
GZIP_MAGIC = b"\x1f\x8b"
REST_PAGE_SIZE = 100
#: What the posts listing is asked for: ids and links to find posts, the dates and
#: author id that complete what a theme's page does not print.
REST_POST_FIELDS = "id,link,date_gmt,modified_gmt,author"
_NOT_PAGES = ("mailto:", "javascript:", "tel:", "#", "data:")
_SAFE_XML = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, load_dtd=False
)


@dataclass
class Found:
    """A URL named by a discovery document, with what the document said about it."""

    url: str
    hints: dict[str, Any] = field(default_factory=dict)


def index_urls(base: str) -> list[tuple[str, str]]:
    """The documents every WordPress blog may offer, as (URL, source): robots.txt,
    core's and Yoast's sitemaps, the feed; the REST API's are :func:`rest_users_url`
    and :func:`rest_posts_url`."""
    return [
        (urljoin(base, "/robots.txt"), "robots"),
        (urljoin(base, "wp-sitemap.xml"), "sitemap"),
        (urljoin(base, "sitemap_index.xml"), "sitemap"),
        (urljoin(base, "feed/"), "feed"),
    ]


def rest_users_url(base: str) -> str:
    return urljoin(base, "wp-json/wp/v2/users?per_page=100")


def rest_posts_url(base: str, page: int, modified_after: str | None = None) -> str:
    """One page of ``/wp/v2/posts``; ``modified_after`` limits it to recent edits."""
    query: dict[str, str | int] = {"per_page": REST_PAGE_SIZE, "page": page}
    query["_fields"] = REST_POST_FIELDS
    if modified_after:
        query["modified_after"] = modified_after
    return urljoin(base, "wp-json/wp/v2/posts?" + urlencode(query))


def robots_sitemaps(body: bytes, base: str) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt declares (Scrapy's own reading of them)."""
    return list(sitemap_urls_from_robots(body, base_url=base))


def parse_sitemap(body: bytes, base: str, max_size: int = 0) -> tuple[list[str], list[Found]]:
    """Split a sitemap into (sub-sitemaps of an index, page URLs with ``lastmod``).

    Read with Scrapy's ``Sitemap`` (entities not expanded, no network); a gzipped
    sitemap (``sitemap.xml.gz``) is unpacked first, at most ``max_size`` bytes
    (``DOWNLOAD_MAXSIZE``: a gzip bomb yields nothing).  Sub-sitemaps that by their
    WordPress/Yoast name list only pages, taxonomies or users are left out: they
    cannot hold posts.
    """
    sitemap = _sitemap(_gunzipped(body, max_size))
    if sitemap is None:
        return [], []
    locs = [(normalise_url(e["loc"], base), e.get("lastmod") or None) for e in sitemap]
    if sitemap.type == "sitemapindex":
        return [u for u, _ in locs if not _NON_POST_SITEMAP.search(urlsplit(u).path)], []
    return [], [Found(u, {"lastmod": lastmod} if lastmod else {}) for u, lastmod in locs]


def _gunzipped(body: bytes, max_size: int) -> bytes:
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        return gunzip(body, max_size=max_size)
    except (OSError, EOFError, ValueError):  # corrupt, or larger than max_size
        return b""


def _sitemap(body: bytes) -> Sitemap | None:
    try:
        return Sitemap(body.lstrip())
    except (lxml.etree.XMLSyntaxError, StopIteration):
        return None


def parse_feed(body: bytes, base: str) -> list[Found]:
    """The item links of an RSS 2.0 or Atom feed, with ``pubDate``/``updated``."""
    root = _parse_xml(body)
    if root is None:
        return []
    found = []
    for item in root.iter("{*}item", "{*}entry"):
        values = {_localname(child): child for child in item}
        link = values.get("link")
        href = None if link is None else (link.get("href") or (link.text or "").strip())
        if href:
            stamps = [values.get(n) for n in ("updated", "pubDate", "published")]
            stamp = next((s.text.strip() for s in stamps if s is not None and s.text), None)
            hints = {"lastmod": stamp} if stamp else {}
            found.append(Found(normalise_url(href, base), hints))
    return found


def parse_rest_posts(body: bytes, base: str) -> list[Found]:
    """Post links from a ``/wp-json/wp/v2/posts`` page, with id and modification time."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [
        _rest_found(entry, base) for entry in data if isinstance(entry, dict) and entry.get("link")
    ]


def _rest_found(entry: dict[str, Any], base: str) -> Found:
    """A post's URL with what the API says of it: ``post_id``, ``lastmod`` (the
    re-crawl hint), and ``rest`` (author id, publication and modification time, UTC)."""
    hints: dict[str, Any] = {}
    if isinstance(entry.get("id"), int):
        hints["post_id"] = entry["id"]
    if entry.get("modified_gmt"):
        hints["lastmod"] = f"{entry['modified_gmt']}+00:00"
    rest = {key: entry[key] for key in ("author", "date_gmt", "modified_gmt") if entry.get(key)}
    if rest:
        hints["rest"] = rest
    return Found(normalise_url(str(entry["link"]), base), hints)


def parse_rest_users(body: bytes, base: str) -> dict[int, dict[str, str]]:
    """The blog's authors from ``/wp-json/wp/v2/users``: id to ``name``, ``slug``,
    ``url`` (their archive) and ``bio`` (``description``, which the API sends as
    HTML: entities decoded, tags dropped)."""
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(data, list):
        return {}
    return {
        user["id"]: {
            "name": _plain(user.get("name")),
            "slug": str(user.get("slug") or ""),
            "url": normalise_url(str(user["link"]), base) if user.get("link") else "",
            "bio": _plain(user.get("description")),
        }
        for user in data
        if isinstance(user, dict) and isinstance(user.get("id"), int)
    }


def _plain(value: Any) -> str:
    text = _TAG.sub("", _BREAK_TAG.sub(" ", str(value or "")))
    return " ".join(html.unescape(text).split())


def html_links(body: str, url: str) -> list[str]:
    """Every distinct ``href`` of an HTML page, resolved and normalised, in page order.

    A pattern, not a parse: discovery only needs candidate URLs (the pipelines
    judge each fetched page), and a full parse of every page here would double
    the crawl's parsing work.
    """
    hrefs: dict[str, None] = {}
    for tag in _LINK_TAG.finditer(body):
        if tag.group(1).lower() == "link" and not _PAGINATION_REL.search(tag.group(0)):
            continue
        href = _HREF.search(tag.group(0))
        if href:
            hrefs.setdefault(href.group(1), None)
    seen: dict[str, None] = {}
    for raw in hrefs:
        value = html.unescape(raw).strip() if "&" in raw else raw.strip()
        if value and not value.startswith(_NOT_PAGES):
            absolute = value.startswith(("http://", "https://")) and "/." not in value
            seen.setdefault(normalise_url(value, None if absolute else url), None)
    return list(seen)


def link_role(url: str) -> str:
    """What a same-site link probably is: ``skip``, ``listing`` or ``page``.

    Only shape is used; whether a ``page`` is a post is decided after fetching.
    """
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if _SKIP_PATH.search(parts.path) or {"s", "replytocom", "attachment_id"} & query.keys():
        return "skip"
    if _LISTING_PATH.search(parts.path):
        return "listing"
    return "page"


def is_author_archive(url: str) -> bool:
    """An author's archive page, where themes print the bio a post page may lack."""
    return "/aut" in url.lower() and bool(_AUTHOR_ARCHIVE.search(urlsplit(url).path))


def _parse_xml(body: bytes) -> lxml.etree._Element | None:
    try:
        root = lxml.etree.fromstring(body.lstrip(), parser=_SAFE_XML)
    except lxml.etree.XMLSyntaxError:
        return None
    return root


def _localname(el: lxml.etree._Element) -> str:
    return lxml.etree.QName(el).localname if isinstance(el.tag, str) else ""
