"""Author names tidied after every layer: what a byline prints around a name.

German bylines put a label before the name and often a date after it ("von:
Rasender Reporter", "Jörg Staff am 16.11.2022"); a layer that reads the whole
line keeps them.  A label alone ("von", "Autor") is no author at all, and the
same person named twice (JSON-LD and the byline) is one author.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.extract.authors import unique_authors
from pipelines.extract.dates import find_dates
from pipelines.extract.page import clean_text

LABEL = r"(?:von|by|autor(?:in)?|author|verfasst von|geschrieben von|ein beitrag von|text)"
#: not before a surname's particles: "von der Leyen" is a name
LEADING_LABEL = re.compile(rf"^{LABEL}\s*:?\s+(?!(?:der|den|dem|zu)\b)", re.IGNORECASE)
ONLY_LABEL = re.compile(rf"^{LABEL}\s*:?$", re.IGNORECASE)
#: what joins a name to the date after it: "am", "on", a comma, a bar, a dash
DATE_JOINER = re.compile(r"(?:\s+(?:am|on|vom)|\s*[,|·–-])\s*$", re.IGNORECASE)


def tidy_authors(authors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``authors`` with tidied names (see the module doc), label-only ones dropped."""
    tidied = [{**author, "name": tidy_name(author["name"])} for author in authors]
    return unique_authors([author for author in tidied if author["name"]])


def tidy_name(name: str) -> str:
    """``name`` without a leading byline label and a trailing date; "" for a label alone."""
    name = clean_text(name)
    if ONLY_LABEL.match(name):
        return ""
    name = LEADING_LABEL.sub("", name)
    return _without_trailing_date(name)


def _without_trailing_date(name: str) -> str:
    dates = find_dates(name)
    if not dates:
        return name
    start = name.find(dates[0])
    if start <= 0:
        return name
    return DATE_JOINER.sub("", name[:start].rstrip()).strip()
