"""Is this crawl healthy?  The verdict cron's exit status and summary come from.

A crawl that "succeeds" while archiving empty bodies is the failure that
matters most in real life, so the verdict looks at field coverage among the
posts fetched, not only at errors.  Everything is read from the crawl's
stats; floors and thresholds are ``HEALTH_*`` settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

#: The post fields (:class:`blog.post.Post`) whose coverage decides health, with
#: the words the summary uses.
COVERED_FIELDS: dict[str, str] = {
    "body_text": "body",
    "title": "title",
    "published_at": "published date",
    "authors": "authors",
    "tags": "tags",
}
EXIT_UNHEALTHY = 1
#: What a crawl did with each post, in the summary's order (``archive/posts_<kind>``):
#: ``changed`` is an edit of the content, ``relinked`` a version whose navigation
#: alone moved (previous/next, related posts, comment count).
ARCHIVE_KINDS = ("new", "changed", "relinked", "unchanged", "gone")
#: Requests left out on purpose (robots.txt, a crawl that is stopping), not failures.
NOT_ERRORS = ("IgnoreRequest",)


@dataclass(frozen=True)
class HealthPolicy:
    """The thresholds, from the ``HEALTH_*`` settings."""

    coverage_floors: Mapping[str, float]
    max_coverage_drop: float
    max_error_rate: float
    min_sample: int

    @classmethod
    def from_settings(cls, settings: Any) -> HealthPolicy:
        return cls(
            coverage_floors={
                k: float(v) for k, v in settings.getdict("HEALTH_COVERAGE_FLOORS").items()
            },
            max_coverage_drop=settings.getfloat("HEALTH_MAX_COVERAGE_DROP"),
            max_error_rate=settings.getfloat("HEALTH_MAX_ERROR_RATE"),
            min_sample=settings.getint("HEALTH_MIN_SAMPLE"),
        )


@dataclass(frozen=True)
class Verdict:
    """``healthy`` decides the exit status; ``reason`` is the one line for a failure."""

    healthy: bool
    reason: str
    summary: str
    coverage: dict[str, float]
    exit_status: int
    #: posts by what the crawl found (:data:`ARCHIVE_KINDS`), as the summary says them
    counts: Mapping[str, int] = field(default_factory=dict)
    #: post pages fetched and extracted (the coverage's denominator)
    posts_fetched: int = 0


def coverage(stats: Mapping[str, Any]) -> dict[str, float]:
    """Share of fetched posts (0–1) in which each covered field was found."""
    posts = int(stats.get("extract/posts", 0))
    if not posts:
        return {}
    return {f: int(stats.get(f"extract/present/{f}", 0)) / posts for f in COVERED_FIELDS}


def error_count(stats: Mapping[str, Any]) -> int:
    """Failures a person should look at: Scrapy logs each at ERROR (a request that
    failed after its retries, an exception in a callback or a pipeline)."""
    return int(stats.get("log_count/ERROR", 0))


def errors_by_type(stats: Mapping[str, Any]) -> dict[str, int]:
    """Download exceptions, retry reasons and spider exceptions, by type."""
    prefixes = ("downloader/exception_type_count/", "retry/reason_count/", "spider_exceptions/")
    return {
        key.split("/", 1)[1]: int(value)
        for key, value in stats.items()
        if key.startswith(prefixes) and isinstance(value, int) and not key.endswith(NOT_ERRORS)
    }


def assess(
    stats: Mapping[str, Any],
    policy: HealthPolicy,
    base_url: str,
    previous: Mapping[str, float] | None = None,
) -> Verdict:
    """The verdict on one crawl; ``previous`` is the last healthy crawl's coverage."""
    found = coverage(stats)
    reason = _unhealthy_reason(stats, policy, base_url, found, previous or {})
    return Verdict(
        healthy=reason is None,
        reason=reason or "",
        summary=summarise(stats, found),
        coverage=found,
        exit_status=0 if reason is None else EXIT_UNHEALTHY,
        counts={kind: _archive_count(stats, kind) for kind in ARCHIVE_KINDS},
        posts_fetched=int(stats.get("extract/posts", 0)),
    )


