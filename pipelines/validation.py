"""The validation pipeline: only posts go on to the archive, every drop has a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from blog.page import FetchedPage
from blog.post import REQUIRED_FIELDS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class PostValidationPipeline:
    """Drop non-posts and posts missing a required field, counting each reason."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PostValidationPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage) or item.kind == "gone":
            return item
        reason = _drop_reason(item)
        if reason is None:
            return item
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"posts/dropped/{reason}")
        raise DropItem(f"{item.url}: {reason}")


def _drop_reason(item: FetchedPage) -> str | None:
    if item.kind != "post" or item.post is None:
        return f"not_a_post/{item.kind or 'unknown'}"
    missing = [name for name in REQUIRED_FIELDS if not item.post.get(name)]
    return f"missing/{missing[0]}" if missing else None
