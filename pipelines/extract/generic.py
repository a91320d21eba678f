"""Layer 4, generic: what any article page shows, for pages no other layer reads.

The body is the paragraph-dense element of the headline's article, else
trafilatura's main content (the last resort: it is the slowest step), widened
on WordPress pages to the row of page-builder text blocks it is one of;
dates are visible dates next to the headline, never a comment's or sidebar's;
the language is guessed from common words.  Same contract per field as
:mod:`pipelines.extract.declared`.
"""

from __future__ import annotations

import copy
import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html
from lxml.html import HtmlElement

from pipelines.extract.body import image_of, image_src
from pipelines.extract.dates import find_dates, iter_dates
from pipelines.extract.declared import strip_site_name
from pipelines.extract.page import Page, text_of

if TYPE_CHECKING:
    from trafilatura.settings import Document

DATE_WINDOW = 400
#: A dense body has this many characters of paragraphs, and this share of the article's.
DENSE_MIN_CHARS = 200
DENSE_SHARE = 0.8
#: A dense body holding less of the paragraph text than this is checked by trafilatura.
SURE_SHARE = 0.95
#: trafilatura's body replaces an unsure dense one when it has this share of its words.
CHECK_MIN_KEPT = 0.5
#: A first paragraph this long locates trafilatura's body on the page.
MODULE_MIN = 50
#: A row of at least this many blocks with one class is a builder's modules (two
#: may be a layout's columns: the post and its comments).
MODULES_MIN = 3
#: How far up from that paragraph a module may be.
MODULE_DEPTH = 5
#: Sibling modules replace trafilatura's body when they hold this much more text.
MODULE_GAIN = 1.3
STOPWORDS = {
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "auch", "sich", "ein", "eine", "für"},
    "en": {"the", "and", "is", "of", "to", "with", "that", "for", "this", "are", "not", "was"},
}
WORD = re.compile(r"\w+")
NOISE_MARK = "data-noise"
#: /year/[month/[day/]] followed by a slug (not a day archive, not a longer number)
URL_PERIOD = re.compile(
    r"/((?:19|20)\d\d)/(?:(0[1-9]|1[0-2])/(?:(0[1-9]|[12]\d|3[01])/)?)?(?=[^/\d])"
)


def title(page: Page) -> str | None:
    if page.h1 is not None and text_of(page.h1):
        return text_of(page.h1)
    found = page.root.find(".//title")
    return strip_site_name(page, text_of(found)) or None if found is not None else None


def published_at(page: Page) -> datetime | None:
    """The visible date next to the headline when it lies in the period the
    permalink names; else the permalink's day; else htmldate's reading of the
    page within that period (see :func:`url_period`, :func:`htmldate_date`)."""
    period, visible = url_period(page), visible_date(page)
    if visible is not None and _within(page, visible, period):
        return visible
    if period is not None and period[0] == period[1]:
        return page.date(period[0].isoformat())
    return htmldate_date(page, period)


def url_period(page: Page) -> tuple[date, date] | None:
    """The first and last day a dated permalink allows: ``/2014/05/18/slug/`` one
    day, ``/2011/12/slug/`` a month, ``/2016/slug/`` a year.  WordPress builds
    these from the post's publication date, so a date outside is someone
    else's (a comment's, an update's, a sidebar's)."""
    m = URL_PERIOD.search(urlsplit(page.url).path)
    if m is None:
        return None
    year, month, day = (int(g) if g else 0 for g in m.groups())
    try:
        if day:
            return date(year, month, day), date(year, month, day)
        if month:
            return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    except ValueError:  # 31 February: no date
        return None
    return date(year, 1, 1), date(year, 12, 31)


def htmldate_date(page: Page, period: tuple[date, date] | None = None) -> datetime | None:
    """htmldate's original (publication) date of the page, within ``period`` if
    given, the last resort: it knows many more markup and text conventions than
    ours, and is slow (it copies and cleans the tree), so it is asked only when
    nothing else answered.  It reads the page without comments, sidebars and
    footers, whose dates are someone else's."""
    from htmldate import find_date

    first, last = (period[0].isoformat(), period[1].isoformat()) if period else (None, None)
    found = find_date(_without_noise(page), url=page.url, original_date=True,
                      extensive_search=True, min_date=first, max_date=last)  # fmt: skip
    return page.date(found) if found else None


