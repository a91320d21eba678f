"""The post's title: the headline the page shows, checked against the declared one.

Declared titles (JSON-LD ``headline``, ``og:title``) are often the SEO title: a
shorter or reworded headline, the site's name appended with a separator we
cannot know ("… › Nordish by Nature", "… • CareElite"), or HTML entities
escaped twice (``&#8222;``).  The headline a reader sees is the post's title,
so it wins whenever it tells the same story as the declared one (they share
words); when it shares none, the "headline" is a site slogan or a call to action
and the declared title stays.  A kicker printed in an element of its own at the
start of the headline ("<span>Forderungsausfälle vermeiden</span> Eigentums…")
is not part of the title.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.page import Page, clean_text, text_of

WORD = re.compile(r"\w+")
#: The headline tells the declared title's story when this share of its words is in it.
SHARED_WORDS = 0.5


def visible_headline(page: Page) -> tuple[str, str] | None:
    """(layer, text) of the headline the post shows: a theme's entry title, else the post's h1."""
    for layer, element in (("wordpress", _entry_title(page)), ("generic", page.h1)):
        if element is not None and text_of(element):
            return layer, text_of(element)
    return None


def _entry_title(page: Page) -> HtmlElement | None:
    return next(page.post_elements(page.select(S.TITLE)), None)


def shown_title(page: Page, declared: str, shown: str) -> str | None:
    """``shown`` when it is the post's title rather than ``declared`` (see the module
    doc); ``declared`` without its kicker when the headline only adds one; else None."""
    if _words(shown) == _words(declared):
        return shown if shown != declared else None
    if _kicker_before(page, shown, declared):
        return None
    return shown if _shared(shown, declared) >= SHARED_WORDS else None


def _kicker_before(page: Page, shown: str, declared: str) -> bool:
    """The headline is a kicker element's text followed by the declared title."""
    if not shown.endswith(declared) or shown == declared:
        return False
    kicker = clean_text(shown[: -len(declared)])
    heading = page.h1 if page.h1 is not None else _entry_title(page)
    if heading is None:
        return False
    return any(text_of(el) == kicker for el in heading.iterdescendants() if isinstance(el.tag, str))


def _shared(shown: str, declared: str) -> float:
    words = _words(shown)
    return len([w for w in words if w in set(_words(declared))]) / len(words) if words else 0.0


def _words(text: str) -> list[str]:
    return WORD.findall(text.casefold())
