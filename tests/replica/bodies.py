"""Post bodies: prose composed from the sentence pool, and the special bodies
that carry the edge cases (headings, lists, table, quote, images, links)."""

from __future__ import annotations

import random

from tests.replica.corpus import ENGLISH_SENTENCES, SENTENCES, seed_paragraphs
from tests.replica.model import Block, Image, Inline, Link

_FILLER_TOPIC = {"digital": "company"}


def prose(topic: str, seed: int, paragraphs: int = 4) -> list[Block]:
    """``paragraphs`` paragraphs of three sentences, no sentence used twice."""
    rng = random.Random(seed)
    if topic == "en":
        pool = rng.sample(ENGLISH_SENTENCES, len(ENGLISH_SENTENCES))
    else:
        own, filler = SENTENCES[topic], SENTENCES[_FILLER_TOPIC.get(topic, "digital")]
        pool = rng.sample(own, len(own)) + rng.sample(filler, len(filler))
    per = min(3, len(pool) // paragraphs) or 1
    return [Block("p", (" ".join(pool[i * per : (i + 1) * per]),)) for i in range(paragraphs)]


def seed_body() -> list[Block]:
    return [Block("p", (text,)) for text in seed_paragraphs()]


def linked_body(topic: str, seed: int, target_path: str, target_title: str) -> list[Block]:
    """Prose plus a paragraph linking a sibling post and an external site."""
    blocks = prose(topic, seed, 3)
    link = Link(f"„{target_title}“", target_path)
    external = Link("Website der Stadt Dortmund", "https://www.dortmund.de/")
    blocks.insert(
        1,
        Block(
            "p",
            (
                "Wie alles begann, haben wir im Beitrag ",
                link,
                " beschrieben. Aktuelle Zahlen veröffentlicht die ",
                external,
                ".",
            ),
        ),
    )
    return blocks


def long_body(seed: int) -> list[Block]:
    """The long post: h2/h3 headings, ul and ol lists, a table and a quote."""
    rng = random.Random(seed)
    pool = list(SENTENCES["security"])
    rng.shuffle(pool)
    return [
        Block("p", (" ".join(pool[0:3]),)),
        Block("h2", ("Was die DSGVO verlangt",)),
        Block("p", (" ".join(pool[3:5]),)),
        Block("h3", ("Die Grundsätze der Verarbeitung",)),
        Block("ul", items=_items(_PRINCIPLES)),
        Block("h3", ("Fristen und Meldepflichten",)),
        Block("table", rows=_DEADLINES),
        Block("h2", ("In fünf Schritten zur Umsetzung",)),
        Block("ol", items=_items(_STEPS)),
        Block("quote", items=(("Datenschutz ist kein Projekt, sondern eine Daueraufgabe.",),)),
        Block(
            "p",
            (
                "Den vollständigen Verordnungstext finden Sie auf ",
                Link("EUR-Lex", "https://eur-lex.europa.eu/eli/reg/2016/679/oj"),
                ". " + " ".join(pool[5:7]),
            ),
        ),
    ]


_PRINCIPLES = (
    "Rechtmäßigkeit, Verarbeitung nach Treu und Glauben, Transparenz",
    "Zweckbindung der erhobenen Daten",
    "Datenminimierung & Speicherbegrenzung",
    "Integrität und Vertraulichkeit",
)
_STEPS = (
    "Verarbeitungstätigkeiten erfassen",
    "Rechtsgrundlagen prüfen",
    "Technische und organisatorische Maßnahmen festlegen",
    "Beschäftigte schulen",
    "Prozesse regelmäßig überprüfen",
)
_DEADLINES = (
    ("Pflicht", "Frist"),
    ("Meldung einer Datenpanne", "72 Stunden"),
    ("Auskunft an Betroffene", "1 Monat"),
)


def _items(texts: tuple[str, ...]) -> tuple[Inline, ...]:
    return tuple((text,) for text in texts)


def image_body(seed: int, images: tuple[Image, Image]) -> list[Block]:
    """Prose with two body figures between the paragraphs."""
    paragraphs = prose("cloud", seed, 3)
    return [
        paragraphs[0],
        Block("figure", image=images[0]),
        paragraphs[1],
        Block("figure", image=images[1]),
        paragraphs[2],
    ]


def english_body(seed: int) -> list[Block]:
    return prose("en", seed, 3)


def update_paragraph() -> Block:
    """What edition 2 appends to an edited post."""
    return Block(
        "p",
        (
            (
                "Update: Inzwischen liegen die Ergebnisse weiterer Pilotprojekte vor. Wir haben"
                " den Beitrag entsprechend ergänzt."
            ),
        ),
    )