def _without_noise(page: Page) -> HtmlElement:
    """A copy of the page without its :data:`~pipelines.extract.selectors.NOISE` regions
    (marked on the page, copied, dropped from the copy: no search in the copy)."""
    for el in page.noise:
        el.set(NOISE_MARK, "1")
    tree = copy.deepcopy(page.root)
    for el in page.noise:
        el.attrib.pop(NOISE_MARK, None)
    for el in tree.xpath(f"//*[@{NOISE_MARK}]"):
        el.drop_tree()
    return cast(HtmlElement, tree)


def _within(page: Page, found: datetime, period: tuple[date, date] | None) -> bool:
    day = found.astimezone(ZoneInfo(page.profile.timezone)).date()
    return period is None or period[0] <= day <= period[1]


def visible_date(page: Page) -> datetime | None:
    """The visible date closest after the headline (else before it)."""
    searches: tuple[Callable[[], Iterable[str]], ...] = (
        lambda: iter_dates(_after_headline(page)),
        lambda: find_dates(_before_headline(page))[::-1],
    )
    for dates in searches:
        found = next((d for s in dates() if (d := page.date(s))), None)
        if found:
            return found
    return None


def _after_headline(page: Page) -> str:
    """The first DATE_WINDOW characters of post text after the headline."""
    after: list[str] = []
    for el in _texts_around(page, after=True):
        after.extend(t for t in (el.text, el.tail) if t and t.strip())
        if sum(map(len, after)) > DATE_WINDOW:
            break
    return " ".join(after)[:DATE_WINDOW]


def _before_headline(page: Page) -> str:
    """The last DATE_WINDOW characters of post text before the headline."""
    before = [t for el in _texts_around(page, after=False) for t in (el.text, el.tail)
              if t and t.strip()]  # fmt: skip
    return " ".join(before)[-DATE_WINDOW:]


def _texts_around(page: Page, after: bool) -> Iterator[HtmlElement]:
    """Post elements of the body (no scripts, styles) after or before the headline
    (the headline's own text and tail belong to neither), in document order."""
    body = page.body
    if page.h1 is None or body is None:
        return
    found = _following(page.h1, body) if after else _preceding(page.h1, body)
    for el in found:
        if isinstance(el.tag, str) and el.tag not in ("script", "style") and page.in_post(el):
            yield el


def _following(el: HtmlElement, body: HtmlElement) -> Iterator[HtmlElement]:
    """The elements of ``body`` after ``el`` starts, in document order (no walk
    over everything before it)."""
    yield from el.iterdescendants()
    node = el
    while node is not body and node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _preceding(el: HtmlElement, body: HtmlElement) -> Iterator[HtmlElement]:
    for found in body.iter():
        if found is el:
            return
        yield found


def body(page: Page) -> HtmlElement | None:
    """On WordPress pages the paragraph-dense element of the headline's article
    (see :func:`dense_body`) when it is sure, else trafilatura's main content.
    Elsewhere trafilatura is the better judge (news sites put teasers and ads
    between paragraphs), so it is asked first there."""
    if not page.is_wordpress:
        found = _trafilatura_body(page)
        return found if found is not None else dense_body(page)
    dense = _dense(page)
    if dense is None:
        return with_sibling_modules(page, _trafilatura_body(page))
    if _sure(dense[1]):
        return dense[0]
    return _checked(dense[0], _trafilatura_body(page))


def with_sibling_modules(page: Page, extracted: HtmlElement | None) -> HtmlElement | None:
    """trafilatura's body, or the text modules it is one of: page builders print a
    post as a row of blocks with one class (``editorial-module--text``), and
    trafilatura keeps the longest only.  The modules are the nearest ancestor of
    its first paragraph on the page that has siblings with exactly its class."""
    if extracted is None:
        return None
    modules = _modules(page, extracted)
    if modules is None:
        return extracted
    holder = cast(HtmlElement, lxml.html.Element("div"))
    holder.extend(copy.deepcopy(m) for m in modules)
    return holder


