"""The numbers behind the report: pure functions over :mod:`pipelines.report.archive` records.

Conventions every function follows, so tests can recompute them independently:
months are ``YYYY-MM`` in the report's time zone and a month series covers every
month from the first to the last (zeros included); a post counts once per tag,
category or author even if the page lists it twice; rankings sort by count
descending, then by name ascending; a link reaches an archived post when its URL,
ignoring scheme, ``www.``, fragment, trailing slash and percent-encoding, equals
the post's URL or one of its aliases, and self-links do not count.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from pipelines.report.archive import Post, Version

NICE_STEPS = (1, 2, 2.5, 5)


def month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as ``YYYY-MM``."""
    year, mon = int(first[:4]), int(first[5:])
    months: list[str] = []
    while (current := f"{year:04d}-{mon:02d}") <= last:
        months.append(current)
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return months


def per_month(moments: Iterable[datetime]) -> list[tuple[str, int]]:
    """(month, count) for every month between the first and the last moment."""
    counts = Counter(month(m) for m in moments)
    if not counts:
        return []
    return [(m, counts.get(m, 0)) for m in month_range(min(counts), max(counts))]


def ranking(counts: Counter[str], top: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def term_counts(posts: Iterable[Post], attr: str) -> Counter[str]:
    """Posts per tag, category or author (``attr`` names the Post field)."""
    return Counter(term for post in posts for term in set(getattr(post, attr)))


def terms_by_year(
    posts: Iterable[Post], attr: str, terms: list[str]
) -> tuple[list[int], list[list[int]]]:
    """Years (every year in the posts' range) and, per term, posts per year."""
    dated = [(p.published.year, p) for p in posts if p.published]
    if not dated:
        return [], [[] for _ in terms]
    years = list(range(min(y for y, _ in dated), max(y for y, _ in dated) + 1))
    counts = Counter((y, t) for y, p in dated for t in set(getattr(p, attr)))
    return years, [[counts.get((y, t), 0) for y in years] for t in terms]


def quartiles(values: list[int]) -> tuple[float, float, float]:
    """(25th, 50th, 75th percentile) with linear interpolation (pandas' default)."""
    if len(values) == 1:
        only = float(values[0])
        return only, only, only
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def words_per_year(posts: Iterable[Post]) -> list[tuple[int, int, float, float, float]]:
    """(year, posts, 25th percentile, median, 75th percentile) of word counts."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for post in posts:
        if post.published and post.word_count is not None:
            by_year[post.published.year].append(post.word_count)
    return [(y, len(v), *quartiles(v)) for y, v in sorted(by_year.items())]


def nice_step(span: float, bins: int = 25) -> int:
    """The smallest 1/2/2.5/5×10^k step that cuts ``span`` into at most ``bins`` bins."""
    magnitude = 1
    while True:
        for factor in NICE_STEPS:
            step = factor * magnitude
            if step >= 1 and step == int(step) and span / step <= bins:
                return int(step)
        magnitude *= 10


def word_histogram(counts: list[int]) -> list[tuple[int, int | None, int]]:
    """(from, to or None for the open last bin, posts) bins of word counts.

    Bins are ``[from, to)`` of a nice width up to the 99th percentile; the rest
    fall into one open bin, so a few giant posts do not squash the chart.
    """
    if not counts:
        return []
    ordered = sorted(counts)
    cap = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    step = nice_step(max(cap, 1))
    edges = list(range(0, cap + step, step))
    tally = Counter(min(c // step, len(edges) - 1) for c in ordered)
    bins = [(lo, lo + step, tally.get(i, 0)) for i, lo in enumerate(edges[:-1])]
    return [*bins, (edges[-1], None, tally.get(len(edges) - 1, 0))]


def link_key(url: str) -> str:
    """The form two URLs share when they reach the same post (see module doc)."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def incoming_links(posts: Iterable[Post]) -> Counter[str]:
    """Post URL -> number of other archived posts that link to it."""
    return Counter(target for _source, target in link_edges(posts))


def link_edges(posts: Iterable[Post]) -> list[tuple[str, str]]:
    """(source URL, target URL) for every archived post that links to another, once
    per pair, in the posts' order then the links' order."""
    posts = list(posts)
    owner = {link_key(p.url): p.url for p in posts}
    owner |= {link_key(a): p.url for p in posts for a in p.aliases if link_key(a) not in owner}
    resolved: dict[str, str | None] = {}  # the same few thousand URLs recur in every post
    edges: list[tuple[str, str]] = []
    for post in posts:
        targets = dict.fromkeys(_resolve(post.url, u, owner, resolved) for u in post.links)
        edges.extend((post.url, t) for t in targets if t and t != post.url)
    return edges


def quarter(moment: datetime) -> str:
    return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive, as ``YYYY-Qn``."""
    year, q = int(first[:4]), int(first[-1])
    quarters: list[str] = []
    while (current := f"{year:04d}-Q{q}") <= last:
        quarters.append(current)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return quarters


def authors_by_quarter(
    posts: Iterable[Post], authors: list[str]
) -> tuple[list[str], list[list[int]]]:
    """Quarters (every one in the posts' range) and, per author, posts per quarter."""
    dated = [(quarter(p.published), p) for p in posts if p.published]
    if not dated:
        return [], [[] for _ in authors]
    quarters = quarter_range(min(q for q, _ in dated), max(q for q, _ in dated))
    counts = Counter((q, a) for q, p in dated for a in set(p.authors))
    return quarters, [[counts.get((q, a), 0) for q in quarters] for a in authors]


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: (from, to or None) days between one post and the next, for the gaps chart
GAP_BINS: tuple[tuple[int, int | None], ...] = (
    (1, 2),
    (2, 4),
    (4, 8),
    (8, 15),
    (15, 31),
    (31, 61),
    (61, 91),
    (91, None),
)


def per_weekday(posts: Iterable[Post]) -> list[tuple[str, int]]:
    """(weekday, posts published on it), Monday first, in the report's time zone."""
    counts = Counter(p.published.weekday() for p in posts if p.published)
    return [(name, counts.get(day, 0)) for day, name in enumerate(WEEKDAYS)]


def gaps(posts: Iterable[Post]) -> list[tuple[date, date, int]]:
    """(earlier date, later date, days between) for consecutive publication days."""
    days = sorted({p.published.date() for p in posts if p.published})
    return [(a, b, (b - a).days) for a, b in itertools.pairwise(days)]


def gap_histogram(days: Iterable[int]) -> list[tuple[str, int]]:
    """(bin label, gaps in it) over :data:`GAP_BINS`."""
    tally: Counter[int] = Counter()
    for gap in days:
        tally[next(i for i, (lo, hi) in enumerate(GAP_BINS) if hi is None or gap < hi)] += 1
    return [(_gap_label(lo, hi), tally.get(i, 0)) for i, (lo, hi) in enumerate(GAP_BINS)]


def _gap_label(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"≥{lo} days"
    if hi == lo + 1:
        return "1 day" if lo == 1 else f"{lo} days"
    return f"{lo}–{hi - 1} days"


def removed(posts: Iterable[Post]) -> list[Post]:
    """Posts the site no longer serves, most recently removed first."""
    gone = [p for p in posts if p.gone_at is not None]
    return sorted(gone, key=lambda p: (p.gone_at, p.url), reverse=True)


def _resolve(
    base: str, href: str, owner: dict[str, str], cache: dict[str, str | None]
) -> str | None:
    if href.startswith(("https://", "http://")):
        if href not in cache:
            cache[href] = owner.get(link_key(href))
        return cache[href]
    return owner.get(link_key(urljoin(base, href)))


def versions_per_month(versions: Iterable[Version]) -> list[tuple[str, int, int]]:
    """(month, versions fetched, of which edits): see :func:`edits`."""
    ordered = list(versions)
    total = Counter(month(v.fetched) for v in ordered)
    edited = Counter(month(v.fetched) for v in edits(ordered))
    if not total:
        return []
    return [(m, total.get(m, 0), edited.get(m, 0)) for m in month_range(min(total), max(total))]


def edits(versions: Iterable[Version]) -> list[Version]:
    """The versions that edit a post's content: every version of a URL after its
    first, except those in which only the navigation moved."""
    ordered = sorted(versions, key=lambda v: (v.url, v.fetched))
    first = {v.url: v for v in reversed(ordered)}
    return [v for v in ordered if first[v.url] is not v and not v.navigation_only]


def edits_per_post(versions: Iterable[Version]) -> Counter[str]:
    """URL -> number of content edits (posts never edited are absent)."""
    return Counter(v.url for v in edits(versions))


def crawl_health(crawl: dict[str, Any]) -> dict[str, Any]:
    """One crawl's row for the health chart: errors summed, coverage mean and min."""
    coverage = [v for _k, v in crawl.get("coverage") or [] if v is not None]
    return {
        "crawl_id": crawl.get("crawl_id"),
        "started": crawl["started_at"],
        "finish_reason": crawl.get("finish_reason"),
        "new": crawl.get("posts_new") or 0,
        "changed": crawl.get("posts_changed") or 0,
        "relinked": crawl.get("posts_relinked") or 0,
        "gone": crawl.get("posts_gone") or 0,
        "errors": sum(v or 0 for _k, v in crawl.get("errors") or []),
        "coverage_mean": statistics.fmean(coverage) if coverage else None,
        "coverage_min": min(coverage) if coverage else None,
    }
