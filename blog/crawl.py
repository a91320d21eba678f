"""The identity of one crawl: which blog, which run, from where.

The spider sets it once; the HTTP cache, the archive and the crawl log read it
through :func:`identity_of` instead of guessing at the spider's attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CrawlIdentity:
    #: the blog's name: its profile, and its folder in the archive
    site: str
    #: this run, e.g. ``20261128T021500Z-3fa2c1``; every row and WARC record carries it
    crawl_id: str
    #: the blog's root URL, normalised
    base_url: str = ""
    #: the Scrapyd job that runs the crawl (``-a _job=…``); empty outside Scrapyd
    job: str = ""


def identity_of(spider: Any) -> CrawlIdentity:
    """The spider's :class:`CrawlIdentity`; a spider without one (a test's or a
    third party's) archives under its name."""
    identity = getattr(spider, "identity", None)
    if isinstance(identity, CrawlIdentity):
        return identity
    return CrawlIdentity(site=spider.name, crawl_id="")
