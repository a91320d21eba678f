"""The extraction pipeline: the one place a fetched page is parsed into a post.

A post is completed from what discovery knew (:func:`pipelines.extract.rest.apply_hints`,
which ``scrapy reextract`` calls on the hints the WARC recorded), including the
bios read from the author archives the spider fetched with the page.

Setting ``EXTRACT_PROCESSES`` (default 1): extraction runs in that many worker
processes beside the crawl (:mod:`pipelines.extract.processes`), so a fast
crawl uses a second core; 0 extracts in the crawl's own process.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from blog.crawl import identity_of
from blog.page import GONE_STATUSES, FetchedPage
from blog.post import Post
from pipelines.extract import Extraction, extract_author_bio
from pipelines.extract.page import decode_page
from pipelines.extract.processes import ExtractorProcesses, WorkerGone, run_extraction
from pipelines.extract.rest import apply_hints
from pipelines.health import COVERED_FIELDS
from pipelines.profile import SiteProfile, load_profile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

#: posts whose counts are gathered before they go to the crawl's stats (a post
#: has some forty counts, and each stats call is a dozen Python calls in Scrapy)
COUNTS_EVERY = 100


class ExtractionPipeline:
    """Set ``item.kind`` and, for posts, ``item.post``; count which layer gave each field."""

    def __init__(self, crawler: Crawler, processes: int) -> None:
        self.crawler = crawler
        self.workers = ExtractorProcesses(processes) if processes > 0 else None
        self._counts: Counter[str] = Counter()
        self._bios: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler, crawler.settings.getint("EXTRACT_PROCESSES", 1))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if item.status in GONE_STATUSES:
            item.kind = "gone"
            return item
        result, seconds = await self._extract(item)
        self._counts["extract/seconds"] += seconds  # type: ignore[assignment]  # a float count
        item.kind = result.kind
        item.post = result.post
        if item.post is not None:
            if item.companions:
                item.hints["author_bios"] = self._author_bios(item.companions)
            apply_hints(item.post, item.hints)
            self._count_sources(item.post, result.disagreements)
        return item

    def _author_bios(self, archives: list[FetchedPage]) -> dict[str, str]:
        """Archive URL to bio, for the author archives fetched with a page (each read once)."""
        for archive in archives:
            if archive.url not in self._bios:
                html = decode_page(archive.body, archive.encoding)
                self._bios[archive.url] = extract_author_bio(html, archive.url, self._profile())
        return {a.url: bio for a in archives if (bio := self._bios[a.url])}

    def _profile(self) -> SiteProfile:
        return load_profile(identity_of(self.crawler.spider).site)

    async def close_spider(self) -> None:
        self._publish_counts()
        if self.workers is not None:
            await self.workers.close()
            if self.workers.lost:
                assert self.crawler.stats is not None
                self.crawler.stats.set_value("extract/workers_lost", self.workers.lost)

    async def _extract(self, item: FetchedPage) -> tuple[Extraction, float]:
        page = (item.body, item.encoding, item.url, self._profile(), item.fetched_at)
        if self.workers is not None:
            try:
                return await self.workers.extract(*page)
            except WorkerGone:
                pass  # this page is extracted here, where an error shows as it is
        return run_extraction(*page)

    def _count_sources(self, post: Post, disagreements: list[str]) -> None:
        counts = self._counts
        counts["extract/posts"] += 1
        counts.update(f"extract/present/{name}" for name in COVERED_FIELDS if post.get(name))
        for field_name, layer in post.get("field_sources", {}).items():
            counts[f"extract/layer/{layer}"] += 1
            counts[f"extract/field/{field_name}/{layer}"] += 1
        counts.update(f"extract/disagreement/{name}" for name in disagreements)
        if counts["extract/posts"] >= COUNTS_EVERY:
            self._publish_counts()

    def _publish_counts(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        for key, count in self._counts.items():
            stats.inc_value(key, count)
        self._counts.clear()
