"""From the element that holds a post's body to its text, HTML, links and images.

``body_text`` is blocks joined by a blank line; a block is the inline text of a
paragraph, heading, ONE list item, ONE table cell or any other block-level
element, whitespace collapsed.  Captions, credit lines, share buttons, related
boxes, author boxes, comments and forms are not part of it.  ``body_html`` is
the same body with captions kept, sanitised by nh3 with absolute URLs.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import nh3
from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract import selectors as S
from pipelines.extract.page import Page, clean_text, text_content, text_of

BLOCK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "pre",
        "blockquote",
        "figcaption",
        "caption",
        "div",
        "section",
        "article",
        "ul",
        "ol",
        "dl",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "figure",
        "header",
        "footer",
        "main",
        "address",
        "hr",
        "details",
        "summary",
        "center",
    ]
)
CREDIT = re.compile(
    r"^(?:©|\(c\)|copyright\b|fotos?:|bild:|bildquelle:|quelle:|photo:|image:)", re.IGNORECASE
)
CREDIT_MAX = 160
WIDGET_LINES = 2
SIZE_SUFFIX = re.compile(r"(?:-\d+x\d+|-scaled|-e\d{10,})+(?=\.[a-z0-9]+$)", re.IGNORECASE)
NOT_BODY = "data-not-body"
MARKED_NOT_BODY = etree.XPath(f".//*[@{NOT_BODY}]")
#: Share endpoints of social networks and mail: a link there shares the page.
SHARE_URL = re.compile(
    r"facebook\.com/shar|twitter\.com/(?:intent|share)|x\.com/intent|pinterest\.[a-z.]+/pin/create"
    r"|linkedin\.com/share|xing\.com/(?:spi/)?share|api\.whatsapp\.com/send|wa\.me/\?"
    r"|reddit\.com/submit|t\.me/share|^mailto:\?",
    re.IGNORECASE,
)
#: Text a share box may show beside its links ("Möchten Sie den Artikel teilen?").
SHARE_LABEL_MAX = 60
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "src")


@dataclass(frozen=True)
class Body:
    text: str
    html: str
    links: list[dict[str, str]]
    images: list[dict[str, Any]]


def read_body(page: Page, element: HtmlElement, labels_noise: list[HtmlElement]) -> Body:
    """The body below ``element``; ``labels_noise`` are extra elements to leave out."""
    tree = _cleaned_copy(page, element, labels_noise)
    _absolute_links(page, tree)
    images = [image_of(page, img) for img in S.IMAGES(tree) if image_src(img)]
    links = _links(tree)
    html = _sanitised(tree)
    for caption in S.CAPTIONS(tree):
        caption.drop_tree()
    text = "\n\n".join(b for b in blocks(tree) if not _is_credit(b))
    return Body(text, html, links, images)


def _cleaned_copy(page: Page, element: HtmlElement, extra: list[HtmlElement]) -> HtmlElement:
    # found on the indexed page, marked, copied, then dropped from the copy
    marked = [*extra, *_body_noise(page, element)]
    for el in marked:
        el.set(NOT_BODY, "1")
    tree = copy.deepcopy(element)
    for el in marked:
        el.attrib.pop(NOT_BODY, None)
    for el in MARKED_NOT_BODY(tree):
        if el.getparent() is not None:
            el.drop_tree()
    for img in S.IMAGES(tree):
        src = image_src(img)
        if src:
            img.set("src", src)
    return tree


def _body_noise(page: Page, element: HtmlElement) -> list[HtmlElement]:
    tagged = list(element.iterdescendants(*S.BODY_NOISE_TAGS)) + share_boxes(element)
    tagged += reading_tips(page, element)
    if element.getroottree().getroot() is not page.root:
        # a tree of its own (trafilatura's output)
        return tagged + S.BODY_NOISE.all(element) + S.BODY_WIDGETS.all(element)
    return tagged + page.below(S.BODY_NOISE, element) + page.below(S.BODY_WIDGETS, element)


def share_boxes(element: HtmlElement) -> list[HtmlElement]:
    """Hand-made share boxes below ``element``: the widest element around links to
    social networks' share endpoints whose other text is a short label ("Artikel
    teilen:"); themes and plugins without a known class print them into the content."""
    found: list[HtmlElement] = []
    for a in element.iter("a"):
        known = any(a is f or _inside(a, f) for f in found)
        if not known and SHARE_URL.search(a.get("href") or ""):
            box = _share_box(a, element)
            if box is not None:
                found.append(box)
    return found


