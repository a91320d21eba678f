"""The project's one date parser, and the finder of visible dates in text.

:func:`parse_date` returns tz-aware UTC datetimes.  A source without a time
means midnight in the site's timezone; a time without an offset is local time
there.  Machine-readable forms (ISO 8601) and the usual German and English
visible forms are parsed by hand; dateparser, which is slow, is only asked
when none of those match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

MIN_YEAR, MAX_YEAR = 1990, 2100

MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1, "january": 1,
    "februar": 2, "feb": 2, "february": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-zäÄ]{3,9})\.?"
_TIME = r"(?:,?\s+(?:um\s+|at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s*Uhr)?)?"
NUMERIC = re.compile(
    r"(?P<day>\d{1,2})\.\s?(?P<mon>\d{1,2})\.\s?(?P<year>\d{4}|\d{2}(?![\d.]))" + _TIME
)
DAY_MONTH = re.compile(r"(?P<day>\d{1,2})\.?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME)
MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,\s+(?P<year>\d{4})" + _TIME)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RELATIVE = re.compile(
    r"\b(?:vor\s+(?P<de_n>\d+|einer?|einem)\s+(?P<de_unit>Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)"
    r"|(?P<en_n>\d+|an?|one)\s+(?P<en_unit>minutes?|hours?|days?|weeks?|months?|years?)\s+ago"
    r"|(?P<word>gestern|heute|yesterday|today))\b",
    re.IGNORECASE,
)
UNIT_DAYS = {
    "min": 1 / 1440, "minute": 1 / 1440, "stunde": 1 / 24, "hour": 1 / 24, "tag": 1, "day": 1,
    "woche": 7, "week": 7, "monat": 30, "month": 30, "jahr": 365, "year": 365,
}  # fmt: skip
WORD_DAYS = {"heute": 0, "today": 0, "gestern": 1, "yesterday": 1}
#: Visible dates a page may show; :func:`find_dates` returns them in text order.
#: A visible date keeps the time written right after it ("11.09.2011, 16:20");
#: a numeric date may have a two-digit year ("17.7.11", German blog date headers).
_VISIBLE_TIME = r"(?:,?\s+(?:um\s+|at\s+)?\d{1,2}:\d{2}\b(?:\s*Uhr)?)?"
VISIBLE = re.compile(
    r"(?<![\d.])\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}\b|\d{2}\b(?![\d.]))"
    + _VISIBLE_TIME
    + r"|\b\d{1,2}\.?\s+[A-Za-zäÄ]{3,9}\.?,?\s+\d{4}\b"
    + _VISIBLE_TIME
    + r"|\b[A-Za-zäÄ]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s+\d{4}\b"
    + _VISIBLE_TIME
    + r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\bvor\s+(?:\d+|einer?|einem)\s+(?:Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)\b"
    r"|\b(?:\d+|an?|one)\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)


def parse_date(
    text: str | None, timezone: str = "Europe/Berlin", now: datetime | None = None
) -> datetime | None:
    """``text`` as a UTC datetime, or None when it is no date (or an implausible year)."""
    text = (text or "").strip()
    if not text:
        return None
    tz = _zone(timezone)
    for parse in (_iso, _visible):
        found = parse(text, tz)
        if found is not None:
            return _plausible(found)
    relative = _relative(text, now)
    if relative is not None:
        return relative
    return _plausible(_dateparser(text, timezone, now))


def find_dates(text: str) -> list[str]:
    """Substrings of ``text`` that look like dates, in text order."""
    return list(iter_dates(text))


def iter_dates(text: str) -> Iterator[str]:
    """:func:`find_dates` one by one: a caller that wants the first date that
    parses stops the scan there (the pattern is slow to run over a whole text)."""
    return (m.group(0) for m in VISIBLE.finditer(text))


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(day: tuple[int, int, int], time: tuple[int, int], tz: ZoneInfo) -> datetime:
    return datetime(*day, *time, tzinfo=tz).astimezone(UTC)


def _iso(text: str, tz: ZoneInfo) -> datetime | None:
    if not ISO_DATE.match(text):
        return None
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=tz)
    return found.astimezone(UTC)


def _visible(text: str, tz: ZoneInfo) -> datetime | None:
    for pattern in (NUMERIC, DAY_MONTH, MONTH_DAY):
        m = pattern.search(text)
        if m is None:
            continue
        parts = m.groupdict()
        month = int(parts["mon"]) if parts.get("mon") else MONTHS.get(parts["month"].lower())
        if month is None:
            continue
        try:
            day = (_year(parts["year"]), month, int(parts["day"]))
            return _local(day, (int(parts["hour"] or 0), int(parts["minute"] or 0)), tz)
        except ValueError:
            return None
    return None


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one of this century ("11" is 2011)."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def _relative(text: str, now: datetime | None) -> datetime | None:
    m = RELATIVE.fullmatch(text)
    if m is None:
        return None
    base = (now or datetime.now(UTC)).astimezone(UTC)
    if m["word"]:
        return base - timedelta(days=WORD_DAYS[m["word"].lower()])
    count, unit = (m["de_n"], m["de_unit"]) if m["de_n"] else (m["en_n"], m["en_unit"])
    n = int(count) if count.isdigit() else 1
    key = next(k for k in UNIT_DAYS if unit.lower().startswith(k))
    return base - timedelta(days=n * UNIT_DAYS[key])


def _dateparser(text: str, timezone: str, now: datetime | None) -> datetime | None:
    import dateparser

    settings: dict[str, object] = {
        "TIMEZONE": timezone,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
    }
    if now is not None:
        settings["RELATIVE_BASE"] = now.astimezone(_zone(timezone)).replace(tzinfo=None)
    found = dateparser.parse(text, languages=["de", "en"], settings=settings)
    return found.astimezone(UTC) if found is not None else None


def _plausible(found: datetime | None) -> datetime | None:
    if found is None or not MIN_YEAR <= found.year <= MAX_YEAR:
        return None
    return found
