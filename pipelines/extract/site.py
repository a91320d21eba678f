"""Layer 3, the site profile: a site's own selectors, then its visible labels.

Labels make unknown themes readable: a ``<strong>Schlagwörter:</strong>``
followed by links is the tag list, a box headed "Autoreninfo" is the author
box, a short line starting with "Von" is the byline.  Same contract per field
as :mod:`pipelines.extract.declared`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from datetime import datetime
from functools import cache
from itertools import accumulate
from typing import Any, TypeVar, cast

from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.authors import box_bio, box_labels, byline_authors
from pipelines.extract.body import image_of
from pipelines.extract.declared import strip_site_name
from pipelines.extract.navigation import nav_link, related_entries
from pipelines.extract.page import Page, text_of

BYLINE_MAX = 160
BOX_MIN_TEXT = 40
MAX_TERMS = 30
INLINE = frozenset({"strong", "b", "em", "i", "span", "label"})
SEPARATOR = "\x00"  # never in a parsed text node
#: what may stand right before a byline word in its text ("28. November 2018 | Von")
BYLINE_OPENERS = "|·•"
#: the end of a date or time a byline starts with ("11.09.2011, 16:20 von Anna")
DATE_END = r"(?:\d{4}|\d:\d{2})(?:\s*Uhr)?,?"
#: the text nodes of an element, as strings that know their element (one XPath
#: for all of them costs less than a second one that picks the few labels out)
TEXTS = etree.XPath(".//text()")
_SEPARATORS = re.compile(SEPARATOR)
_ENDS_WITH_DATE = re.compile(rf"{DATE_END}\Z", re.IGNORECASE)


def _selected(page: Page, field: str) -> list[HtmlElement]:
    for selector in page.profile.selector(field):
        found = list(page.post_elements(page.select(S.compiled(selector))))
        if found:
            return found
    return []


def _first(page: Page, field: str) -> HtmlElement | None:
    return next(iter(_selected(page, field)), None)


def label_hits(page: Page, role: str) -> list[HtmlElement]:
    """Elements whose own text (or the text right before their tail) is one of ``role``'s labels."""
    return _hits(page).get(role, [])


_T = TypeVar("_T")


def _once(page: Page, compute: Callable[[Page], _T]) -> _T:
    """``compute(page)``, worked out once per page (kept in ``page.memo``)."""
    name = compute.__name__
    if name not in page.memo:
        page.memo[name] = compute(page)
    return cast(_T, page.memo[name])


def _hits(page: Page) -> dict[str, list[HtmlElement]]:
    return _once(page, _find_labels)


def _find_labels(page: Page) -> dict[str, list[HtmlElement]]:
    body = page.body
    if body is None:
        return {}
    texts: list[Any] = TEXTS(body)
    wanted, by = _label_index(page.profile), _by_pattern(page.profile)
    roles: dict[int, str] = {}
    for position in _candidates(page.profile, texts):
        node = texts[position]
        text = node.strip()
        if len(node) > BYLINE_MAX * 2 or not text or len(text) > BYLINE_MAX:
            continue
        role = wanted.get(text.casefold()) or ("by" if by.search(text) else None)
        if role:
            roles[position] = role
    found: dict[str, list[HtmlElement]] = {}
    for position, role in roles.items():
        label = label_element(texts[position])
        if role == "comment_form" or page.in_post(label):
            found.setdefault(role, []).append(label)
    return found


def label_element(node: Any) -> HtmlElement:
    """The element a label text node names: its own element, or for a tail text
    (``<b>x</b>Schlagwörter:``) the element around both."""
    owner: HtmlElement = node.getparent()
    parent = owner.getparent()
    return parent if node.is_tail and parent is not None else owner


def _candidates(profile: Any, texts: list[str]) -> list[int]:
    """Positions in ``texts`` that may hold a label, found by regex scans of all
    texts joined and case-folded (a superset of the exact test, which a loop over
    every text node would cost more to run).  Each pattern starts with a literal
    the regex engine can skip to; a byline word is then kept only where a text,
    a ``|`` or a date ends right before it."""
    joined = SEPARATOR + SEPARATOR.join(texts)
    folded = joined.casefold()  # separators stay put
    labels, by = _joined_patterns(profile)
    offsets = [m.start() for m in labels.finditer(folded)]
    offsets += [at for at in _word_starts(folded, by) if _starts_byline(folded, at)]
    # case folding only ever lengthens characters ("ß" to "ss"): with the length
    # unchanged every text starts where the texts' lengths say
    starts = _text_starts(texts) if len(folded) == len(joined) else None
    return sorted(_text_positions(folded, offsets, starts))


