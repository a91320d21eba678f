"""Reading authors from bylines and bios from author boxes, whatever layer found them.

A byline lists authors in order; with links each link is one author (Co-Authors
Plus prints ``<a>Anna</a> und <a>Jan</a>``), without links the text is split on
"und", "and", "&" and commas.  An author is ``{"name", "url", "bio"}``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.css import Index
from pipelines.extract.page import Page, clean_text, text_of

SEPARATORS = re.compile(r"\s*(?:,|&|\bund\b|\band\b|\bsowie\b)\s*", re.IGNORECASE)
AUTHOR_URL = re.compile(r"/(?:author|autor|autoren|authors)/", re.IGNORECASE)
NAME_MAX = 60
NAME_WORDS_MAX = 6
#: Lower-case words that belong to names ("Ursula von der Leyen", "Vincent van Gogh").
NAME_PARTICLES = frozenset(
    [
        "von",
        "vom",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "dos",
        "zu",
        "zum",
        "zur",
        "ten",
        "ter",
        "le",
        "la",
        "al",
        "bin",
        "y",
    ]
)
#: a time after the name ("posted by Anna at 12:53", "von Anna um 9:30 Uhr")
BYLINE_TIME = re.compile(r"\s+(?:at|um)\s+\d{1,2}:\d{2}(?:\s*Uhr)?\b.*$", re.IGNORECASE)


def is_name(text: str) -> bool:
    """Whether ``text`` reads as a person's (or a team's) name rather than a sentence.

    Themes put sentences in author links ("View all of Anna's posts.", "Alle
    Beiträge von Anna anzeigen") and dates in bylines: a name has no digits, no
    sentence end, at most a few words, and every word of several capitalised but
    for particles such as "von".  A single word passes (logins such as "admin")."""
    words = text.split()
    if not words or len(text) > NAME_MAX or len(words) > NAME_WORDS_MAX:
        return False
    if any(c.isdigit() for c in text) or text.endswith(("!", "?", ":")):
        return False
    if len(words) == 1:
        return not text.endswith(".")
    if text.endswith(".") and len(words[-1]) > 3:
        return False
    return all(_name_word(word) for word in words)


def _name_word(word: str) -> bool:
    letters = word.lstrip("(\"'„“‘")
    return (
        not letters
        or not letters[0].isalpha()
        or letters[0].isupper()
        or (letters.casefold() in NAME_PARTICLES)
    )


def split_names(text: str, by_labels: list[str] | None = None) -> list[str]:
    """Names in a byline text such as ``"Von Anna Schmidt und Jan Meyer"``."""
    text = BYLINE_TIME.sub("", clean_text(text)).strip()
    for label in by_labels or []:
        at = _label_at(text, label)
        if at is not None:
            text = text[at + len(label) :].strip()
            break
    names = [n.strip(" :·|") for n in SEPARATORS.split(text)]
    return [n for n in names if is_name(n)]


def _label_at(text: str, label: str) -> int | None:
    """Where ``label`` starts the byline, or follows the date it starts with."""
    folded, key = text.casefold(), label.casefold()
    if folded.startswith(key + " "):
        return 0
    m = _after_date(key).search(folded)
    return m.end() - len(key) - 1 if m else None


@cache
def _after_date(key: str) -> re.Pattern[str]:
    """``key`` after the date or time a byline starts with (compiled once per label)."""
    return re.compile(rf"(?:\d{{4}}|\d:\d{{2}})(?:\s*uhr)?,?\s+{re.escape(key)}\s")


def byline_authors(page: Page, byline: HtmlElement) -> list[dict[str, Any]]:
    """Authors in ``byline``: its author links, or its text split into names."""
    links = [a for a in S.LINKS(byline) if _is_author_link(a) and is_name(text_of(a))]
    if not links and byline.tag == "a" and is_name(text_of(byline)):
        links = [byline]
    if links:
        found = [
            {"name": text_of(a), "url": page.absolute(a.get("href")), "bio": None} for a in links
        ]
    else:
        names = split_names(text_of(byline), page.profile.label("by"))
        found = [{"name": n, "url": None, "bio": None} for n in names]
    return unique_authors(found)


def box_author(
    page: Page, box: HtmlElement, labels: list[str], index: Index | None = None
) -> dict[str, Any] | None:
    """The author an author box is about: the name its heading gives ("By Anna
    Schmidt", "Über Anna Schmidt") and the box's link to the author archive."""
    name, bio = box_bio(box, labels, index)
    if name is None:
        return None
    link = next((a for a in S.LINKS(box) if _is_author_link(a)), None)
    url = page.absolute(link.get("href")) if link is not None else None
    return {"name": name, "url": url, "bio": bio}


def _is_author_link(a: HtmlElement) -> bool:
    classes = a.get("class") or ""
    return ("author" in a.get("rel", "") or AUTHOR_URL.search(a.get("href", "")) is not None
            or "fn" in classes.split() or "author" in classes)  # fmt: skip


def unique_authors(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for author in found:
        seen.setdefault(author["name"].casefold(), author)
    return list(seen.values())


def box_labels(page: Page) -> list[str]:
    """Texts in an author box that are neither name nor bio: its heading and "Von"."""
    return [*page.profile.label("author_box"), *page.profile.label("by")]


def box_bio(
    box: HtmlElement, labels: list[str], index: Index | None = None
) -> tuple[str | None, str | None]:
    """``(name, bio)`` of an author box: the name from its heading/name element,
    the bio from its bio element, or else its paragraphs without the label.
    ``index``: the page's, when ``box`` is part of it (see :class:`S.Selector`)."""
    named = [el for el in S.AUTHOR_BOX_NAME(box, index) if text_of(el) not in labels]
    name = next((n for el in named for n in split_names(text_of(el), labels)[:1]), None)
    bio_el = next(iter(S.AUTHOR_BOX_BIO(box, index)), None)
    paragraphs = bio_el.iter("p") if bio_el is not None else box.iter("p")
    texts = [text_of(p) for p in paragraphs if p not in named and not _name_only(p)]
    bio = " ".join(t for t in texts if t and t not in labels and t != name)
    if not bio and bio_el is not None:
        bio = text_of(bio_el)
    return name, bio or None


def attach_bios(authors: list[dict[str, Any]], bios: list[tuple[str | None, str]]) -> None:
    """Give each author without a bio the bio whose box names them (or the only one)."""
    for author in authors:
        if author.get("bio"):
            continue
        named = [bio for name, bio in bios if _same_person(author["name"], name, bio)]
        if named:
            author["bio"] = named[0]
        elif len(authors) == 1 and len(bios) == 1:
            author["bio"] = bios[0][1]


def _same_person(author: str, box_name: str | None, bio: str) -> bool:
    key = author.casefold()
    if box_name:
        return key in box_name.casefold()
    return key in bio.casefold()


def _name_only(paragraph: HtmlElement) -> bool:
    """A paragraph that is just a linked name (``<p><a>Anna Schmidt</a></p>``)."""
    text = text_of(paragraph)
    return len(text) <= NAME_MAX and any(text_of(a) == text for a in S.LINKS(paragraph))
