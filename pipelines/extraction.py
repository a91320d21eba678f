"""The extraction pipeline: the one place a fetched page is parsed into a post.

Setting ``EXTRACT_PROCESSES`` (default 1): extraction runs in that many worker
processes beside the crawl (:mod:`pipelines.extract.processes`), so a fast
crawl uses a second core; 0 extracts in the crawl's own process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.items import GONE_STATUSES, FetchedPage
from pipelines.extract import Extraction
from pipelines.extract.processes import ExtractorProcesses, WorkerGone, run_extraction
from pipelines.health import COVERED_FIELDS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ExtractionPipeline:
    """Set ``item.kind`` and, for posts, ``item.post``; count which layer gave each field."""

    def __init__(self, crawler: Crawler, processes: int) -> None:
        self.crawler = crawler
        self.workers = ExtractorProcesses(processes) if processes > 0 else None

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
        assert self.crawler.stats is not None
        # Scrapy's stub says int, but StatsCollector adds floats just as well
        self.crawler.stats.inc_value("extract/seconds", seconds)  # type: ignore[arg-type]
        item.kind = result.kind
        item.post = result.post
        if item.post is not None:
            _apply_hints(item.post, item.hints)
            self._count_sources(item.post, result.disagreements)
        return item

    async def close_spider(self) -> None:
        if self.workers is not None:
            await self.workers.close()
            if self.workers.lost:
                assert self.crawler.stats is not None
                self.crawler.stats.set_value("extract/workers_lost", self.workers.lost)

    async def _extract(self, item: FetchedPage) -> tuple[Extraction, float]:
        profile = getattr(self.crawler.spider, "profile", None)
        page = (item.body, item.encoding, item.url, profile, item.fetched_at)
        if self.workers is not None:
            try:
                return await self.workers.extract(*page)
            except WorkerGone:
                pass  # this page is extracted here, where an error shows as it is
        return run_extraction(*page)

    def _count_sources(self, post: dict[str, Any], disagreements: list[str]) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("extract/posts")
        for field_name in COVERED_FIELDS:
            if post.get(field_name):
                stats.inc_value(f"extract/present/{field_name}")
        for field_name, layer in post.get("field_sources", {}).items():
            stats.inc_value(f"extract/layer/{layer}")
            stats.inc_value(f"extract/field/{field_name}/{layer}")
        for field_name in disagreements:
            stats.inc_value(f"extract/disagreement/{field_name}")


def _apply_hints(post: dict[str, Any], hints: dict[str, Any]) -> None:
    """Fill what the page did not say from what discovery learnt (REST ids)."""
    if post.get("post_id") is None and isinstance(hints.get("post_id"), int):
        post["post_id"] = hints["post_id"]
        post.setdefault("field_sources", {})["post_id"] = "declared"
