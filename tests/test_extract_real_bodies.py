"""Body shapes seen on real German WordPress blogs, each in a small handwritten page.

Phrase checks, as trafilatura's real-world tests do: what must be in the body
and what must not.
"""

from __future__ import annotations

import pytest

from pipelines.extract import extract_post
from pipelines.extract.body import share_boxes
from pipelines.extract.page import parse_html

URL = "https://blog.example/ein-beitrag/"
TEXT = "<p>Der erste Absatz des Beitrags erzählt, worum es geht, und das ausführlich genug.</p>"


def _classic(content: str, before: str = "") -> str:
    return f"""<html lang="de"><head><title>Ein Beitrag</title></head>
    <body class="single single-post postid-7"><article id="post-7" class="post">
    <h1 class="entry-title">Ein Beitrag</h1>{before}
    <div class="entry-content">{content}</div></article></body></html>"""


CASES = [
    pytest.param(
        _classic(TEXT, before='<div class="entry-content"><p>Kurzer Anreißer.</p></div>'),
        ["Der erste Absatz"], [], id="a-teaser-entry-content-before-the-body",
    ),
    pytest.param(
        _classic(TEXT * 12, before='<div class="entry-content"><p>' + "Wort " * 90 + "</p></div>"),
        ["Wort Wort"], ["Der erste Absatz"], id="a-long-first-entry-content-is-no-teaser",
    ),
    pytest.param(
        _classic(TEXT + '<span class="post-ratings">(Noch keine Bewertungen)</span>'),
        ["Der erste Absatz"], ["Bewertungen"], id="wp-postratings",
    ),
    pytest.param(
        _classic(TEXT + '<div class="wprm-recipe"><a class="wprm-recipe-print wprm-recipe-link">'
                 "Rezept drucken</a><p>200 g Mehl verrühren.</p></div>"),
        ["200 g Mehl"], ["Rezept drucken"], id="recipe-card-buttons",
    ),
    pytest.param(
        _classic(TEXT + '<div style="float:right"><strong>Möchten Sie den Artikel teilen?</strong>'
                 '<br><a href="https://www.facebook.com/sharer.php?u=x">Facebook</a>'
                 '<a href="https://twitter.com/intent/tweet?url=x">Twitter</a></div>'),
        ["Der erste Absatz"], ["teilen", "Facebook"], id="hand-made-share-box",
    ),
    pytest.param(
        _classic(TEXT + '<div class="nav"><a href="/" rel="prev">Zurück zur Startseite</a></div>'),
        ["Der erste Absatz"], ["Startseite"], id="rel-prev-link-inside-the-content",
    ),
    pytest.param(
        _classic(TEXT + "<div class='rp4wp-related-posts'><ul><li><a href='/x/'>Ein anderer "
                 "Beitrag?</a></li></ul></div>"),
        ["Der erste Absatz"], ["anderer Beitrag"], id="related-posts-for-wordpress",
    ),
    pytest.param(
        _classic('<div id="ez-toc-container"><p class="ez-toc-title">Inhaltsverzeichnis</p>'
                 '<ul><li><a href="#a">Erster Abschnitt</a></li></ul></div>' + TEXT),
        ["Der erste Absatz"], ["Inhaltsverzeichnis", "Erster Abschnitt"], id="easy-table-of-contents",
    ),
    pytest.param(
        _classic(TEXT + '<p class="aawp-disclaimer">Bei den Verlinkungen handelt es sich um '
                 "Affiliate-Links.</p>"),
        ["Der erste Absatz"], ["Affiliate"], id="aawp-disclaimer",
    ),
    pytest.param(
        _classic(TEXT + '<div class="saboxplugin-wrap"><p>Anna schreibt über Wein.</p></div>'),
        ["Der erste Absatz"], ["Anna schreibt"], id="simple-author-box",
    ),
    pytest.param(
        _classic(TEXT + '<h2 class="related_post_title">Mehr davon</h2><ul class="related_post '
                 'wp_rp"><li><a href="/y/">Noch ein Beitrag</a></li></ul>'),
        ["Der erste Absatz"], ["Mehr davon", "Noch ein Beitrag"], id="wordpress-related-posts",
    ),
    pytest.param(
        _classic(TEXT + '<h3>Mehr zum Thema</h3><ul><li><a href="/reifen/">Reifen flicken</a>'
                 '</li><li><a href="/ventil/">Ventile tauschen</a></li></ul>'),
        ["Der erste Absatz"], ["Mehr zum Thema", "Reifen flicken"], id="related-heading-mehr-zum-thema",
    ),
    pytest.param(
        _classic(TEXT + '<div><h4>Auch interessant</h4><a href="/a/">Ein Beitrag</a> '
                 '<a href="/b/">Noch einer</a></div>'),
        ["Der erste Absatz"], ["Auch interessant", "Noch einer"], id="related-heading-auch-interessant",
    ),
    pytest.param(
        _classic(TEXT + '<p><a href="https://blog.example/noch-ein-beitrag/">Lesen Sie hier einen '
                 "weiteren spannenden Beitrag …</a></p>" + TEXT.replace("erste", "zweite")),
        ["Der erste Absatz", "Der zweite Absatz"], ["Lesen Sie hier"], id="a-read-more-paragraph",
    ),
    pytest.param(
        _classic(TEXT + "<h2>Weitere Beiträge aus der Kolumne:</h2>"
                 '<p><a href="/kolumne-1/">Wie Werte eine Kultur formen</a></p>'
                 '<p><a href="/kolumne-2/">Berufe der Zukunft</a></p>'),
        ["Der erste Absatz"], ["Weitere Beiträge", "Werte", "Berufe"], id="a-heading-over-link-lines",
    ),
    pytest.param(
        _classic("<h2>Die Studie</h2>" + TEXT + '<p><a href="https://uni.example/studie.pdf">'
                 "Die Studie als PDF</a></p>"),
        ["Die Studie", "Der erste Absatz", "Die Studie als PDF"], [], id="a-link-to-elsewhere-stays",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "present", "absent"), CASES)