def _share_box(link: HtmlElement, scope: HtmlElement) -> HtmlElement | None:
    box = None
    for ancestor in link.iterancestors():
        if ancestor is scope or _label_length(ancestor) > SHARE_LABEL_MAX:
            break
        box = ancestor
    return box


def _label_length(el: HtmlElement) -> int:
    """Characters of ``el``'s text outside its links."""
    return len(text_of(el)) - sum(len(text_of(a)) for a in el.iter("a"))


def reading_tips(page: Page, element: HtmlElement) -> list[HtmlElement]:
    """Paragraphs below ``element`` that are nothing but one link to another page
    of the same site ("Lesen Sie hier einen weiteren Beitrag …", a column's other
    posts one per line), and a heading right above a run of them: reading tips
    between or after the post's paragraphs, not its words."""
    found: list[HtmlElement] = []
    for p in element.iter("p"):
        if _only_a_link_here(page, p):
            found.append(p)
            heading = _heading_above(p, found)
            if heading is not None:
                found.append(heading)
    return found


def _only_a_link_here(page: Page, p: HtmlElement) -> bool:
    link = _sole_link(p)
    if link is None or not text_of(link):
        return False
    target = urlsplit(page.absolute(link.get("href")) or "")
    here = urlsplit(page.url)
    return target.netloc == here.netloc and target.path.rstrip("/") != here.path.rstrip("/")


def _sole_link(el: HtmlElement) -> HtmlElement | None:
    """The ``<a href>`` that is all of ``el`` (``<p><strong><a>…</a></strong></p>``):
    a walk down single children with no text beside them, no text scan."""
    node = el
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        if len(children) != 1 or clean_text(node.text) or clean_text(children[0].tail):
            return None
        node = children[0]
        if node.tag == "a":
            return node if node.get("href") else None


def _heading_above(p: HtmlElement, tips: list[HtmlElement]) -> HtmlElement | None:
    """The heading before ``p`` when a reading tip is right after it and ``p`` is
    the second of a run (one lone link under a heading may be the post's own)."""
    previous = p.getprevious()
    if previous is None or not any(previous is t for t in tips):
        return None
    heading = previous.getprevious()
    if heading is None or heading.tag not in HEADINGS or any(heading is t for t in tips):
        return None
    return heading


def _inside(el: HtmlElement, scope: HtmlElement) -> bool:
    return any(a is scope for a in el.iterancestors())


def _absolute_links(page: Page, tree: HtmlElement) -> None:
    """``href``/``src`` made absolute (most WordPress links already are)."""
    for el in tree.iter("a", "img", "source", "video", "audio", "iframe"):
        for attr in ("href", "src"):
            value = el.get(attr)
            if value and not value.startswith(("http://", "https://")):
                el.set(attr, page.absolute(value) or value)


def blocks(el: HtmlElement) -> list[str]:
    """The text blocks below ``el`` in document order (see the module doc)."""
    return _blocks(el, _with_blocks(el))


def _with_blocks(el: HtmlElement) -> set[HtmlElement]:
    """Block elements below ``el`` and every element holding one."""
    found: set[HtmlElement] = set()
    for block in el.iterdescendants(*BLOCK_TAGS):
        for holder in (block, *block.iterancestors()):
            if holder in found or holder is el:
                break
            found.add(holder)
    return found


def _blocks(el: HtmlElement, with_blocks: set[HtmlElement]) -> list[str]:
    out: list[str] = []
    run: list[str] = [el.text or ""]
    for child in el:
        if child in with_blocks:
            _flush(run, out)
            out.extend(_blocks(child, with_blocks))
            run = []
        elif isinstance(child.tag, str):
            run.append(text_content(child))
        run.append(child.tail or "")
    _flush(run, out)
    return out


def _flush(run: list[str], out: list[str]) -> None:
    text = clean_text("".join(run))
    if text:
        out.append(text)


def _is_credit(block: str) -> bool:
    return len(block) <= CREDIT_MAX and CREDIT.match(block) is not None


def _links(tree: HtmlElement) -> list[dict[str, str]]:
    found = []
    for a in S.LINKS(tree):
        href = a.get("href", "").strip()
        if href.startswith(("http://", "https://", "mailto:")):
            found.append({"url": href, "text": text_of(a)})
    return found


