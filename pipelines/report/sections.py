"""The report's sections: each is a chart plus the table of the numbers it draws,
or, when the archive cannot support it, one line saying why (``Section.missing``)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipelines.report import charts, measures
from pipelines.report.archive import Archive, Post

TOP_N = 15
LATEST_N = 20
#: posts drawn in the link graph, and the most links listed in its table before
#: the table keeps to the links from the drawn posts
GRAPH_N = 40
GRAPH_TABLE_MAX = 2000
NO_POSTS = "no posts in the archive"


@dataclass(frozen=True)
class Link:
    """A table cell that links to ``href``."""

    text: str
    href: str


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a chart; ``rows`` hold str, int, float, Link or None."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Section:
    """A chart (inline SVG) with its data table, or ``missing``: one line on why not."""

    id: str
    title: str
    svg: str | None = None
    table: DataTable | None = None
    missing: str | None = None
    note: str = ""
    table_only: bool = False

    @property
    def missing_line(self) -> str:
        return f"{self.title}: {self.missing}"


@dataclass(frozen=True)
class Headline:
    """One number at the top of the report; ``value`` is what tests compare."""

    key: str
    label: str
    value: int | str
    detail: str = field(default="")


def build_sections(archive: Archive) -> list[Section]:
    posts = archive.posts
    return [
        posts_per_month(posts),
        words(posts),
        *terms(posts, "tags", "tag", "Tags"),
        *terms(posts, "categories", "category", "Categories"),
        authors(posts),
        author_activity(posts),
        weekdays(posts),
        gaps(posts),
        most_linked(posts),
        link_graph(posts),
        *edits(archive),
        crawl_health(archive),
        latest(posts),
        removed(posts),
    ]


def headlines(archive: Archive) -> list[Headline]:
    posts = archive.posts
    dated = sorted(p.published for p in posts if p.published)
    span = f"{dated[0]:%Y-%m-%d} – {dated[-1]:%Y-%m-%d}" if dated else "–"
    gone = sum(p.gone for p in posts)
    return [
        Headline("posts", "Posts", len(posts), f"{gone} no longer online" if gone else ""),
        Headline("date-range", "Published", span),
        Headline("authors", "Authors", len(measures.term_counts(posts, "authors"))),
        Headline("tags", "Tags", len(measures.term_counts(posts, "tags"))),
        Headline("categories", "Categories", len(measures.term_counts(posts, "categories"))),
        Headline("versions", "Versions", len(archive.versions or ())),
        Headline("crawls", "Crawls", len(archive.crawls or ())),
    ]


def posts_per_month(posts: tuple[Post, ...]) -> Section:
    title = "Posts per month"
    series = measures.per_month(p.published for p in posts if p.published)
    if not series:
        return Section("posts-per-month", title, missing=NO_POSTS)
    months, counts = [m for m, _ in series], [n for _, n in series]
    svg = charts.monthly_bars("posts-per-month", title, months, {"Posts": counts}, "Posts")
    return Section("posts-per-month", title, svg, DataTable(("Month", "Posts"), list(series)))


def words(posts: tuple[Post, ...]) -> Section:
    title = "Words per post"
    counts = [p.word_count for p in posts if p.word_count is not None]
    if not counts:
        return Section("words", title, missing=NO_POSTS)
    bins, yearly = measures.word_histogram(counts), measures.words_per_year(posts)
    rows = [(y, n, round(q1, 1), round(q2, 1), round(q3, 1)) for y, n, q1, q2, q3 in yearly]
    table = DataTable(("Year", "Posts", "25th percentile", "Median", "75th percentile"), rows)
    note = f"Median of all posts: {round(measures.quartiles(counts)[1], 1)} words."
    return Section("words", title, charts.words("words", bins, yearly), table, note=note)


def terms(posts: tuple[Post, ...], attr: str, noun: str, plural: str) -> list[Section]:
    top_id, year_id = f"top-{attr}", f"{attr}-by-year"
    top_title, year_title = f"Top {plural.lower()}", f"Top {plural.lower()} by year"
    ranked = measures.ranking(measures.term_counts(posts, attr), TOP_N)
    if not ranked:
        reason = NO_POSTS if not posts else f"no post has a {noun}"
        return [
            Section(top_id, top_title, missing=reason),
            Section(year_id, year_title, missing=reason),
        ]
    names, counts = [n for n, _ in ranked], [c for _, c in ranked]
    top_svg = charts.ranked_bars(top_id, f"{top_title} (posts per {noun})", names, counts, "Posts")
    top = Section(top_id, top_title, top_svg, DataTable((noun.title(), "Posts"), ranked))
    years, matrix = measures.terms_by_year(posts, attr, names)
    year_svg = charts.heatmap(year_id, f"{year_title} (posts)", names, years, matrix)
    table = DataTable(
        (noun.title(), *map(str, years)), [(n, *row) for n, row in zip(names, matrix, strict=True)]
    )
    return [top, Section(year_id, year_title, year_svg, table)]


def authors(posts: tuple[Post, ...]) -> Section:
    title = "Posts per author"
    ranked = measures.ranking(measures.term_counts(posts, "authors"), TOP_N)
    if not ranked:
        return Section(
            "top-authors", title, missing=NO_POSTS if not posts else "no post names an author"
        )
    names, counts = [n for n, _ in ranked], [c for _, c in ranked]
    svg = charts.ranked_bars("top-authors", title, names, counts, "Posts")
    return Section("top-authors", title, svg, DataTable(("Author", "Posts"), ranked))


def author_activity(posts: tuple[Post, ...]) -> Section:
    title = "Author activity by quarter"
    ranked = measures.ranking(measures.term_counts(posts, "authors"), TOP_N)
    if not ranked:
        reason = NO_POSTS if not posts else "no post names an author"
        return Section("author-activity", title, missing=reason)
    names = [n for n, _ in ranked]
    quarters, matrix = measures.authors_by_quarter(posts, names)
    svg = charts.heatmap(
        "author-activity", f"{title} (posts)", names, quarters, matrix, xlabel="Quarter"
    )
    rows = [(n, *row) for n, row in zip(names, matrix, strict=True)]
    return Section("author-activity", title, svg, DataTable(("Author", *quarters), rows))


def weekdays(posts: tuple[Post, ...]) -> Section:
    title = "Posts per weekday"
    series = measures.per_weekday(posts)
    if not any(n for _, n in series):
        return Section("weekdays", title, missing=NO_POSTS)
    labels, counts = [d[:3] for d, _ in series], [n for _, n in series]
    svg = charts.bars("weekdays", title, labels, counts, axes=("Weekday", "Posts"))
    return Section("weekdays", title, svg, DataTable(("Weekday", "Posts"), series))


def gaps(posts: tuple[Post, ...]) -> Section:
    title = "Days between posts"
    between = measures.gaps(posts)
    if not between:
        reason = NO_POSTS if not posts else "fewer than two publication days"
        return Section("gaps", title, missing=reason)
    bins = measures.gap_histogram(d for *_r, d in between)
    svg = charts.bars(
        "gaps", title, [b for b, _ in bins], [n for _, n in bins], axes=("Days", "Gaps")
    )
    days = sorted(d for *_r, d in between)
    longest = max(between, key=lambda g: (g[2], g[0]))
    note = (
        f"Median gap {statistics.median(days):g} days; longest {longest[2]} days,"
        f" {longest[0]:%Y-%m-%d} to {longest[1]:%Y-%m-%d}."
    )
    return Section("gaps", title, svg, DataTable(("Gap", "Gaps"), bins), note=note)


def link_graph(posts: tuple[Post, ...]) -> Section:
    title = "Internal link graph"
    edges = measures.link_edges(posts)
    if not edges:
        reason = NO_POSTS if not posts else "no post links to another archived post"
        return Section("link-graph", title, missing=reason)
    degree = Counter(u for edge in edges for u in edge)
    shown = [u for u, _ in measures.ranking(degree, GRAPH_N)]
    number = {u: i for i, u in enumerate(shown)}
    drawn = [(number[a], number[b]) for a, b in edges if a in number and b in number]
    incoming = Counter(b for _a, b in drawn)
    svg = charts.link_graph(
        "link-graph",
        f"{title}: the {len(shown)} most-connected posts",
        [incoming.get(i, 0) for i in range(len(shown))],
        drawn,
    )
    titles = {p.url: p.title for p in posts}
    listed = edges if len(edges) <= GRAPH_TABLE_MAX else [e for e in edges if e[0] in number]
    rows = [
        (_node(number, a), Link(titles[a], a), _node(number, b), Link(titles[b], b))
        for a, b in listed
    ]
    note = (
        f"{len(edges)} links between {len(degree)} posts (related posts, previous/next and body"
        f" links). Node numbers are the table's #; arrows point to the linked post."
        + ("" if listed is edges else " The table lists the links from the numbered posts.")
    )
    table = DataTable(("#", "Post", "Links to #", "Linked post"), rows)
    return Section("link-graph", title, svg, table, note=note)


def _node(number: dict[str, int], url: str) -> int | None:
    return number[url] + 1 if url in number else None


def most_linked(posts: tuple[Post, ...]) -> Section:
    title = "Most-linked posts"
    ranked = measures.ranking(measures.incoming_links(posts), TOP_N)
    if not ranked:
        reason = NO_POSTS if not posts else "no post links to another archived post"
        return Section("most-linked", title, missing=reason)
    titles = {p.url: p.title for p in posts}
    svg = charts.ranked_bars(
        "most-linked",
        f"{title} (linking posts)",
        [titles[u] for u, _ in ranked],
        [n for _, n in ranked],
        "Other posts linking here",
    )
    rows = [(Link(titles[u], u), u, n) for u, n in ranked]
    note = (
        "Counts distinct other posts linking via the related-posts box, previous/next or the body."
    )
    return Section(
        "most-linked", title, svg, DataTable(("Post", "URL", "Linking posts"), rows), note=note
    )


def edits(archive: Archive) -> list[Section]:
    title, top_title = "Versions per month", "Most-edited posts"
    if not archive.versions:
        reason = "no version history in the archive (versions/ is absent or empty)"
        return [
            Section("edits", title, missing=reason),
            Section("most-edited", top_title, missing=reason),
        ]
    series = measures.versions_per_month(archive.versions)
    months = [m for m, *_ in series]
    first = [total - edited for _m, total, edited in series]
    svg = charts.monthly_bars(
        "edits",
        title,
        months,
        {"First versions, navigation only": first, "Edits": [e for *_r, e in series]},
        "Versions",
    )
    table = DataTable(("Month", "Versions", "Edits"), list(series))
    return [Section("edits", title, svg, table), most_edited(archive, top_title)]


def most_edited(archive: Archive, title: str) -> Section:
    ranked = measures.ranking(measures.edits_per_post(archive.versions or ()), TOP_N)
    if not ranked:
        return Section("most-edited", title, missing="no post's content was edited")
    titles = {p.url: p.title for p in archive.posts}
    labels = [titles.get(u, u) for u, _ in ranked]
    svg = charts.ranked_bars(
        "most-edited",
        title,
        labels,
        [n for _, n in ranked],
        "Edits (versions that changed the content)",
    )
    rows = [(Link(label, u), u, n) for label, (u, n) in zip(labels, ranked, strict=True)]
    return Section("most-edited", title, svg, DataTable(("Post", "URL", "Edits"), rows))


def crawl_health(archive: Archive) -> Section:
    title = "Crawl health"
    if not archive.crawls:
        return Section(
            "crawl-health",
            title,
            missing="no crawl log in the archive (crawls.parquet is absent or empty)",
        )
    rows = [measures.crawl_health(c) for c in archive.crawls]
    columns = (
        "Crawl",
        "Started",
        "Finish reason",
        "New",
        "Changed",
        "Relinked",
        "Gone",
        "Errors",
        "Coverage mean",
        "Coverage min",
    )
    table = DataTable(columns, [_crawl_row(r) for r in rows])
    return Section("crawl-health", title, charts.crawl_health("crawl-health", rows), table)


def _crawl_row(row: dict[str, Any]) -> tuple[Any, ...]:
    def ratio(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return (
        row["crawl_id"],
        f"{row['started']:%Y-%m-%d %H:%M}",
        row["finish_reason"],
        row["new"],
        row["changed"],
        row["relinked"],
        row["gone"],
        row["errors"],
        ratio(row["coverage_mean"]),
        ratio(row["coverage_min"]),
    )


def removed(posts: tuple[Post, ...]) -> Section:
    title = "Removed posts"
    gone = measures.removed(posts)
    if not posts:
        return Section("removed", title, missing=NO_POSTS)
    if not gone:  # a fact about the blog, not something the report cannot show
        return Section("removed", title, note="No archived post was removed from the site.")
    rows = [
        (
            f"{p.gone_at:%Y-%m-%d}",
            Link(p.title, p.url),
            f"{p.published:%Y-%m-%d}" if p.published else None,
            ", ".join(p.authors),
        )
        for p in gone
    ]
    table = DataTable(("Gone since", "Title", "Published", "Authors"), rows)
    return Section("removed", title, table=table, table_only=True)


def latest(posts: tuple[Post, ...]) -> Section:
    title = "Latest posts"
    dated = sorted(
        (p for p in posts if p.published), key=lambda p: (p.published, p.url), reverse=True
    )
    if not dated:
        return Section("latest", title, missing=NO_POSTS)
    rows = [
        (
            f"{p.published:%Y-%m-%d}",
            Link(p.title + (" (gone)" if p.gone else ""), p.url),
            ", ".join(p.authors),
            ", ".join(p.categories),
            p.word_count,
        )
        for p in dated[:LATEST_N]
    ]
    table = DataTable(("Published", "Title", "Authors", "Categories", "Words"), rows)
    return Section("latest", title, table=table, table_only=True)
