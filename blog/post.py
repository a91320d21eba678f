"""The post contract: the fields extraction reads from a post's page, written once.

:class:`Post` is what :func:`pipelines.extract.extract` returns, what
:attr:`blog.page.FetchedPage.post` holds and what the archive stores; every
field is a column of the archive's Arrow schema (:mod:`pipelines.schema`), and
a test ties the two, name for name and type for type, and checks every other
list of field names against them (``pipelines.schema.PAGE_FIELDS`` is
:class:`PageFields`' keys).  It lives in ``blog/`` so that the fetched page may
name it, and needs nothing but the standard library.  A value a page lacks is
``None`` (or empty), never a missing key.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict


class Author(TypedDict):
    """One author of a post, as the byline and author box name them."""

    name: str
    """the name as printed, without a byline label ("Von") or a date"""
    url: str | None
    """the author's archive page"""
    bio: str | None
    """the text of the author box (or of the author's archive)"""


class Image(TypedDict):
    """One image of a post; missing parts are None."""

    url: str
    """absolute URL of the image file"""
    alt: str | None
    """the ``alt`` text"""
    caption: str | None
    """the figure's caption, without the credit"""
    credit: str | None
    """the copyright line (``©…``)"""


class RelatedLink(TypedDict):
    """A link to another post: a neighbour or an entry of the related-posts box."""

    url: str
    """absolute URL of the linked post"""
    title: str | None
    """its title, without labels such as "Vorheriger Beitrag" """
    relation: str
    """``previous``, ``next`` or ``related``"""


class BodyLink(TypedDict):
    """A link inside the body."""

    url: str
    """absolute URL"""
    text: str
    """the link's text"""


class PageFields(TypedDict):
    """The fields a post's page gives, in the archive's column order.

    ``title``, ``published_at`` and ``body_text`` may be missing on a page (empty
    or None): such a post is dropped before the archive (:data:`REQUIRED_FIELDS`).
    """

    url: str
    """canonical URL of the post"""
    post_id: int | None
    """WordPress post id (shortlink `?p=`, `postid-N`, REST)"""
    title: str
    """the headline, without the site's name"""
    description: str | None
    """teaser / meta description"""
    published_at: datetime | None
    """publication time; a date-only source means midnight Europe/Berlin"""
    modified_at: datetime | None
    """last modification time the page declares"""
    authors: list[Author]
    """every author in byline order: name, archive URL, bio from the author box"""
    tags: list[str]
    """tag names in page order"""
    categories: list[str]
    """category names in page order"""
    body_text: str
    """article body only: paragraphs, headings, list items, quotes, table cells;
    one blank line between blocks"""
    body_html: str
    """the same body as sanitised HTML: no script/style/event handlers, absolute URLs"""
    word_count: int
    """words in body_text"""
    language: str
    """ISO 639-1 code such as `de`"""
    images: list[Image]
    """hero image first, then body images: url, alt, caption, credit (`©…` line)"""
    related_links: list[RelatedLink]
    """previous/next post links and the related-posts box; relation is `previous`,
    `next` or `related`"""
    body_links: list[BodyLink]
    """links inside the body: url and text"""
    comment_count: int | None
    """number of comments; commenters' names and texts are personal data, not stored"""


class Post(PageFields):
    """A post as extraction read it: its page fields, and where each came from."""

    field_sources: dict[str, str]
    """field name to the extraction layer that gave it (`declared`, `wordpress`,
    `profile`, `generic`, `rest`)"""


#: Page fields a post cannot be archived without: one that is empty or None
#: means the page was not read as a post, and it is dropped with that reason.
REQUIRED_FIELDS: tuple[str, ...] = ("url", "title", "published_at", "body_text")