def test_body_keeps_the_post_and_drops_the_widgets(
    html: str, present: list[str], absent: list[str]
) -> None:
    body = extract_post(html, URL)["body_text"]
    for phrase in present:
        assert phrase in body
    for phrase in absent:
        assert phrase not in body


def test_a_share_box_with_a_long_text_is_not_dropped_whole() -> None:
    """Only the link's wrapper whose own text is a short label goes; a paragraph
    that mentions a share link keeps its words."""
    root = parse_html(
        '<div id="c"><p>Ein langer Absatz, der nebenbei auf einen Link verweist, den man '
        '<a href="https://www.facebook.com/sharer.php?u=x">teilen</a> kann, und weiter.</p></div>'
    )
    assert root is not None
    content = root.get_element_by_id("c")
    assert share_boxes(content) == []


DENSE_URL = "https://blog.example/2020/01/02/builder/"
PARAGRAPH = "<p>{} Ein Satz, der lang genug ist, damit der Absatz als Text zählt.</p>"


def _builder(rows: list[str]) -> str:
    """A page-builder post: no WordPress body class, rows of columns in the article."""
    columns = "".join(f'<div class="row"><div class="col">{row}</div></div>' for row in rows)
    return f"""<html lang="de"><head><title>Baukasten</title>
    <link rel="stylesheet" href="/wp-content/themes/x/style.css"></head><body>
    <article><h1>Baukasten</h1>{columns}</article></body></html>"""


def test_a_dense_body_with_a_second_row_is_checked_by_trafilatura() -> None:
    """The dense finder keeps one column; the lead in another row would be lost,
    so trafilatura's reading of the page (which has both) is taken."""
    lead = "<h2>Die Lage ist ernst, meldet der Verband in einer Meldung von heute.</h2>" + (
        PARAGRAPH.format("Vorspann.")
    )
    main = "".join(PARAGRAPH.format(f"Absatz {n}.") for n in range(12))
    post = extract_post(_builder([lead, main]), DENSE_URL)
    assert "einer Meldung von heute" in post["body_text"]
    assert "Absatz 11." in post["body_text"]


def test_a_sure_dense_body_is_kept_without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.extract import generic

    def fail(page: object) -> None:
        raise AssertionError("trafilatura asked for a sure dense body")

    monkeypatch.setattr(generic, "_trafilatura_body", fail)
    main = "".join(PARAGRAPH.format(f"Absatz {n}.") for n in range(12))
    post = extract_post(_builder([main]), DENSE_URL)
    assert "Absatz 0." in post["body_text"]
    assert "Absatz 11." in post["body_text"]


LEAD = "Seit Dezember verschickt eine Kanzlei Abmahnungen an Leute, die freie Bilder nutzen."


def _with_header(header: str, content: str = TEXT) -> str:
    """A magazine theme: the headline and what follows it in the post's header."""
    return f"""<html lang="de"><head><title>Ein Beitrag</title>
    <meta name="generator" content="WordPress 6.4"></head>
    <body class="single single-post postid-7"><article id="post-7" class="post">
    <header class="entry-header"><h1 class="entry-title">Ein Beitrag</h1>{header}</header>
    <div class="entry-content">{content}</div></article></body></html>"""


