"""What a nightly re-crawl asks for: only what may have changed.

The first crawl of a site (or ``-a full=true``) fetches everything it finds.
Later crawls are incremental: a discovered URL is fetched only when it is
new, was gone, or a discovery source says it changed after the archived
version (sitemap ``lastmod``, the REST API's ``modified_gmt``).  Archived
posts that a complete index no longer lists are asked for once more, so a
removed post is seen as gone (404/410) rather than silently forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pipelines.extract.dates import parse_date

#: REST ``modified_after`` looks this far behind the last fetch, so that clock
#: skew and the site's time zone cannot hide an edit.
REST_MARGIN = timedelta(days=2)


class Known(Protocol):
    """What the archive knows of a post (``pipelines.archive.KnownPost``)."""

    @property
    def modified_at(self) -> datetime | None: ...
    @property
    def fetched_at(self) -> datetime: ...
    @property
    def gone(self) -> bool: ...


@dataclass(frozen=True)
class RecrawlPlan:
    """Decides, for each discovered URL, whether this crawl fetches it."""

    known: Mapping[str, Known]
    full: bool

    @property
    def incremental(self) -> bool:
        return not self.full and bool(self.known)

    def wants(self, url: str, lastmod: str | None = None) -> bool:
        """Fetch ``url``?  Always in a full crawl; else only if new, gone or changed."""
        post = self.known.get(url)
        if not self.incremental or post is None or post.gone:
            return True
        changed = parse_date(lastmod, timezone="UTC") if lastmod else None
        if changed is None:
            return False
        return changed > (post.modified_at or post.fetched_at)

    def unlisted(self, listed: Iterable[str]) -> list[str]:
        """Archived, not-gone posts missing from a complete index: to be checked again."""
        seen = set(listed)
        return sorted(url for url, post in self.known.items() if not post.gone and url not in seen)

    def canaries(self, count: int, exclude: Iterable[str] = ()) -> list[str]:
        """The ``count`` archived posts still served that their pages say changed
        last; posts that declare no modified date come after, by URL.  The choice
        hangs on the archive alone, never on the order of the last crawl's fetches."""
        skip = set(exclude)
        live = [(p.modified_at, u) for u, p in self.known.items() if not (p.gone or u in skip)]
        dated = sorted(((m, url) for m, url in live if m is not None), reverse=True)
        undated = sorted(url for m, url in live if m is None)
        return ([url for _, url in dated] + undated)[:count]

    def unchanged_modification(self, url: str) -> str | None:
        """The archived modification time of ``url`` (ISO, UTC), in an incremental crawl.

        The REST API is asked only for posts modified lately (:meth:`rest_modified_after`),
        so a post fetched again without being listed (a canary, a recheck) has not changed
        since: what the archive knows of its modification still holds."""
        post = self.known.get(url) if self.incremental else None
        return post.modified_at.isoformat() if post and post.modified_at else None

    def rest_modified_after(self) -> str | None:
        """The REST API's ``modified_after`` for an incremental crawl, else None."""
        if not self.incremental:
            return None
        last_fetch = max(p.fetched_at for p in self.known.values())
        return (last_fetch - REST_MARGIN).strftime("%Y-%m-%dT%H:%M:%S")
