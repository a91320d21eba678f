"""extract() against the replica's ground truth: every field of every post, all four themes.

Pages are rendered in-process (no server): the same renderer the replica server
calls, with the same base URL shape.  The classic theme is the Materna blog and
is read with the ``materna`` profile; the others with the profile named after
the site (``load_profile(theme)``, i.e. the default profile), as
``scrapy crawl wordpress -a site=<theme>`` does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pipelines.extract import extract
from pipelines.profile import load_profile
from tests.replica import ReplicaConfig, expected_posts
from tests.replica.markup import Ctx
from tests.replica.pages import post_page
from tests.replica.site import site_for
from tests.support.truth import mismatches

THEMES = ("classic", "block", "builder", "jsonld")
PROFILES = {"classic": "materna"}
HOST = "http://127.0.0.1:8765"


def rendered_posts(theme: str) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """(url, html) of every post page of ``theme`` and the ground truth for them."""
    config = ReplicaConfig(theme=theme)
    ctx = Ctx(HOST + config.path_prefix, site_for(config.edition, config.n_posts), config)
    pages = [(ctx.url(post.path), post_page(ctx, post)) for post in ctx.site.posts]
    # extraction alone reads no REST API: what only the API says is not expected here
    return pages, expected_posts(ctx.base_url, replace(config, sources_off={"rest"}))


def extracted(theme: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    pages, truth = rendered_posts(theme)
    profile = load_profile(PROFILES.get(theme, theme))
    posts = []
    for url, html in pages:
        result = extract(html, url, profile)
        assert result.kind == "post", url
        assert result.post is not None
        posts.append(result.post)
    return posts, truth


@pytest.mark.parametrize("theme", THEMES)
def test_every_field_of_every_post_matches_the_truth(theme: str) -> None:
    posts, truth = extracted(theme)
    assert len(posts) == len(truth) == 45
    problems = mismatches(posts, truth)
    assert problems == [], f"{len(problems)} mismatches:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("name", ["classic_yoast", "block_theme", "elementor", "unknown_theme"])
def test_indexed_selectors_agree_with_lxml(name: str) -> None:
    """Every selector answered from the page index finds what lxml's CSSSelector finds."""
    from pathlib import Path

    from pipelines.extract import selectors as S
    from pipelines.extract.css import Index
    from pipelines.extract.page import parse_html

    root = parse_html((Path(__file__).with_name("pages") / f"{name}.html").read_bytes())
    assert root is not None
    index = Index(root)
    checked = 0
    for selector in (v for v in vars(S).values() if isinstance(v, S.Selector)):
        for css_selector, matcher in selector.alternatives:
            found = matcher.select(index) if matcher is not None else None
            if found is not None:
                assert found == css_selector(root), css_selector.css
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("name", ["classic_yoast", "block_theme", "elementor", "unknown_theme"])
def test_whole_page_selectors_agree_with_lxml(name: str) -> None:
    """``on_page`` (index look-ups, a lone class's list, XPath for ``a[href]``) gives
    lxml's first alternative that matches, and with ``every`` all alternatives' matches."""
    from pathlib import Path

    from pipelines.extract import selectors as S
    from pipelines.extract.css import Index
    from pipelines.extract.page import parse_html

    root = parse_html((Path(__file__).with_name("pages") / f"{name}.html").read_bytes())
    assert root is not None
    index = Index(root)
    matched = 0
    for selector in (v for v in vars(S).values() if isinstance(v, S.Selector)):
        by_lxml = [css_selector(root) for css_selector, _ in selector.alternatives]
        first = next((found for found in by_lxml if found), [])
        assert selector.on_page(index) == first, selector.alternatives[0][0].css
        assert selector.on_page(index, every=True) == [el for f in by_lxml for el in f]
        matched += bool(first)
    assert matched > 3


def test_selector_made_after_the_index_finds_its_class() -> None:
    """The index lists only classes that selectors name: a selector compiled later
    (a site profile's) makes it list the page's classes again."""
    from pipelines.extract import selectors as S
    from pipelines.extract.css import Index
    from pipelines.extract.page import parse_html

    root = parse_html('<html><body><p class="a zq-late-class">x</p><p class="zq-late-class">y'
                      "</p></body></html>")  # fmt: skip
    assert root is not None
    index = Index(root)
    assert "zq-late-class" not in index.by_class
    late = S.css(".zq-late-class")
    assert [p.text for p in late.on_page(index)] == ["x", "y"]


@pytest.mark.parametrize(
    "html",
    [
        "<div>a<b>b</b>c<i>d<u>e</u>f</i>g</div>tail",
        "<div>\n  <script>var x = '<p>';</script>\n  <p>W&ouml;rter &amp; Zeichen</p></div>",
        "<div><!-- comment --><p>before<?pi x?>after</p><br>line</div>",
        "<div><p>Wein&shy;berg</p><pre>  two\n  lines</pre><style>p{}</style></div>",
        "<div></div>",
    ],
)
def test_text_content_is_lxmls(html: str) -> None:
    """Element text comes from lxml's text serialiser (faster than the XPath
    ``string()`` of ``text_content()``) and is the same text."""
    from pipelines.extract.page import parse_html, text_content

    root = parse_html(f"<html><body>{html}</body></html>")
    assert root is not None
    for el in root.iter():
        assert text_content(el) == el.text_content()