def _starts_byline(folded: str, offset: int) -> bool:
    before = folded[max(0, offset - 40) : offset].rstrip()
    return (
        not before
        or before[-1] in SEPARATOR + BYLINE_OPENERS
        or bool(_ENDS_WITH_DATE.search(before))
    )


def _text_positions(joined: str, offsets: list[int], starts: list[int] | None) -> set[int]:
    """Which text of ``joined`` each offset falls in (``starts``: where each
    text's separator stands, when known)."""
    if not offsets:
        return set()
    if starts is None:
        starts = [m.start() for m in _SEPARATORS.finditer(joined)]
    return {bisect_right(starts, offset) - 1 for offset in offsets}


def _text_starts(texts: list[str]) -> list[int]:
    """Where each text's separator stands in the texts joined by :data:`SEPARATOR`."""
    return list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))


@cache
def _joined_patterns(profile: Any) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """:func:`_label_index` as a pattern for case-folded texts joined by SEPARATOR,
    and the case-folded byline words (see :func:`_word_starts`)."""
    keys = sorted(_label_index(profile), key=len, reverse=True)
    labels = "|".join(re.escape(key) for key in keys) or "(?!)"
    words = tuple(w for w in (label.casefold() for label in profile.label("by")) if w)
    return re.compile(rf"{SEPARATOR}\s*(?:{labels})\s*(?={SEPARATOR}|\Z)"), words


def _word_starts(folded: str, words: tuple[str, ...]) -> list[int]:
    r"""Where a byline word ends a text or stands before white space, as the
    pattern ``(?:w1|w2|…)(?=\s|SEPARATOR|\Z)`` would find them one after the
    other (at one place the first word that fits; the next search after its
    end), but with ``str.find``: the words share no literal start a regex could
    skip to, and most of them are common letters."""
    first: dict[int, int] = {}
    for rank, word in enumerate(words):
        at = folded.find(word)
        while at != -1:
            end = at + len(word)
            if end == len(folded) or folded[end] == SEPARATOR or folded[end].isspace():
                first.setdefault(at, rank)
            at = folded.find(word, at + 1)
    found, free = [], 0
    for at in sorted(first):
        if at >= free:
            found.append(at)
            free = at + len(words[first[at]])
    return found


@cache
def _by_pattern(profile: Any) -> re.Pattern[str]:
    """Matches "Von Anna", "Von", "28. November 2018 | Von …" and
    "11.09.2011, 16:20 von …" texts."""
    labels = "|".join(re.escape(label) for label in profile.label("by")) or "(?!)"
    openers = re.escape(BYLINE_OPENERS)
    return re.compile(rf"(?:^|[{openers}]|{DATE_END})\s*(?:{labels})(?:\s|$)", re.IGNORECASE)


@cache
def _label_index(profile: Any) -> dict[str, str]:
    index: dict[str, str] = {}
    for role in (
        "tags",
        "categories",
        "author_box",
        "by",
        "related",
        "previous",
        "next",
        "comment_form",
    ):
        for label in profile.label(role):
            index.setdefault(label.casefold(), role)
    return index


def title(page: Page) -> str | None:
    el = _first(page, "title")
    return strip_site_name(page, text_of(el)) or None if el is not None else None


def published_at(page: Page) -> datetime | None:
    return _date(page, "published_at")


def modified_at(page: Page) -> datetime | None:
    return _date(page, "modified_at")


def _date(page: Page, field: str) -> datetime | None:
    el = _first(page, field)
    return page.date(el.get("datetime") or text_of(el)) if el is not None else None


def authors(page: Page) -> list[dict[str, Any]]:
    byline = _first(page, "authors")
    if byline is None:
        byline = next((el for el in label_hits(page, "by") if page.in_post(el)
                       and len(text_of(el)) <= BYLINE_MAX), None)  # fmt: skip
    return byline_authors(page, byline) if byline is not None else []


