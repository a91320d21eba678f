"""Author names tidied after every layer: what a byline prints around a name.

German bylines put a label before the name and often a date after it ("von:
Rasender Reporter", "Jörg Staff am 16.11.2022"); a layer that reads the whole
line keeps them.  A label alone ("von", "Autor") is no author at all, and the
same person named twice (JSON-LD and the byline) is one author.  The labels are
the site profile's ``by`` labels (``pipelines/profiles/default.toml``), the
same the profile layer finds bylines with: one list of byline words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from pipelines.extract.authors import unique_authors
from pipelines.extract.dates import find_dates
from pipelines.extract.page import clean_text
from pipelines.profile import DEFAULT, load_profile

#: what joins a name to the date after it: "am", "on", a comma, a bar, a dash
DATE_JOINER = re.compile(r"(?:\s+(?:am|on|vom)|\s*[,|·–-])\s*$", re.IGNORECASE)


def tidy_authors(
    authors: list[dict[str, Any]], labels: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """``authors`` with tidied names (see the module doc), label-only ones dropped.
    ``labels``: the profile's ``by`` labels (default: the default profile's)."""
    tidied = [{**author, "name": tidy_name(author["name"], labels)} for author in authors]
    return unique_authors([author for author in tidied if author["name"]])


def tidy_name(name: str, labels: Sequence[str] | None = None) -> str:
    """``name`` without a leading byline label and a trailing date; "" for a label alone."""
    leading, only = _label_patterns(tuple(_by_labels() if labels is None else labels))
    name = clean_text(name)
    if only.match(name):
        return ""
    name = leading.sub("", name)
    return _without_trailing_date(name)


def _by_labels() -> list[str]:
    return load_profile(DEFAULT).label("by")


@cache
def _label_patterns(labels: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A label before a name, and a label alone; each label with or without its
    colon ("Autor:" also reads "Autor Anna"), never before a surname's particles
    ("von der Leyen" is a name)."""
    words = {clean_text(label).rstrip(":").strip().casefold() for label in labels}
    label = "|".join(re.escape(w) for w in sorted(words - {""}, key=len, reverse=True))
    label = f"(?:{label or '(?!)'})"
    return (
        re.compile(rf"^{label}\s*:?\s+(?!(?:der|den|dem|zu)\b)", re.IGNORECASE),
        re.compile(rf"^{label}\s*:?$", re.IGNORECASE),
    )


def _without_trailing_date(name: str) -> str:
    dates = find_dates(name)
    if not dates:
        return name
    start = name.find(dates[0])
    if start <= 0:
        return name
    return DATE_JOINER.sub("", name[:start].rstrip()).strip()
