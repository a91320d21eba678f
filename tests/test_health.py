"""The health verdict, tested on stats (as spidermon tests its monitors), not on crawls."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from pipelines.health import HealthPolicy, assess, coverage

POLICY = HealthPolicy.from_settings(Settings(vars(project_settings)))
BASE = "https://blog.example.de/"


def _stats(posts: int = 20, errors: int = 0, requests: int = 100, **present: int) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "extract/posts": posts,
        "archive/posts_new": posts,
        "downloader/request_count": requests,
        "log_count/ERROR": errors,
    }
    for field_name in ("body_text", "title", "published_at", "authors", "tags"):
        stats[f"extract/present/{field_name}"] = present.get(field_name, posts)
    return stats


def test_a_complete_crawl_is_healthy() -> None:
    verdict = assess(_stats(), POLICY, BASE)
    assert verdict.healthy
    assert verdict.exit_status == 0
    assert "20 posts fetched" in verdict.summary


def test_nothing_found_is_unhealthy_and_names_the_url() -> None:
    verdict = assess(_stats(posts=0, requests=7), POLICY, BASE)
    assert not verdict.healthy
    assert verdict.exit_status != 0
    assert verdict.reason.startswith(f"no blog posts found at {BASE}")


@pytest.mark.parametrize(
    ("errors", "requests", "healthy"),
    [(0, 100, True), (10, 100, True), (11, 100, False), (50, 60, False)],
)
def test_error_rate_threshold(errors: int, requests: int, healthy: bool) -> None:
    assert assess(_stats(errors=errors, requests=requests), POLICY, BASE).healthy is healthy


@pytest.mark.parametrize(
    ("field_name", "present", "healthy", "words"),
    [
        ("body_text", 20, True, ""),
        ("body_text", 19, True, ""),
        ("body_text", 18, False, "body"),
        ("body_text", 0, False, "body"),
        ("published_at", 17, False, "published date"),
        ("tags", 11, True, ""),
        ("tags", 9, False, "tags"),
        ("authors", 15, False, "authors"),
    ],
)
def test_coverage_floors(field_name: str, present: int, healthy: bool, words: str) -> None:
    verdict = assess(_stats(**{field_name: present}), POLICY, BASE)
    assert verdict.healthy is healthy
    if not healthy:
        assert verdict.reason.startswith(words)


def test_a_drop_against_the_last_crawl_is_unhealthy_even_above_the_floor() -> None:
    stats = _stats(tags=12)
    assert assess(stats, POLICY, BASE).healthy
    verdict = assess(stats, POLICY, BASE, previous={"tags": 1.0})
    assert not verdict.healthy
    assert "tags coverage fell from 100% to 60%" in verdict.reason


def test_small_crawls_only_fail_when_a_field_is_missing_everywhere() -> None:
    assert assess(_stats(posts=2, tags=1), POLICY, BASE).healthy
    assert not assess(_stats(posts=2, body_text=0), POLICY, BASE).healthy


def test_an_unchanged_blog_is_healthy_though_nothing_was_fetched() -> None:
    stats = {"downloader/request_count": 10, "discovery/unchanged": 45}
    verdict = assess(stats, POLICY, BASE)
    assert verdict.healthy
    assert "45 unchanged" in verdict.summary


def test_coverage_is_a_share_of_fetched_posts() -> None:
    assert coverage(_stats(posts=4, tags=1))["tags"] == 0.25
    assert coverage({}) == {}