def bios(page: Page) -> list[tuple[str | None, str]]:
    boxes = _selected(page, "author_box") or [_box(el) for el in label_hits(page, "author_box")]
    found = []
    for box in boxes:
        name, bio = box_bio(box, box_labels(page), page.index)
        if bio:
            found.append((name, bio))
    return found


def _box(label: HtmlElement) -> HtmlElement:
    box = label
    for _ in range(3):
        if len(text_of(box)) - len(text_of(label)) >= BOX_MIN_TEXT or box.getparent() is None:
            break
        box = box.getparent()
    return box


def tags(page: Page) -> list[str]:
    return _terms(page, "tags")


def categories(page: Page) -> list[str]:
    return _terms(page, "categories")


def _terms(page: Page, role: str) -> list[str]:
    selected = _selected(page, role)
    if selected:
        return [text_of(el) for el in selected if text_of(el)]
    for label in label_hits(page, role):
        links = labelled_links(label)
        if links:
            return [text_of(a) for a in links if text_of(a)]
    return []


def labelled_links(label: HtmlElement) -> list[HtmlElement]:
    """The links a label introduces: inside it, in its following siblings, or the next element."""
    inside = S.LINKS(label)
    if inside:
        return inside
    return [a for sibling in label.itersiblings() for a in S.LINKS(sibling)][:MAX_TERMS]


def label_regions(page: Page) -> list[HtmlElement]:
    """Elements that labels mark as not body: tag/category lines, author boxes, comment forms."""
    terms = [*label_hits(page, "tags"), *label_hits(page, "categories")]
    regions = [_line(label) for label in terms]
    regions += [_box(label) for label in label_hits(page, "author_box")]
    regions += [el for label in label_hits(page, "related") for el in _regions(page)[label]]
    return regions + label_hits(page, "comment_form")


def _regions(page: Page) -> dict[HtmlElement, list[HtmlElement]]:
    """:func:`related_region` of each related label, found once per page: the body
    leaves them out and the related field reads them."""
    return _once(page, _related_regions)


def _related_regions(page: Page) -> dict[HtmlElement, list[HtmlElement]]:
    return {label: related_region(label) for label in label_hits(page, "related")}


def _line(label: HtmlElement) -> HtmlElement:
    parent = label.getparent()
    return parent if label.tag in INLINE and parent is not None else label


def body(page: Page) -> HtmlElement | None:
    return _first(page, "body")


def language(page: Page) -> str | None:
    return page.profile.language or None


def hero(page: Page) -> dict[str, Any] | None:
    el = _first(page, "hero")
    img = el if el is None or el.tag == "img" else next(el.iter("img"), None)
    return image_of(page, img) if img is not None else None


def previous(page: Page) -> dict[str, Any] | None:
    return _adjacent(page, "previous")


def next_post(page: Page) -> dict[str, Any] | None:
    return _adjacent(page, "next")


def _adjacent(page: Page, field: str) -> dict[str, Any] | None:
    el = _first(page, field)
    if el is None:
        el = next((a for label in label_hits(page, field) for a in labelled_links(label)), None)
    a = el if el is None or el.tag == "a" else next(iter(S.LINKS(el)), None)
    return nav_link(page, a, field) if a is not None else None


def related(page: Page) -> list[dict[str, Any]]:
    box = _first(page, "related")
    if box is not None:
        return related_entries(page, box)
    label = next(iter(label_hits(page, "related")), None)
    if label is None:
        return []
    return [entry for el in _regions(page)[label] for entry in related_entries(page, el)]


def related_region(label: HtmlElement) -> list[HtmlElement]:
    """The related-posts box a heading such as "Ähnliche Beiträge" introduces: its
    parent when that holds nothing but the heading and links, else the heading and
    the element after it (a box pasted into the post content has no wrapper)."""
    parent = label.getparent()
    if parent is not None and _links_only(parent, label):
        return [parent]
    following = label.getnext()
    return [label] if following is None else [label, following]


def _links_only(box: HtmlElement, label: HtmlElement) -> bool:
    rest = len(text_of(box)) - len(text_of(label))
    rest -= sum(len(text_of(a)) for a in S.LINKS(box))
    return rest <= BOX_MIN_TEXT