LEAD_CASES = [
    pytest.param(_with_header(f"<p>{LEAD}</p>"), [LEAD, "Der erste Absatz"], [],
                 id="excerpt-paragraph-in-the-entry-header"),
    pytest.param(_with_header(f'<div class="post-lead"><h2>{LEAD}</h2></div>'), [LEAD], [],
                 id="a-block-a-lead-class-names"),
    pytest.param(
        _with_header('<p class="entry-meta">Von Anna Schmidt am 3. Mai 2020 in Allgemein, '
                     "Recht und Netz, Bilder und Lizenzen, Kommentare: 4</p>"),
        ["Der erste Absatz"], ["Anna Schmidt"], id="a-byline-in-the-header-is-no-lead",
    ),
    pytest.param(
        _with_header('<p><a href="/">Startseite</a> » <a href="/recht/">Recht und Netz im '
                     'Alltag</a> » <a href="/x/">Ein Beitrag über Abmahnungen und Bilder</a></p>'),
        ["Der erste Absatz"], ["Startseite"], id="breadcrumbs-in-the-header-are-no-lead",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "present", "absent"), LEAD_CASES)
def test_the_lead_in_the_headline_s_header_opens_the_body(
    html: str, present: list[str], absent: list[str]
) -> None:
    body = extract_post(html, URL)["body_text"]
    assert body.startswith(present[0])
    for phrase in present:
        assert phrase in body
    for phrase in absent:
        assert phrase not in body


def test_a_lead_is_read_on_wordpress_pages_only() -> None:
    """News sites' decks under the headline are no body to the article benchmark's
    annotators; on WordPress blogs the lead is the post's first paragraph."""
    html = _with_header(f"<p>{LEAD}</p>").replace(
        '<meta name="generator" content="WordPress 6.4">', ""
    )
    assert LEAD not in extract_post(html, URL)["body_text"]


def test_a_lead_the_body_already_starts_with_is_not_repeated() -> None:
    """WordPress's automatic excerpt is the first paragraph cut short."""
    html = _with_header(f"<p>{LEAD[:-1]} […]</p>", content=f"<p>{LEAD} Und weiter.</p>")
    body = extract_post(html, URL)["body_text"]
    assert body.count("Seit Dezember") == 1


def test_the_entry_title_is_the_headline_whose_lead_is_read() -> None:
    """A site name in an earlier ``<h1>`` is not the headline: the one classed
    ``entry-title`` is, and the lead under it opens the body."""
    html = _with_header(f"<p>{LEAD}</p>").replace(
        "<article", '<div id="top"><h1>Mein Blog über alles Mögliche</h1></div><article'
    )
    assert extract_post(html, URL)["body_text"].startswith(LEAD)


def _modules(count: int, kind: str = "module module--text", inner: str = "") -> str:
    """A page builder's post: a row of text blocks of one class, no article or main."""
    blocks = "".join(
        f'<div class="{kind}">{inner}<p>Block {n}: ein Absatz, lang genug, um als Text eines '
        f"Beitrags zu gelten, mit ein paar Worten mehr.</p></div>"
        for n in range(count)
    )
    return f"""<html lang="de"><head><title>Ein Beitrag</title>
    <meta name="generator" content="WordPress 6.4"></head><body>
    <section id="content"><div class="wrapper"><h1>Ein Beitrag</h1>{blocks}</div></section>
    </body></html>"""


def _trafilatura_keeps_block(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura as seen on such pages: it keeps one block (the longest) only."""
    import lxml.html

    from pipelines.extract import generic

    def one_block(page: object) -> object:
        paragraph = (f"<p>Block {n}: ein Absatz, lang genug, um als Text eines Beitrags zu "
                     "gelten, mit ein paar Worten mehr.</p>")  # fmt: skip
        return lxml.html.fromstring(f"<html><body>{paragraph}</body></html>").find(".//body")

    monkeypatch.setattr(generic, "_trafilatura_body", one_block)


def test_trafilatura_s_one_block_of_a_builder_row_brings_its_siblings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _trafilatura_keeps_block(2, monkeypatch)
    body = extract_post(_modules(4), URL)["body_text"]
    assert [f"Block {n}:" in body for n in range(4)] == [True] * 4


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(_modules(2), id="two-columns-may-be-post-and-comments"),
        pytest.param(
            _modules(4, "teaser", "<h1>Ein anderer Beitrag</h1>"), id="teasers-with-headlines"
        ),
    ],
)
def test_no_row_of_modules_no_siblings(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _trafilatura_keeps_block(1, monkeypatch)
    body = extract_post(html, URL)["body_text"]
    assert "Block 1:" in body
    assert "Block 0:" not in body
