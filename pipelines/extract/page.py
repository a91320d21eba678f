"""A page parsed once: the lxml tree plus what every layer reads from it.

:class:`Page` holds the tree, the flattened JSON-LD nodes, the meta tags and the
set of regions that never belong to the post (comments, sidebars, related
boxes).  Layers only read it; the body layer works on copies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.css import Index
from pipelines.extract.dates import parse_date
from pipelines.profile import SiteProfile

ARTICLE_TYPES = frozenset(
    {"Article", "BlogPosting", "NewsArticle", "TechArticle", "Report", "ReportageNewsArticle",
     "AnalysisNewsArticle", "OpinionNewsArticle", "SocialMediaPosting", "LiveBlogPosting"}
)  # fmt: skip
#: An http(s) URL with a host and nothing urljoin's parse/unparse round trip would change.
PLAIN_ABSOLUTE = re.compile(r"https?://[^/?#;\s]+(?:/[^?#;\s]*)?\Z")
# comments and processing instructions split text nodes (trafilatura parses the same way)
PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# every element an HtmlElement, chosen in C: lxml.html's own lookup (FormElement,
# InputElement, …) runs Python code for each element that gets a proxy
PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity,
    )
)  # fmt: skip


#: An ancestor so classed holds the site's logo or name, not a post's headline.
LOGO = re.compile(r"logo|branding", re.IGNORECASE)
#: The class WordPress themes mark the post's headline with; it wins over other ``<h1>``.
TITLE_CLASS = re.compile(r"\b(?:entry|post|single|page)-title\b")
#: Characters that only guide a browser's line breaking and never show: German
#: sites hyphenate with ``&shy;`` inside words ("Wein&shy;berg"), which would
#: otherwise split every such word in the text.
SOFT_HYPHEN, ZERO_WIDTH_SPACE, WORD_JOINER, BYTE_ORDER_MARK = "\u00ad", "\u200b", "\u2060", "\ufeff"
INVISIBLE = SOFT_HYPHEN + ZERO_WIDTH_SPACE + WORD_JOINER + BYTE_ORDER_MARK
DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def clean_text(text: str | None) -> str:
    """Whitespace collapsed to single spaces, stripped, invisible characters
    dropped (``str.split`` knows the same whitespace as ``\\s``, and is several
    times faster than a regex)."""
    if not text:
        return ""
    # a scan per mark, spelled out: five times cheaper than any() over a generator
    if (SOFT_HYPHEN in text or ZERO_WIDTH_SPACE in text or WORD_JOINER in text
            or BYTE_ORDER_MARK in text):  # fmt: skip
        text = text.translate(DROP_INVISIBLE)
    return " ".join(text.split())


def text_of(el: HtmlElement) -> str:
    return clean_text(text_content(el))


def text_content(el: HtmlElement) -> str:
    """All text below ``el``, its tail left out: what ``el.text_content()`` gives
    (the same on every element of 776 test pages), from lxml's text serialiser,
    three times faster than the XPath ``string()`` that ``text_content`` runs."""
    return str(etree.tostring(el, method="text", encoding="unicode", with_tail=False))


def decode_page(body: bytes, encoding: str | None) -> str:
    """The page's text; Latin-1/cp1252 bytes mislabelled as UTF-8 are read as cp1252
    (the declared encoding is trusted only while it decodes cleanly)."""
    text = body.decode(encoding or "utf-8", errors="replace")
    if "\ufffd" not in text:
        return text
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError:
        return text


def parse_html(html: str | bytes) -> HtmlElement | None:
    """The document's root element, or None when there is nothing to parse."""
    try:
        return lxml.html.document_fromstring(html, parser=PARSER)
    except (ParserError, ValueError):
        return None


