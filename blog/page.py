"""What a spider hands to the item pipelines: a fetched page, not yet understood."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blog.post import Post

#: A FetchedPage with one of these statuses says the site no longer serves the URL.
GONE_STATUSES = (404, 410)


@dataclass
class FetchedPage:
    """One HTML page as fetched, plus what discovery already knew about it.

    ``url`` is the normalised URL of the final response (after redirects);
    ``requested_url`` the normalised URL discovery asked for, which differs when
    an old slug redirected.  ``headers`` keep the response's order and repeats
    so the page can be written to WARC as it came.  ``hints`` carry what a
    discovery source said about the page before it was fetched, e.g.
    ``{"post_id": 42, "lastmod": "2024-01-02T10:00:00+00:00", "rest": {"author": 3,
    "date_gmt": …, "modified_gmt": …}, "rest_users": {3: {"name": …, "slug": …,
    "url": …, "bio": …}}}``; extraction uses them where the page is silent or unclear
    (``pipelines.extract.rest``).
    """

    url: str
    requested_url: str
    status: int
    headers: list[tuple[str, str]] = field(repr=False)
    body: bytes = field(repr=False)
    encoding: str
    fetched_at: datetime
    site: str
    source: str
    hints: dict[str, Any] = field(default_factory=dict, repr=False)
    #: Pages fetched for this one's row: the author archives it links to, where the
    #: REST API names no authors (``crawler.holding``); archived with it.
    companions: list[FetchedPage] = field(default_factory=list, repr=False)
    #: Set by the extraction pipeline: "post" or why the page is not one.
    kind: str | None = None
    #: Set by the extraction pipeline for posts: what the page says of the post.
    post: Post | None = field(default=None, repr=False)
