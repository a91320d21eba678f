"""Author names as German bylines print them, tidied (pipelines.extract.names)."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_post
from pipelines.extract.names import tidy_authors, tidy_name


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("von: Rasender Reporter", "Rasender Reporter"),
        ("Von Anna Schmidt", "Anna Schmidt"),
        ("Autorin: Eva Braun", "Eva Braun"),
        ("By Jane Doe", "Jane Doe"),
        ("Jörg Staff am 16.11.2022", "Jörg Staff"),
        ("Lena Vogel, 3. März 2020", "Lena Vogel"),
        ("Von der Leyen", "Von der Leyen"),  # a surname particle, not a label
        ("Max am Main", "Max am Main"),  # "am" without a date stays
        ("Anna Schmidt", "Anna Schmidt"),
        ("Text: Ursula Beispiel", "Ursula Beispiel"),
        ("Ein Beitrag von Anna Schmidt", "Anna Schmidt"),
        ("Author: Jane Doe", "Jane Doe"),
        ("von", ""),
        ("Autor:", ""),
    ],
)
def test_tidy_name(printed: str, name: str) -> None:
    assert tidy_name(printed) == name


def test_label_only_authors_go_and_the_same_person_is_one() -> None:
    authors = [
        {"name": "Julia Esdar", "url": None, "bio": None},
        {"name": "von", "url": None, "bio": None},
        {"name": "Von Julia Esdar", "url": "https://x.example/author/je/", "bio": None},
    ]
    assert tidy_authors(authors) == [{"name": "Julia Esdar", "url": None, "bio": None}]


def test_a_jsonld_author_with_a_label_is_tidied() -> None:
    html = """<html lang="de"><head><script type="application/ld+json">
    {"@type": "BlogPosting", "headline": "Titel", "author": {"@type": "Person",
     "name": "von: Rasender Reporter"}}</script></head>
    <body><h1>Titel</h1><p>Text.</p></body></html>"""
    post = extract_post(html, "https://x.example/titel/")
    assert [a["name"] for a in post["authors"]] == ["Rasender Reporter"]


def test_the_labels_are_the_profile_s() -> None:
    """One list of byline words: a site profile's own label is tidied away too."""
    assert tidy_name("Redakteur: Max Muster", ["Redakteur:"]) == "Max Muster"
    assert tidy_name("Redakteur: Max Muster") == "Redakteur: Max Muster"
    assert tidy_authors([{"name": "Redakteur:", "url": None, "bio": None}], ["Redakteur:"]) == []


def test_a_magazine_s_text_credit_names_the_author() -> None:
    """German magazines credit the writer as "Text: Name" (beside "Fotos: Name")."""
    html = """<html lang="de"><head><title>Titel</title></head><body>
    <article><h1>Titel</h1><p>Ein Absatz über den Garten im Winter und was dann zu tun ist.</p>
    <div class="credits"><div>Text: <span>Ursula Beispiel</span></div></div></article>
    </body></html>"""
    post = extract_post(html, "https://x.example/titel/")
    assert [a["name"] for a in post["authors"]] == ["Ursula Beispiel"]
