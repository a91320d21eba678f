"""The shortcuts that make extraction fast give the answers of the slow, obvious way.

Each test computes the reference the straightforward way (lxml's CSSSelector,
urljoin, a loop over every text node) and compares it with the shortcut.
"""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from pipelines.extract import selectors as S
from pipelines.extract import site
from pipelines.extract.page import HtmlElement, Page, parse_html
from pipelines.profile import load_profile

PAGES = Path(__file__).with_name("pages")
NAMES = ["classic_yoast", "block_theme", "elementor", "unknown_theme", "jsonld_only"]


def page_of(html: str | bytes, profile: str = "default") -> Page:
    root = parse_html(html)
    assert root is not None
    return Page(root, "https://blog.example.org/2019/03/post/", load_profile(profile), None)


def first_alternative(selector: S.Selector, el: HtmlElement) -> list[HtmlElement]:
    """What lxml finds: the matches of the first alternative that matches anything."""
    for css_selector, _ in selector.alternatives:
        found = css_selector(el)
        if found:
            return list(found)
    return []


@pytest.mark.parametrize("name", NAMES)
def test_selectors_on_elements_agree_with_lxml(name: str) -> None:
    """``selector(el)`` and ``selector(el, index)`` (class pre-checks, tag
    iteration instead of XPath) find what lxml's CSSSelector finds below ``el``."""
    page = page_of((PAGES / f"{name}.html").read_bytes())
    elements = [el for el in page.root.iter() if isinstance(el.tag, str)]
    selectors = [v for v in vars(S).values() if isinstance(v, S.Selector)]
    compared = 0
    for el in elements:
        for selector in selectors:
            expected = first_alternative(selector, el)
            assert selector(el) == expected
            assert selector(el, page.index) == expected
            compared += bool(expected)
    assert compared > 10
    copy = deepcopy(page.root.find("body"))  # not part of the indexed tree
    for selector in selectors:
        assert selector(copy, page.index) == first_alternative(selector, copy)


def test_comma_selector_keeps_document_order() -> None:
    html = (
        '<html><body><a rel="category" href="/c/">C</a><a rel="tag" href="/t/">T</a>'
        '<a rel="category tag" href="/ct/">CT</a></body></html>'
    )
    page = page_of(html)
    found = [a.text for a in page.select(S.REL_TERM)]
    assert found == [a.text for a in S.REL_TERM.alternatives[0][0](page.root)]
    assert found == ["C", "T", "CT"]


@pytest.mark.parametrize(
    "href",
    [
        "https://blog.example.org/a/b/",
        "http://other.example/x",
        "https://blog.example.org/a/../b",
        "https://blog.example.org/a?",
        "https://blog.example.org/a#",
        "https://blog.example.org/a;p",
        "https://blog.example.org/a?x=1#f",
        "HTTPS://blog.example.org/A",
        "https:///nohost",
        "  https://blog.example.org/spaced  ",
        "/rooted/path/",
        "relative/path",
        "../up",
        "//cdn.example/x.png",
    ],
)
def test_absolute_urls_are_what_urljoin_gives(href: str) -> None:
    page = page_of("<html><body><p>x</p></body></html>")
    assert page.absolute(href) == urljoin(page.url, href.strip())
    assert page.absolute(href) == page.absolute(href)  # memoised, same answer


def reference_labels(page: Page) -> dict[str, list[HtmlElement]]:
    """The label scan as a loop over every text node of the body."""
    wanted = site._label_index(page.profile)
    by = site._by_pattern(page.profile)
    found: dict[str, list[HtmlElement]] = {}
    body = page.root.find("body")
    for node in body.xpath(".//text()") if body is not None else []:
        text = node.strip()
        if len(node) > 2 * site.BYLINE_MAX or not text or len(text) > site.BYLINE_MAX:
            continue
        role = wanted.get(text.casefold()) or ("by" if by.search(text) else None)
        if role:
            label = site.label_element(node)
            if role == "comment_form" or page.in_post(label):
                found.setdefault(role, []).append(label)
    return found


TRICKY = """<html><body><article>
<p>  Von   Anna Schmidt </p><span>28. November 2018 | von Jan</span>
<p><b>SCHLAGWÖRTER:</b> <a href="/tag/a/">A</a></p><p>Kategorien <a href="/c/">C</a></p>
<p>Vonnegut schrieb</p><p>By the way, nothing</p><i>Über den Autor</i>tail text
<h3>ÜBER DEN AUTOR</h3><p>Grüße aus Dortmund</p><p>Stichwörter:</p>
<p>a • By Someone</p><em>Related</em> und mehr</article>
<div id="comments"><h3>Schreibe einen Kommentar</h3><p>Von Gast</p></div>
</body></html>"""


@pytest.mark.parametrize("profile", ["default", "materna"])
@pytest.mark.parametrize("source", [*NAMES, "tricky"])
def test_label_scan_matches_a_loop_over_every_text(source: str, profile: str) -> None:
    html = TRICKY if source == "tricky" else (PAGES / f"{source}.html").read_text("utf-8")
    page = page_of(html, profile)
    expected: dict[str, Any] = reference_labels(page)
    assert site._find_labels(page) == expected
    if source == "tricky" and profile == "default":
        assert {"by", "tags", "categories", "author_box", "comment_form"} <= set(expected)
