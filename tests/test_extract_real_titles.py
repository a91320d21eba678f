"""Titles as real German WordPress blogs show and declare them, in small handwritten pages.

The declared title (og:title, JSON-LD headline) is often the SEO title; the
headline the post shows wins when it tells the same story.
"""

from __future__ import annotations

import pytest

from pipelines.extract import extract_post

URL = "https://blog.example/ein-beitrag/"


def _page(og_title: str, heading: str, site: str = "Mein Blog") -> str:
    return f"""<html lang="de"><head><title>x</title>
    <meta property="og:title" content="{og_title}"><meta property="og:site_name" content="{site}">
    </head><body class="single single-post postid-3"><article id="post-3">{heading}
    <div class="entry-content"><p>Der Beitrag selbst, mit ein paar Worten.</p></div>
    </article></body></html>"""


CASES = [
    pytest.param(
        _page("Firmenwagen: Leasen oder Finanzieren? Was lohnt sich?",
              '<h1 class="entry-title">Firmenwagen: Leasing oder Finanzierung?</h1>'),
        "Firmenwagen: Leasing oder Finanzierung?", "wordpress", id="seo-title-reworded",
    ),
    pytest.param(
        _page("Laufen im Winter › Nordish by Nature", "<h1>Laufen im Winter</h1>"),
        "Laufen im Winter", "generic", id="unknown-site-name-separator",
    ),
    pytest.param(
        _page("&amp;#8222;Arschloch&amp;#8220;: Danni trennt sich", "<h2>Anders</h2>"),
        "„Arschloch“: Danni trennt sich", "declared", id="entities-escaped-twice",
    ),
    pytest.param(
        _page("Eigentumsvorbehalt: Das sollten Käufer wissen",
              '<h1 class="entry-title"><span class="toptitle">Forderungsausfälle vermeiden</span>'
              " Eigentumsvorbehalt: Das sollten Käufer wissen</h1>"),
        "Eigentumsvorbehalt: Das sollten Käufer wissen", "declared", id="kicker-in-the-headline",
    ),
    pytest.param(
        _page("Apple kippt Verschlüsselungspläne", "<h1>Das Infoportal für sichere Handys</h1>"),
        "Apple kippt Verschlüsselungspläne", "declared", id="slogan-h1-shares-no-word",
    ),
    pytest.param(
        _page('"Welches Europa wir wollen"', "<h1>„Welches Europa wir wollen“</h1>"),
        "„Welches Europa wir wollen“", "generic", id="typographic-quotes-shown",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "title", "layer"), CASES)
def test_title_and_its_layer(html: str, title: str, layer: str) -> None:
    post = extract_post(html, URL)
    assert post["title"] == title
    assert post["field_sources"]["title"] == layer


POST = "<p>Apple hat seine Pläne für die Verschlüsselung der Cloud aufgegeben, melden Medien.</p>"


def _headlines(before: str, article: str, body_class: str = "single") -> str:
    """No declared title: the headline the page shows is the title (generic layer)."""
    return f"""<html lang="de"><head></head><body class="{body_class}">{before}
    <main><article>{article}{POST}</article></main></body></html>"""


HEADLINE_CASES = [
    pytest.param(_headlines('<div class="site-top"><a href="/"><h1>Das Infoportal</h1></a></div>',
                            "<h1>Apple kippt Pläne</h1>"), id="logo-heading-inside-a-link"),
    pytest.param(_headlines("<nav><h1>Menu</h1><a href='/a/'>A</a></nav>",
                            "<h1>Apple kippt Pläne</h1>"), id="heading-in-the-menu"),
    pytest.param(_headlines('<div class="header--logo"><h1>Tonight News</h1></div>',
                            "<h1>Apple kippt Pläne</h1>"), id="heading-in-a-logo-block"),
    pytest.param(_headlines("<div id='top'><h1>Mein Blog über alles</h1></div>",
                            '<h1 class="entry-title">Apple kippt Pläne</h1>'),
                 id="entry-title-wins-over-an-earlier-heading"),
    pytest.param(_headlines("", "<h1>Apple kippt Pläne</h1>", body_class="single wp-custom-logo"),
                 id="a-site-with-a-custom-logo"),
    pytest.param(_headlines("<nav><ul><li>", "<h1>Apple kippt Pläne</h1>"),
                 id="a-post-inside-an-unclosed-menu"),
]  # fmt: skip


@pytest.mark.parametrize("html", HEADLINE_CASES)
def test_the_headline_is_the_post_s_not_the_site_s(html: str) -> None:
    assert extract_post(html, URL)["title"] == "Apple kippt Pläne"
