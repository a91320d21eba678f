"""What a crawl has found and asked for, and what it asks for next.

The spider turns URLs into requests and responses into pages; this module holds the
state between them and the policies over it, with no Scrapy in sight:

* each URL is asked for once (``requested``); links already seen are not followed again;
* posts an index names wait in a backlog and go to the scheduler a batch at a time,
  whenever it runs dry: a queued request weighs a kilobyte, a waiting URL a tenth;
* listings (the home page's ``page/N/``, archives of categories, tags, authors and
  dates) name posts an index names too, so a full crawl keeps them for the end and
  reads them only where the indexes may fall short (:meth:`Frontier.listings_at_end`);
* at the end, archived posts that nothing listed any more are asked for again
  (a removed post is recorded as gone), and an incremental crawl fetches a few
  canaries so that a theme change shows in the coverage every night.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from blog.urls import is_within
from crawler.discovery import Found, is_author_archive, link_role
from crawler.recrawl import RecrawlPlan


@dataclass
class EndStage:
    """What a crawl asks for once everything found is fetched: (URL, source) pairs,
    and the counts for the crawl's stats."""

    requests: list[tuple[str, str]]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Frontier:
    """The discovery state of one crawl of the blog at ``base_url``."""

    base_url: str
    plan: RecrawlPlan
    #: every URL discovered, by a link or an index
    seen: set[str] = field(default_factory=set)
    #: every URL asked for (each once)
    requested: set[str] = field(default_factory=set)
    #: the final URLs of the pages fetched and handed on
    yielded: set[str] = field(default_factory=set)
    #: the URLs sitemaps named, and whether a sitemap failed
    indexed: set[str] = field(default_factory=set)
    index_failed: bool = False
    #: whether the REST API listed posts (it lists every published one)
    rest_listed: bool = False
    #: posts an index named and this crawl wants, not yet handed to the scheduler
    backlog: deque[tuple[Found, str]] = field(default_factory=deque)
    #: archived posts an index showed unchanged and this crawl did not fetch
    unchanged: set[str] = field(default_factory=set)
    index_hits: int = 0
    deferred: list[str] = field(default_factory=list)
    reading_archives: bool = False
    #: an incremental crawl's home page links, read only if no index told anything
    root_links: list[str] = field(default_factory=list)
    ended: bool = False

    def __post_init__(self) -> None:
        self.seen.add(self.base_url)
        self.requested.add(self.base_url)

    def on_site(self, url: str) -> bool:
        return is_within(url, self.base_url)

    def author_archives(self, links: Iterable[str]) -> list[str]:
        return [url for url in links if is_author_archive(url) and self.on_site(url)]

    def offer(self, found: Iterable[Found], source: str) -> int:
        """Put the posts an index names and this crawl wants in the backlog; the
        number of new URLs the index named."""
        named = 0
        for item in found:
            url = item.url
            if url in self.requested or not self.on_site(url) or link_role(url) == "skip":
                continue
            self.seen.add(url)
            self.index_hits += 1
            named += 1
            wanted = self.plan.wants(url, item.hints.get("lastmod"))
            self.note_unchanged(url, not wanted)
            if wanted:
                self.requested.add(url)
                self.backlog.append((item, source))
        return named

    def gauges(self) -> dict[str, int]:
        """``discovery/waiting``: posts in the backlog; ``discovery/unchanged``: archived
        posts an index showed unchanged and this crawl did not fetch."""
        return {"discovery/waiting": len(self.backlog), "discovery/unchanged": len(self.unchanged)}

    def next_batch(self, size: int) -> list[tuple[Found, str]]:
        return [self.backlog.popleft() for _ in range(min(size, len(self.backlog)))]

    def note_unchanged(self, url: str, unchanged: bool) -> None:
        if unchanged:
            self.unchanged.add(url)
        else:
            self.unchanged.discard(url)

    def new_links(self, links: Iterable[str]) -> list[str]:
        """The on-site links not seen before that may be pages or listings."""
        fresh = [u for u in links if u not in self.seen and self.on_site(u)]
        self.seen.update(fresh)
        return [u for u in fresh if link_role(u) != "skip"]

    def follow(self, links: Iterable[str]) -> tuple[list[str], list[str]]:
        """Full crawl: (pages, listings) to ask for now; other listings wait for the end."""
        pages, listings = [], []
        for url in self.new_links(links):
            role = link_role(url)
            if role == "page":
                pages.append(url)
            elif self.reading_archives:
                listings.append(url)
            else:
                self.deferred.append(url)
        return pages, listings

    def follow_new(self, links: Iterable[str]) -> tuple[list[str], list[str]]:
        """Incremental crawl of a listing: links to unknown pages, and the next listing
        page only while this one still showed something new."""
        links = self.new_links(links)
        new = [u for u in links if link_role(u) == "page" and u not in self.plan.known]
        pages = [u for u in links if link_role(u) == "listing" and "/page/" in u] if new else []
        return new, pages

    def listings_at_end(self) -> tuple[list[str], int]:
        """The kept listings to read now, and how many are skipped.  The REST API lists
        every published post: then none.  A sitemap may leave posts out (an SEO plugin
        drops ``noindex`` ones): then the home page's ``page/N/``, a tenth of a request
        per post.  With neither, every listing."""
        kept = [url for url in self.deferred if url not in self.requested]
        self.deferred = []
        if self.rest_listed:
            wanted: list[str] = []
        elif self.complete_index():
            wanted = [url for url in kept if self.is_home_listing(url)]
        else:
            self.reading_archives, wanted = True, kept
        return wanted, len(kept) - len(wanted)

    def at_end(self, canaries: int) -> EndStage | None:
        """The next stage that asks for anything once the crawl ran dry, None when
        there is none: first the kept listings (:meth:`listings_at_end`, again while
        they name more), then once the home page's links where no index answered,
        the rechecks and the canaries."""
        counts: dict[str, int] = {}
        while (stage := self._next_stage(canaries)) is not None:
            counts |= {key: counts.get(key, 0) + n for key, n in stage.counts.items()}
            if stage.requests:
                return EndStage(stage.requests, counts)
        return None

    def _next_stage(self, canaries: int) -> EndStage | None:
        if self.ended:
            return None
        wanted, skipped = self.listings_at_end()
        counts = {"discovery/archives/skipped": skipped} if skipped else {}
        if wanted:
            return EndStage([(url, "listing") for url in wanted], counts)
        self.ended = True
        requests = self._fallback_listing()
        if requests:
            counts["discovery/listing/fallback"] = 1
        rechecks, chosen = self.rechecks(), self.canaries(canaries)
        requests += [(url, "recheck") for url in rechecks] + [(url, "canary") for url in chosen]
        counts |= {"discovery/rechecked": len(rechecks), "discovery/canary": len(chosen)}
        return EndStage(requests, {key: n for key, n in counts.items() if n})

    def _fallback_listing(self) -> list[tuple[str, str]]:
        """An incremental crawl that no index told anything reads the home page's links."""
        if not self.root_links or self.index_hits:
            return []
        pages, listings = self.follow_new(self.root_links)
        return [(url, "link") for url in pages] + [(url, "listing") for url in listings]

    def complete_index(self) -> bool:
        return self.rest_listed or (bool(self.indexed) and not self.index_failed)

    def rechecks(self) -> list[str]:
        """Archived posts that no complete index (or, in a full crawl, nothing at all)
        listed: asked for again, so that a removed post is seen as gone."""
        if self.plan.incremental and (self.index_failed or not self.indexed):
            return []
        listed = self.indexed if self.plan.incremental else self.seen | self.yielded
        return self.plan.unlisted(listed)

    def canaries(self, count: int) -> list[str]:
        """A few archived posts an incremental crawl fetches again, whatever changed."""
        if not self.plan.incremental:
            return []
        chosen = self.plan.canaries(count, exclude=self.yielded)
        for url in chosen:
            self.note_unchanged(url, False)
        return chosen

    def is_home_listing(self, url: str) -> bool:
        """The blog's own ``page/N/``: the listing an incremental crawl may read again,
        so the only one worth a cache entry."""
        rest = url[len(self.base_url) :] if url.startswith(self.base_url) else ""
        return rest.startswith("page/") and rest[5:-1].isdigit() and rest.endswith("/")
