"""extract() on hand-written pages: one per layer and theme family."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract, extract_author_bio, extract_post
from pipelines.profile import load_profile
from pipelines.schema import PAGE_FIELDS

PAGES = Path(__file__).with_name("pages")


def post_of(name: str, profile: str = "default") -> tuple[dict[str, Any], list[str]]:
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    result = extract(html, f"https://blog.example.org/{name}/", load_profile(profile))
    assert result.kind == "post"
    assert result.post is not None
    return result.post, result.disagreements


def test_keys_are_page_fields_plus_sources() -> None:
    post, _ = post_of("classic_yoast")
    assert set(post) == {*PAGE_FIELDS, "field_sources"}
    assert set(post["field_sources"].values()) <= {"declared", "wordpress", "profile", "generic"}


def test_yoast_graph_classic_theme() -> None:
    post, disagreements = post_of("classic_yoast")
    assert post["url"] == "https://blog.example.org/2019/03/cloud-strategien/"
    assert post["post_id"] == 4711
    assert post["title"] == "Cloud-Strategien für Behörden"
    assert post["published_at"] == datetime(2019, 3, 12, 9, 30, tzinfo=UTC)
    assert post["modified_at"] == datetime(2019, 3, 14, 16, 0, tzinfo=UTC)
    assert post["authors"] == [
        {"name": "Anna Schmidt", "url": "https://blog.example.org/author/anna-schmidt/",
         "bio": "Anna Schmidt berät Behörden bei der Cloud-Migration."},
        {"name": "Jan Meyer", "url": "https://blog.example.org/author/jan-meyer/",
         "bio": "Jan Meyer ist Architekt für Verwaltungs-IT."},
    ]  # fmt: skip
    assert post["tags"] == ["Cloud", "E-Government"]
    assert post["categories"] == ["Public Sector"]
    assert post["language"] == "de"
    assert post["comment_count"] == 2
    assert post["field_sources"]["authors"] == "declared"
    assert disagreements == []


def test_classic_body_text_and_html() -> None:
    post, _ = post_of("classic_yoast")
    text = post["body_text"]
    assert text.split("\n\n")[:4] == [
        "Viele Behörden stehen vor der Frage, welche Dienste sie in die Cloud verlagern.",
        "Drei Schritte",
        "Bestand erfassen",
        "Risiken bewerten",
    ]
    assert "Die Cloud ist kein Selbstzweck." in text
    for absent in ("Schreibe einen Kommentar", "Impressum", "Sidebar-Beitrag", "Teilen mit",
                   "Ähnliche Beiträge", "Das Diagramm zeigt", "©Materna", "body script",
                   "Toller Artikel", "berät Behörden"):  # fmt: skip
        assert absent not in text
    assert post["word_count"] == len(text.split())
    html = post["body_html"]
    for unsafe in ("<script", "onclick", "javascript:"):
        assert unsafe not in html
    assert 'src="https://blog.example.org/wp-content/uploads/2019/03/diagramm-300x200.png"' in html
    assert post["body_links"][0] == {
        "url": "https://blog.example.org/2019/02/e-akte/",
        "text": "Beitrag zur E-Akte",
    }


def test_classic_images_hero_first_deduplicated() -> None:
    post, _ = post_of("classic_yoast")
    hero, figure = post["images"]
    assert hero["url"] == "https://blog.example.org/wp-content/uploads/2019/03/cloud.jpg"
    assert hero["alt"] == "Wolken über einem Rathaus"
    assert hero["credit"] == "©SFIO CRACHO - stock.adobe.com"
    assert figure["caption"] == "Das Diagramm zeigt die Phasen."
    assert figure["credit"] == "©Materna"


def test_classic_related_links() -> None:
    post, _ = post_of("classic_yoast")
    assert [(r["relation"], r["title"]) for r in post["related_links"]] == [
        ("previous", "Die E-Akte kommt"),
        ("next", "KI in der Verwaltung"),
        ("related", "Dortmund: Eine Region digitalisiert sich"),
        ("related", "OZG-Umsetzung"),
    ]


def test_block_theme() -> None:
    post, _ = post_of("block_theme")
    assert post["post_id"] == 321
    assert post["title"] == "Open Data in Kommunen"
    assert post["published_at"] == datetime(2024, 5, 2, 12, 5, tzinfo=UTC)
    lena = "https://tech.example.com/author/lena/"
    bio = "Lena Vogel schreibt über Daten und Verwaltung."
    assert post["authors"] == [{"name": "Lena Vogel", "url": lena, "bio": bio}]
    assert post["tags"] == ["Open Data", "Portal"]
    assert post["categories"] == ["Daten", "Kommunen"]
    assert post["body_text"].split("\n\n") == [
        "Kommunen veröffentlichen immer mehr Daten in offenen Formaten.",
        "Ein Datenportal braucht klare Lizenzen.",
        "Daten finden",
        "Katalog durchsuchen",
        "Daten nutzen",
    ]
    assert [r["title"] for r in post["related_links"]] == ["Smart City Konzepte", "KI im Amt"]
    assert post["comment_count"] == 1
    assert post["images"][1]["caption"] == "Das Portal der Stadt"


def test_elementor_like_page() -> None:
    post, _ = post_of("elementor")
    assert post["title"] == "Zero Trust Basics"
    assert post["authors"][0]["name"] == "Max Weber"
    assert post["categories"] == ["Security"]
    assert post["language"] == "en"
    assert post["body_text"] == (
        "Zero trust means never trust, always verify.\n\nPrinciples\n\n"
        "Verify explicitly and use least privilege."
    )
    assert [r["title"] for r in post["related_links"]] == ["MFA Everywhere", "What is SASE"]


def test_jsonld_only_page() -> None:
    post, _ = post_of("jsonld_only")
    assert post["title"] == "Kundenservice neu gedacht"
    assert post["published_at"] == datetime(2022, 10, 29, 22, 0, tzinfo=UTC)  # date-only
    assert post["modified_at"] == datetime(2022, 11, 2, 11, 0, tzinfo=UTC)  # local time
    assert post["authors"] == [{"name": "Eva Braun", "url": "https://blog.example.org/team/eva-braun",
                                "bio": "Eva Braun leitet den Kundenservice."}]  # fmt: skip
    assert post["tags"] == ["Service", "CRM"]
    assert "Chatbot beantwortet einfache Fragen" in post["body_text"]
    assert "Impressum" not in post["body_text"]
    assert post["field_sources"]["body_text"] == "generic"


def test_unknown_theme_read_by_labels() -> None:
    post, _ = post_of("unknown_theme", "materna")
    assert post["title"] == "Dortmund: Eine Region digitalisiert sich"
    assert post["published_at"] == datetime(2018, 11, 27, 23, 0, tzinfo=UTC)
    assert post["authors"] == [{
        "name": "Christine Siepe",
        "url": "https://blog.materna.de/author/christine-siepe/",
        "bio": "Christine Siepe leitet das Team Business Marketing mit den Schwerpunkten auf"
        " Kundenkommunikation.",
    }]  # fmt: skip
    assert post["tags"] == ["Digitalisierung", "Smart City"]
    assert post["images"][0]["credit"] == "©SFIO CRACHO - stock.adobe.com"
    text = post["body_text"]
    assert text.startswith("Die Region Dortmund verzeichnet")
    for absent in ("Schreibe einen Kommentar", "Autoreninfo", "Impressum", "Schlagwörter"):
        assert absent not in text


def test_two_author_byline_without_links() -> None:
    html = """<html lang="de"><body class="single single-post postid-5"><article>
    <h1 class="entry-title">Titel</h1><span class="byline">Von Anna Schmidt und Jan Meyer</span>
    <div class="entry-content"><p>Text.</p></div></article></body></html>"""
    post = extract_post(html, "https://x.example/p/")
    assert [a["name"] for a in post["authors"]] == ["Anna Schmidt", "Jan Meyer"]


def test_comment_dates_never_win() -> None:
    html = """<html><body><h1>Ein Beitrag</h1><p>Inhalt ohne Datum</p>
    <div id="comments"><time datetime="2021-05-05T10:00:00+02:00">5. Mai 2021</time>
    <p>Kommentar vom 6. Mai 2021</p></div></body></html>"""
    assert extract_post(html, "https://x.example/p/")["published_at"] is None


def test_disagreeing_dates_are_reported() -> None:
    html = """<html><head><meta property="article:published_time" content="2020-01-01T10:00:00Z">
    </head><body class="single single-post postid-7"><h1 class="entry-title">T</h1>
    <time class="entry-date published">3. März 2021</time>
    <div class="entry-content"><p>x</p></div></body></html>"""
    result = extract(html, "https://x.example/p/")
    assert result.post is not None
    assert result.post["published_at"] == datetime(2020, 1, 1, 10, 0, tzinfo=UTC)
    assert "published_at" in result.disagreements


def test_og_title_site_name_is_stripped() -> None:
    html = """<html><head><meta property="og:title" content="Smart City – Der Materna Blog">
    <meta property="og:site_name" content="Der Materna Blog"></head><body><p>x</p></body></html>"""
    assert extract_post(html, "https://x.example/p/")["title"] == "Smart City"


ARCHIVE_HEADER = (
    '<html><body class="archive author"><header class="page-header"><h1>Anna</h1>'
    '<div class="archive-description"><p>Anna schreibt über Cloud.</p></div></header>'
    "</body></html>"
)
AUTHOR_BOX = '<html><body><div class="box"><h3>Über den Autor</h3><p>Jan ist Architekt.</p></div>'


@pytest.mark.parametrize(
    ("html", "bio"),
    [
        (ARCHIVE_HEADER, "Anna schreibt über Cloud."),
        (AUTHOR_BOX, "Jan ist Architekt."),
        ("<html><body><p>nichts</p></body></html>", None),
    ],
)
def test_author_bio_from_archive(html: str, bio: str | None) -> None:
    assert extract_author_bio(html, "https://x.example/author/a/") == bio
