"""The re-crawl plan's choices, without a crawl: what is fetched again, and the canaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from crawler.recrawl import RecrawlPlan


@dataclass(frozen=True)
class Post:
    modified_at: datetime | None
    fetched_at: datetime
    gone: bool = False


def _at(day: int, second: int = 0) -> datetime:
    return datetime(2026, 11, day, 3, 0, second, tzinfo=UTC)


def test_canaries_are_the_newest_modified_posts_then_undated_ones_by_url() -> None:
    # Undated posts were fetched in some order by the last crawl: later than every
    # modified date.  That order must not decide which posts are fetched again.
    known = {
        "https://b/z/": Post(None, _at(26, 1)),
        "https://b/a/": Post(None, _at(26, 2)),
        "https://b/old/": Post(_at(1), _at(26, 3)),
        "https://b/new/": Post(_at(20), _at(26, 4)),
        "https://b/gone/": Post(_at(25), _at(26, 5), gone=True),
    }
    plan = RecrawlPlan(known=known, full=False)
    assert plan.canaries(3) == ["https://b/new/", "https://b/old/", "https://b/a/"]
    assert plan.canaries(2, exclude=["https://b/new/"]) == ["https://b/old/", "https://b/a/"]
    assert plan.canaries(9) == ["https://b/new/", "https://b/old/", "https://b/a/", "https://b/z/"]


def test_an_incremental_plan_fetches_only_new_gone_or_changed_posts() -> None:
    known = {"https://b/p/": Post(_at(10), _at(20)), "https://b/g/": Post(None, _at(20), True)}
    plan = RecrawlPlan(known=known, full=False)
    assert plan.wants("https://b/new/")
    assert plan.wants("https://b/g/")
    assert not plan.wants("https://b/p/")
    assert not plan.wants("https://b/p/", "2026-11-05T00:00:00Z")
    assert plan.wants("https://b/p/", "2026-11-15T00:00:00Z")
    assert RecrawlPlan(known=known, full=True).wants("https://b/p/")
