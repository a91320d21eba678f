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