def interrupted(verdict: Verdict, reason: str) -> Verdict:
    """The verdict on a crawl that stopped early: unhealthy, whatever it had found."""
    return replace(
        verdict,
        healthy=False,
        reason=f"the crawl stopped early ({reason})",
        exit_status=EXIT_UNHEALTHY,
    )


def _unhealthy_reason(
    stats: Mapping[str, Any],
    policy: HealthPolicy,
    base_url: str,
    found: Mapping[str, float],
    previous: Mapping[str, float],
) -> str | None:
    requests = int(stats.get("downloader/request_count", 0))
    if stats.get("archive/write_error"):
        return str(stats["archive/write_error"])
    if stats.get("crawl/unreachable"):
        return f"cannot reach {base_url}: {stats['crawl/unreachable']}"
    if not any(_archive_count(stats, kind) for kind in ARCHIVE_KINDS):
        return (
            f"no blog posts found at {base_url} ({requests} requests, {error_count(stats)} errors)"
        )
    errors = error_count(stats)
    if requests and errors / requests > policy.max_error_rate:
        return f"{errors} of {requests} requests failed (more than {policy.max_error_rate:.0%})"
    return _coverage_problem(stats, policy, found, previous)


def _coverage_problem(
    stats: Mapping[str, Any],
    policy: HealthPolicy,
    found: Mapping[str, float],
    previous: Mapping[str, float],
) -> str | None:
    posts = int(stats.get("extract/posts", 0))
    for field_name, share in found.items():
        words = COVERED_FIELDS[field_name]
        floor = policy.coverage_floors.get(field_name, 0.0)
        if share == 0 and floor > 0:
            return f"{words} found in none of {posts} posts: has the site's theme changed?"
        if posts < policy.min_sample:
            continue
        if share < floor:
            return f"{words} found in only {share:.0%} of {posts} posts (floor {floor:.0%})"
        last = previous.get(field_name)
        if last is not None and last - share > policy.max_coverage_drop:
            return f"{words} coverage fell from {last:.0%} to {share:.0%} of {posts} posts"
    return None


def summarise(stats: Mapping[str, Any], found: Mapping[str, float]) -> str:
    """The one-paragraph summary a crawl prints."""
    counts = ", ".join(f"{_archive_count(stats, kind)} {kind}" for kind in ARCHIVE_KINDS)
    cover = ", ".join(f"{COVERED_FIELDS[f]} {share:.0%}" for f, share in found.items()) or "n/a"
    return (
        f"{stats.get('site', 'crawl')} {stats.get('crawl_id', '')}: "
        f"{int(stats.get('extract/posts', 0))} posts fetched; {counts}; "
        f"{int(stats.get('downloader/request_count', 0))} requests, "
        f"{error_count(stats)} errors{_skipped(stats)}; coverage: {cover}."
    )


def _skipped(stats: Mapping[str, Any]) -> str:
    """Responses left out on purpose, e.g. ``, skipped 1 too large, 2 not HTML``."""
    kinds = {"too_large": "too large", "not_html": "not HTML", "offsite": "off-site"}
    parts = [
        f"{int(stats[f'crawl/skipped/{key}'])} {words}"
        for key, words in kinds.items()
        if stats.get(f"crawl/skipped/{key}")
    ]
    return f", skipped {', '.join(parts)}" if parts else ""


def _archive_count(stats: Mapping[str, Any], kind: str) -> int:
    """Posts by what this crawl found; ``unchanged`` includes posts an index
    showed to be unchanged, which an incremental crawl does not fetch."""
    skipped = int(stats.get("discovery/unchanged", 0)) if kind == "unchanged" else 0
    return int(stats.get(f"archive/posts_{kind}", 0)) + skipped
