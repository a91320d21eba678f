"""The lead (standfirst) that a theme prints in the headline's header, outside the body.

Magazine and news themes show a post's excerpt or intro paragraph right under
the headline, in the same ``<header>`` (``entry-header``, a hero block), and
the content element starts only after it; readers and annotators take it as
the body's first paragraph.  A lead is a paragraph of sentence length there:
bylines, dates and breadcrumbs are short or mostly links, and are left out.

Read on WordPress pages only: news sites print a deck there that the article
benchmark's annotators leave out of the body (measured: it cost its F1 0.001).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from pipelines.extract.page import Page, text_of

#: A lead is at least this long: bylines, dates and category lines are shorter.
LEAD_MIN_CHARS = 80
#: A block whose link text is at least this share of its text is navigation.
LINK_SHARE = 0.5
#: The headline's header: a ``<header>``, or a block whose class says header or hero.
HEADER_CLASS = re.compile(r"header|hero", re.IGNORECASE)
#: Classes that name a lead block (``entry-excerpt``, ``lead``, ``intro``, ``teaser``).
LEAD_CLASS = re.compile(r"lead|intro|excerpt|teaser|standfirst", re.IGNORECASE)
#: Classes of header parts that are never the lead (``entry-meta``, a byline).
META_CLASS = re.compile(r"meta|byline|breadcrumb|author|date|caption", re.IGNORECASE)
SCOPES = ("article", "main", "body")


def lead_blocks(page: Page) -> list[str]:
    """The texts of the lead paragraphs after the headline in its header, in order."""
    header = headline_header(page)
    if header is None or page.h1 is None:
        return []
    found: list[HtmlElement] = []
    for el in _after(page.h1, header):
        if not _candidate(el, header) or any(_inside(el, f) for f in found):
            continue
        if page.in_post(el) and _reads_as_lead(el):
            found.append(el)
    # asked last: finding the generator's marks costs more than the rest
    return [text_of(el) for el in found] if found and page.is_wordpress else []


def headline_header(page: Page) -> HtmlElement | None:
    """The nearest ``<header>`` (or header/hero block) around the headline, inside
    its article; None when the headline stands in the article itself."""
    if page.h1 is None:
        return None
    for ancestor in page.h1.iterancestors():
        if ancestor.tag in SCOPES:
            return None
        if ancestor.tag == "header" or HEADER_CLASS.search(ancestor.get("class") or ""):
            return ancestor
    return None


def _after(h1: HtmlElement, header: HtmlElement) -> Iterator[HtmlElement]:
    """The elements of ``header`` after the headline, in document order (its
    following siblings and theirs up to ``header``: no walk over what precedes)."""
    node: HtmlElement | None = h1
    while node is not None and node is not header:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _candidate(el: HtmlElement, header: HtmlElement) -> bool:
    """A paragraph, or a block a lead class names, not in the header's meta parts."""
    if not isinstance(el.tag, str):
        return False
    if el.tag != "p" and not LEAD_CLASS.search(el.get("class") or ""):
        return False
    for node in (el, *el.iterancestors()):
        if node is header:
            return True
        if node.tag in ("figure", "nav") or META_CLASS.search(node.get("class") or ""):
            return False
    return True


def _reads_as_lead(el: HtmlElement) -> bool:
    text = text_of(el)
    linked = sum(len(text_of(a)) for a in el.iter("a"))
    return len(text) >= LEAD_MIN_CHARS and linked < LINK_SHARE * len(text)


def _inside(el: HtmlElement, scope: HtmlElement) -> bool:
    return any(a is scope for a in el.iterancestors())