def _sanitised(tree: HtmlElement) -> str:
    inner = (tree.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in tree
    )
    return nh3.clean(inner, link_rel=None).strip()


def image_src(img: HtmlElement) -> str | None:
    for attr in LAZY_SRC:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def image_of(page: Page, img: HtmlElement) -> dict[str, Any]:
    """``{url, alt, caption, credit}`` of an ``<img>``; missing parts are None.
    Read once per element of the page (the hero layers often find the same one)."""
    found = page.images.get(img)
    if found is None:
        found = page.images[img] = _image_of(page, img)
    return dict(found)


def _image_of(page: Page, img: HtmlElement) -> dict[str, Any]:
    figure = _figure(img)
    caption = _caption(page, figure)
    if figure is None:
        figure = _image_widget(img)
        caption = _widget_caption(figure)
    credit = credit_near(img, caption) or _figure_credit(figure)
    if caption and credit and credit in caption:
        caption = clean_text(caption.replace(credit, "")) or None
    return {"url": page.absolute(image_src(img)), "alt": clean_text(img.get("alt")) or None,
            "caption": caption, "credit": credit}  # fmt: skip


def _figure(img: HtmlElement) -> HtmlElement | None:
    for depth, ancestor in enumerate(img.iterancestors()):
        if ancestor.tag == "figure" or "wp-caption" in (ancestor.get("class") or ""):
            return ancestor
        if depth >= 3:
            break
    return None


def _caption(page: Page, figure: HtmlElement | None) -> str | None:
    if figure is None:
        return None
    captions = S.CAPTIONS(figure, page.index)
    return text_of(captions[0]) or None if captions else None


def _image_widget(img: HtmlElement) -> HtmlElement | None:
    """The wrapper of an image with at most two short lines beside it (caption,
    credit): page builders' image widgets show captions without ``<figure>``."""
    holder = img.getparent() if img.getparent() is not None and img.getparent().tag == "a" else img
    parent = holder.getparent() if holder is not None else None
    if parent is None or clean_text(parent.text) or clean_text(holder.tail):
        return None
    others = [el for el in parent if el is not holder]
    if not 1 <= len(others) <= WIDGET_LINES or not all(_is_line(el) for el in others):
        return None
    return parent


def _is_line(el: HtmlElement) -> bool:
    return (isinstance(el.tag, str) and len(el) == 0 and not clean_text(el.tail)
            and 0 < len(text_of(el)) <= CREDIT_MAX)  # fmt: skip


def _widget_caption(widget: HtmlElement | None) -> str | None:
    texts = [text_of(el) for el in widget if el.tag != "img"] if widget is not None else []
    return next((t for t in texts if t and not _is_credit(t)), None)


def _figure_credit(figure: HtmlElement | None) -> str | None:
    """A credit line of its own inside the image's figure (``<span class=image-credit>``)."""
    for el in figure.iter() if figure is not None else ():
        if el is not figure and len(el) == 0 and _is_credit(text_of(el)):
            return text_of(el)
    return None


def credit_near(img: HtmlElement, caption: str | None) -> str | None:
    """A ``©…`` / ``Foto:`` line in the image's caption, wrapper or the element after it."""
    if caption:
        m = re.search(r"(?:©|\(c\)|Foto:|Bild:|Quelle:|Photo:).*$", caption, re.IGNORECASE)
        if m:
            return clean_text(m.group(0))
    el = img
    for _ in range(3):
        parent = el.getparent()
        if parent is None:
            return None
        for near in (*_texts_after(el), *_texts_after(parent)):
            if _is_credit(near):
                return near
        el = parent
    return None


def _texts_after(el: HtmlElement) -> list[str]:
    sibling = el.getnext()
    texts = [clean_text(el.tail)]
    if sibling is not None and isinstance(sibling.tag, str):
        texts.append(text_of(sibling))
    return [t for t in texts if t]


def image_key(url: str | None) -> str:
    """An image's identity: its path without WordPress size suffixes (``-1024x683``)."""
    return SIZE_SUFFIX.sub("", urlsplit(url or "").path).lower()


def merge_images(images: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Images without duplicates, first one kept, its missing parts filled from later ones."""
    seen: dict[str, dict[str, Any]] = {}
    for image in images:
        if not image.get("url"):
            continue
        kept = seen.setdefault(image_key(image["url"]), dict(image))
        for key, value in image.items():
            kept[key] = kept.get(key) or value
    return list(seen.values())