def _modules(page: Page, extracted: HtmlElement) -> list[HtmlElement] | None:
    """The row of same-class blocks that trafilatura's first paragraph sits in on
    the page, found by its text (trafilatura's output keeps no classes)."""
    first = next((text_of(p) for p in extracted.iter("p") if len(text_of(p)) >= MODULE_MIN), None)
    if first is None:
        return None
    shown = next((p for p in page.index.tag("p") if text_of(p) == first), None)
    if shown is None or not page.in_post(shown):
        return None
    for depth, ancestor in enumerate(shown.iterancestors()):
        parent = ancestor.getparent()
        if depth >= MODULE_DEPTH or parent is None or ancestor.tag in ("article", "main", "body"):
            return None
        kind = ancestor.get("class")
        same = [s for s in parent if s.get("class") == kind] if kind else []
        if len(same) >= MODULES_MIN:
            return _if_more(page, same, extracted)
    return None


def _if_more(
    page: Page, modules: list[HtmlElement], extracted: HtmlElement
) -> list[HtmlElement] | None:
    """The modules, when they hold clearly more than trafilatura kept and none is
    a post of its own (a headline inside: a list of teasers)."""
    if any(
        m.find(".//h1") is not None or m.tag == "article" or not page.in_post(m) for m in modules
    ):
        return None
    more = sum(len(text_of(m)) for m in modules)
    return modules if more >= MODULE_GAIN * len(text_of(extracted)) else None


def dense_body(page: Page) -> HtmlElement | None:
    """The element whose own paragraphs hold nearly all paragraph text of the
    headline's ``<article>``/``<main>`` (readability's idea, made strict): None
    when there is no such scope, too little text, or the text is spread out."""
    dense = _dense(page)
    return dense[0] if dense is not None else None


def _dense(page: Page) -> tuple[HtmlElement, float] | None:
    """:func:`dense_body`'s element and the share of the paragraph text inside it."""
    scope = _article_scope(page)
    if scope.tag not in ("article", "main"):
        return None
    scores: dict[HtmlElement, int] = {}
    for p in scope.iter("p"):
        parent = p.getparent()
        if parent is not None and page.in_post(p):
            scores[parent] = scores.get(parent, 0) + len(text_of(p))
    if not scores:
        return None
    best = max(scores, key=lambda el: scores[el])
    total = sum(scores.values())
    if scores[best] < DENSE_MIN_CHARS or scores[best] < DENSE_SHARE * total:
        return None
    if page.h1 is not None and _contains(best, page.h1):
        return None
    # paragraphs in its lists, tables and quotes are its own too
    inside = sum(n for el, n in scores.items() if el is best or _contains(best, el))
    return best, inside / total


def _sure(share: float) -> bool:
    """A dense element is trusted alone when all but a sliver of the article's
    paragraph text is inside it: otherwise a lead or a second row of a page
    builder may be lost, and trafilatura checks."""
    return share >= SURE_SHARE


def _checked(dense: HtmlElement, extracted: HtmlElement | None) -> HtmlElement:
    """trafilatura's body instead of an unsure dense one, unless trafilatura lost
    most of the dense text (then it picked the wrong part of the page)."""
    if extracted is None:
        return dense
    kept = len(text_of(extracted).split())
    return extracted if kept >= CHECK_MIN_KEPT * len(text_of(dense).split()) else dense


def _contains(ancestor: HtmlElement, el: HtmlElement) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _trafilatura_body(page: Page) -> HtmlElement | None:
    """trafilatura's main content as simplified HTML (``<body>``), or None."""
    from trafilatura.core import bare_extraction
    from trafilatura.htmlprocessing import convert_to_html

    # a Document, never a dict: as_dict is left False
    document = cast(
        "Document | None", bare_extraction(page.root, url=page.url, include_comments=False)
    )
    if document is None or document.body is None:
        return None
    import lxml.html

    html = convert_to_html(document.body)
    return lxml.html.fromstring(lxml.html.tostring(html, encoding="unicode")).find(".//body")


def language(page: Page) -> str | None:
    words = WORD.findall(text_of(_article_scope(page))[:5000].lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else None


def hero(page: Page) -> dict[str, Any] | None:
    """The first image in the headline's article before any long paragraph."""
    scope = _article_scope(page)
    for el in scope.iter("img", "p"):
        if el.tag == "p" and len(text_of(el)) > 100:
            return None
        if el.tag == "img" and image_src(el) and page.in_post(el):
            return image_of(page, el)
    return None


def _article_scope(page: Page) -> HtmlElement:
    if page.h1 is not None:
        for ancestor in page.h1.iterancestors():
            if ancestor.tag in ("article", "main"):
                return ancestor
    body = page.body
    return body if body is not None else page.root
