"""Extraction: plain functions from a page's HTML to a post record.

Needs no Scrapy and no pyarrow.  :func:`extract` parses once, decides the page
kind and, for posts, reads every field of :class:`blog.post.Post` through four
layers (declared data, WordPress conventions, the site profile,
a generic main-content extractor); see :mod:`pipelines.extract.post`.
Selectors live in :mod:`pipelines.extract.selectors`, date parsing in
:mod:`pipelines.extract.dates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from blog.post import Post
from pipelines.extract import declared, site, wordpress
from pipelines.extract.kind import kind_of, sniff
from pipelines.extract.page import Page, parse_html
from pipelines.extract.post import build_post
from pipelines.profile import SiteProfile, load_profile

__all__ = ["Extraction", "extract", "extract_author_bio", "extract_post", "page_kind"]

EMPTY_HTML = "<html><body></body></html>"


@dataclass(frozen=True)
class Extraction:
    """``kind`` is ``"post"`` or why the page is not one; ``post`` (posts only) is
    the post read from the page; ``disagreements`` names fields where
    the first two layers with a value gave different values (see
    :data:`pipelines.extract.post.COMPARED`)."""

    kind: str
    post: Post | None = None
    disagreements: list[str] = field(default_factory=list)


def extract(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None = None,
    now: datetime | None = None,
) -> Extraction:
    """Parse ``html`` once and read the post it holds, if it is a post."""
    kind = sniff(html)
    if kind is not None:
        return Extraction(kind)
    page = _page(html, url, profile, now)
    kind = kind_of(page)
    if kind != "post":
        return Extraction(kind)
    return _post(page)


def extract_post(html: str | bytes, url: str) -> Post:
    """The post fields of any HTML page, whatever its kind (non-WordPress: generic layer)."""
    post = _post(_page(html if sniff(html) is None else EMPTY_HTML, url, None, None)).post
    assert post is not None
    return post


def page_kind(html: str | bytes, url: str) -> str:
    return sniff(html) or kind_of(_page(html, url, None, None))


def extract_author_bio(
    html: str | bytes, url: str, profile: SiteProfile | None = None
) -> str | None:
    """The bio an author archive shows (archive header description or author box)."""
    if sniff(html) is not None:
        return None
    page = _page(html, url, profile, None)
    for reader in (declared.person_bio, wordpress.archive_bio):
        bio = reader(page)
        if bio:
            return bio
    boxes = [*wordpress.bios(page), *site.bios(page)]
    return boxes[0][1] if boxes else None


def _page(html: str | bytes, url: str, profile: SiteProfile | None, now: datetime | None) -> Page:
    root = parse_html(html)
    if root is None:
        root = parse_html(EMPTY_HTML)
    assert root is not None
    return Page(root, url, profile or load_profile("default"), now)


def _post(page: Page) -> Extraction:
    post, disagreements = build_post(page)
    return Extraction("post", post, disagreements)