def types_of(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


class Page:
    """One parsed HTML page, read by every layer."""

    def __init__(self, root: HtmlElement, url: str, profile: SiteProfile, now: datetime | None):
        self.root = root
        self.url = url
        self.profile = profile
        self.now = now
        self._absolute: dict[str, str | None] = {}
        #: image records by ``<img>`` element, see :func:`pipelines.extract.body.image_of`
        self.images: dict[HtmlElement, dict[str, Any]] = {}
        self._in_post: dict[HtmlElement, bool] = {}
        #: what a layer above works out once per page, by name (see :mod:`pipelines.extract.site`)
        self.memo: dict[str, Any] = {}

    def absolute(self, href: str | None) -> str | None:
        """``href`` resolved against the page URL; None for none, scripts, data, fragments."""
        if href is None:
            return None
        found = self._absolute.get(href, "")
        if found == "":
            found = self._absolute[href] = _absolute(self.url, href)
        return found

    def date(self, text: str | None) -> datetime | None:
        return parse_date(text, self.profile.timezone, self.now)

    @cached_property
    def index(self) -> Index:
        """The page's elements by tag, class and id, built in one pass."""
        return Index(self.root)

    def select(self, selector: S.Selector) -> list[HtmlElement]:
        """The page's matches of ``selector``'s first alternative that matches."""
        return selector.on_page(self.index)

    def select_all(self, selector: S.Selector) -> list[HtmlElement]:
        return selector.on_page(self.index, every=True)

    def below(self, selector: S.Selector, scope: HtmlElement) -> list[HtmlElement]:
        """The page's matches of every alternative inside ``scope`` (not ``scope`` itself)."""
        return [el for el in self.select_all(selector) if _inside(el, scope)]

    @cached_property
    def links_to(self) -> dict[str, list[HtmlElement]]:
        """The page's ``<a href>`` elements by absolute target URL, in page order."""
        found: dict[str, list[HtmlElement]] = {}
        for a in self.select(S.LINKS):
            url = self.absolute(a.get("href"))
            if url is not None:
                found.setdefault(url, []).append(a)
        return found

    @cached_property
    def body(self) -> HtmlElement | None:
        """The ``<body>`` (found once: most layers start from it)."""
        found: HtmlElement | None = self.root.find("body")
        return found

    @cached_property
    def body_classes(self) -> set[str]:
        body = self.body
        return set((body.get("class") or "").split()) if body is not None else set()

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """``<meta>`` contents by lowercased ``property`` or ``name``, in page order."""
        found: dict[str, list[str]] = {}
        for el in self.select(S.META):
            key = (el.get("property") or el.get("name") or "").strip().lower()
            if key:
                found.setdefault(key, []).append(el.get("content", "").strip())
        return found

    def meta_first(self, *keys: str) -> str | None:
        return next((v for k in keys for v in self.meta.get(k, []) if v), None)

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        """Every typed JSON-LD node, nested ones included, in page order."""
        nodes: list[dict[str, Any]] = []
        for script in self.select(S.JSONLD):
            try:
                data = json.loads(script.text or "", strict=False)
            except json.JSONDecodeError:
                continue
            nodes.extend(_typed_nodes(data))
        return nodes

    @cached_property
    def jsonld_ids(self) -> dict[str, dict[str, Any]]:
        return {n["@id"]: n for n in self.jsonld if isinstance(n.get("@id"), str)}

    def resolve(self, node: Any) -> Any:
        """A ``{"@id": …}`` reference replaced by the node it names."""
        if isinstance(node, dict) and set(node) == {"@id"}:
            return self.jsonld_ids.get(node["@id"], node)
        return node

    @cached_property
    def article_node(self) -> dict[str, Any] | None:
        return next((n for n in self.jsonld if types_of(n) & ARTICLE_TYPES), None)

    @cached_property
    def jsonld_types(self) -> set[str]:
        return {t for n in self.jsonld for t in types_of(n)}

    @cached_property
    def noise(self) -> set[HtmlElement]:
        """The :data:`~pipelines.extract.selectors.NOISE` regions, less those that
        hold the post's own article: a theme whose layout wrapper is classed
        ``sidebar`` or ``widget`` (the column beside a sidebar) would otherwise
        make the whole post noise."""
        found = self.select_all(S.NOISE)
        own = self.own_article
        if own is None:
            return set(found)
        return {el for el in found if not _inside(own, el)}

    @cached_property
    def own_article(self) -> HtmlElement | None:
        """The element WordPress gives the post's id (``<article id="post-7">`` on a
        page whose ``<body>`` is classed ``postid-7``), or None."""
        post_id = next((c[7:] for c in self.body_classes if c.startswith("postid-")), None)
        found = self.index.by_id.get(f"post-{post_id}") if post_id else None
        return found[0] if found else None

    def in_post(self, el: HtmlElement) -> bool:
        """False for elements inside comments, sidebars, widgets, related boxes,
        footers.  Remembered for ``el`` and the ancestors walked to decide."""
        known, noise = self._in_post, self.noise
        walked: list[HtmlElement] = []
        node: HtmlElement | None = el
        answer = True
        while node is not None:
            seen = known.get(node)
            if seen is not None:
                answer = seen
                break
            if node in noise:
                answer = False
                break
            walked.append(node)
            node = node.getparent()
        for node in walked:
            known[node] = answer
        return answer

    def post_elements(self, found: Iterable[HtmlElement]) -> Iterator[HtmlElement]:
        return (el for el in found if self.in_post(el))

    @cached_property
    def h1(self) -> HtmlElement | None:
        """The headline: the first post ``<h1>`` that is not the site's logo or name
        (empty, or only a link to the home page), else the first ``<h2>``/``<h3>``
        linking to the page itself (classic themes put the site name in the
        ``<h1>`` and the post title in a ``rel=bookmark`` heading)."""
        found = [h for h in self.post_elements(self.select(S.H1)) if not self._site_heading(h)]
        headline = next((h for h in found if TITLE_CLASS.search(h.get("class") or "")), None)
        if headline is not None or found:
            return headline if headline is not None else found[0]
        headings = (h for h in self.root.iter("h2", "h3") if self._links_here(h))
        return next(self.post_elements(headings), None)

    def _site_heading(self, heading: HtmlElement) -> bool:
        """Empty, only a link home, or in a logo, a link or a menu (a post's
        headline is never inside a link or a ``<nav>``, see :func:`_in_logo_or_menu`)."""
        if _in_logo_or_menu(heading):
            return True
        text = text_of(heading).replace(" ", "")
        links = S.LINKS(heading)
        linked = "".join(text_of(a) for a in links).replace(" ", "")
        return not text or (bool(links) and linked == text and all(map(self._is_home, links)))

    def _is_home(self, a: HtmlElement) -> bool:
        url = self.absolute(a.get("href"))
        return url is not None and urlsplit(url).path in ("", "/")

    def _links_here(self, heading: HtmlElement) -> bool:
        here = {self.url.rstrip("/"), (self.canonical or self.url).rstrip("/")}
        return any("bookmark" in (a.get("rel") or "").split()
                   or (self.absolute(a.get("href")) or "").rstrip("/") in here
                   for a in S.LINKS(heading))  # fmt: skip

    @cached_property
    def canonical(self) -> str | None:
        for link in self.select(S.LINK_REL):
            if "canonical" in (link.get("rel") or "").split():
                return self.absolute(link.get("href"))
        return None

    @cached_property
    def is_wordpress(self) -> bool:
        """WordPress's generator tag, or assets served from ``/wp-content/``/``/wp-includes/``."""
        if (self.meta_first("generator") or "").startswith("WordPress"):
            return True
        tags = self.index.tag
        return (any(_wp_asset(el.get("href")) for el in tags("link"))
                or any(_wp_asset(el.get("src")) for el in tags("script"))
                or any("/wp-content/" in (el.get("src") or "") for el in tags("img")))  # fmt: skip

    @cached_property
    def site_names(self) -> list[str]:
        names = [*self.profile.label("site_name"), *self.meta.get("og:site_name", [])]
        names += [n["name"] for n in self.jsonld if types_of(n) & {"WebSite", "Organization"}
                  and isinstance(n.get("name"), str)]  # fmt: skip
        return sorted({clean_text(n) for n in names if n.strip()}, key=len, reverse=True)


def _in_logo_or_menu(heading: HtmlElement) -> bool:
    """Inside a link, a ``<nav>`` or a logo block before any ``<article>``/``<main>``
    around it (broken markup nests whole posts in menus; ``<body>`` is classed
    ``wp-custom-logo`` on sites with a logo)."""
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("article", "main", "body"):
            return False
        if ancestor.tag in ("a", "nav"):
            return True
        if LOGO.search(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"):
            return True
    return False


def _wp_asset(url: str | None) -> bool:
    return url is not None and ("/wp-content/" in url or "/wp-includes/" in url)


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("javascript:", "data:", "#")):
        return None
    if PLAIN_ABSOLUTE.match(href):
        return href  # what urljoin returns for it, without its parse and unparse
    return urljoin(base, href)


def _inside(el: HtmlElement, scope: HtmlElement) -> bool:
    return any(a is scope for a in el.iterancestors())


def _typed_nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _typed_nodes(item)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _typed_nodes(value)
