"""The report of a fleet: every blog under ``ARCHIVE_DIR`` on one page.

A blog is a site folder of the archive (one holding ``posts.parquet``,
``versions/`` or ``crawls.parquet``), named as its folder is, which is the name
the crawl was given (``-a site=``).  Only each blog's ``posts.parquet`` is read,
and only the report's columns of it, so hundreds of blogs load in seconds.

The conventions are those of the single-blog report (:mod:`pipelines.report.measures`):
months in the report's time zone, rankings by count descending then name, a post
counts once per tag.  Tags are shared across blogs by their case-folded text
("Cloud" on one blog and "cloud" on another are one tag), shown in their most
frequent spelling.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.archive.layout import SiteLayout
from pipelines.report import charts, measures
from pipelines.report.archive import Post, load_posts
from pipelines.report.sections import NO_POSTS, TOP_N, DataTable, Headline, Section

#: months that make a blog "active": the last year of the fleet's posts
ACTIVE_MONTHS = 12
NO_BLOGS = "no blog archives in the archive folder"


@dataclass(frozen=True)
class Blog:
    """One blog of the fleet: its name (its folder) and its posts."""

    name: str
    posts: tuple[Post, ...]


def load_fleet(archive_dir: Path, tz: ZoneInfo) -> tuple[Blog, ...]:
    """Every blog archived under ``archive_dir``, by name; FileNotFoundError when it
    is not a directory."""
    if not archive_dir.is_dir():
        raise FileNotFoundError(f"no archive directory {archive_dir}")
    folders = sorted(p for p in archive_dir.iterdir() if _is_site(p))
    return tuple(Blog(folder.name, load_posts(folder, tz)) for folder in folders)


def _is_site(path: Path) -> bool:
    if not path.is_dir() or path.name.startswith((".", "_")):
        return False
    layout = SiteLayout.of(path)
    return (
        layout.posts_path.is_file() or layout.versions_dir.is_dir() or layout.crawls_path.is_file()
    )


def fleet_sections(blogs: tuple[Blog, ...]) -> list[Section]:
    return [posts_per_blog_per_month(blogs), most_active(blogs), shared_tags(blogs)]


def fleet_headlines(blogs: tuple[Blog, ...]) -> list[Headline]:
    dated = sorted(p.published for b in blogs for p in b.posts if p.published)
    span = f"{dated[0]:%Y-%m-%d} – {dated[-1]:%Y-%m-%d}" if dated else "–"
    return [
        Headline("blogs", "Blogs", len(blogs)),
        Headline("posts", "Posts", sum(len(b.posts) for b in blogs)),
        Headline("date-range", "Published", span),
        Headline("shared-tags", "Shared tags", len(tags_across(blogs))),
    ]


def posts_per_blog_per_month(blogs: tuple[Blog, ...]) -> Section:
    title = "Posts per blog per month"
    months, counts = blog_months(blogs)
    if not months:
        return Section("blog-months", title, missing=NO_POSTS if blogs else NO_BLOGS)
    ranked = measures.ranking(Counter({b: sum(row.values()) for b, row in counts.items()}), TOP_N)
    names = [name for name, _ in ranked]
    matrix = [[counts[name].get(m, 0) for m in months] for name in names]
    svg = charts.heatmap("blog-months", f"{title} (posts)", names, months, matrix, xlabel="Month")
    # blogs without a dated post (none yet: a blog whose crawls failed) have no row
    rows = [(name, m, row[m]) for name, row in counts.items() for m in months if row.get(m)]
    note = (
        f"The chart shows the {len(names)} blogs with the most posts; the table lists every"
        " blog's months with posts."
    )
    return Section(
        "blog-months", title, svg, DataTable(("Blog", "Month", "Posts"), rows), note=note
    )


def blog_months(blogs: tuple[Blog, ...]) -> tuple[list[str], dict[str, Counter[str]]]:
    """Every month from the fleet's first post to its last, and each blog's posts
    per month (only blogs with dated posts)."""
    counts = {
        b.name: Counter(measures.month(p.published) for p in b.posts if p.published) for b in blogs
    }
    counts = {name: row for name, row in counts.items() if row}
    every = [m for row in counts.values() for m in row]
    return (measures.month_range(min(every), max(every)) if every else []), counts


def most_active(blogs: tuple[Blog, ...]) -> Section:
    title = "Most active blogs"
    months, counts = blog_months(blogs)
    if not months:
        return Section("most-active", title, missing=NO_POSTS if blogs else NO_BLOGS)
    recent = months[-ACTIVE_MONTHS:]
    active = Counter(
        {b.name: sum(counts.get(b.name, Counter()).get(m, 0) for m in recent) for b in blogs}
    )
    ranked = measures.ranking(active, len(blogs))
    label = f"Posts {recent[0]} to {recent[-1]}"
    shown = ranked[:TOP_N]
    svg = charts.ranked_bars(
        "most-active", f"{title} (posts in the last {len(recent)} months)",
        [n for n, _ in shown], [c for _, c in shown], label,
    )  # fmt: skip
    by_name = {b.name: b for b in blogs}
    rows = [(name, n, len(by_name[name].posts), *_first_last(by_name[name])) for name, n in ranked]
    table = DataTable(("Blog", label, "Posts", "First post", "Latest post"), rows)
    note = f"Active means posts published in the fleet's last {len(recent)} months with posts."
    return Section("most-active", title, svg, table, note=note)


def _first_last(blog: Blog) -> tuple[str | None, str | None]:
    dated = sorted(p.published for p in blog.posts if p.published)
    if not dated:
        return None, None
    return f"{dated[0]:%Y-%m-%d}", f"{dated[-1]:%Y-%m-%d}"


@dataclass(frozen=True)
class SharedTag:
    """A tag used by more than one blog: its shown spelling, the blogs, the posts."""

    tag: str
    blogs: tuple[str, ...]
    posts: int


def tags_across(blogs: tuple[Blog, ...]) -> list[SharedTag]:
    """The tags more than one blog uses, most blogs first, then most posts, then by name."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    users: dict[str, set[str]] = defaultdict(set)
    posts: Counter[str] = Counter()
    for blog in blogs:
        for post in blog.posts:
            for key, tag in {t.casefold().strip(): t for t in post.tags}.items():
                spellings[key][tag] += 1
                users[key].add(blog.name)
                posts[key] += 1
    shared = [
        SharedTag(measures.ranking(spellings[k], 1)[0][0], tuple(sorted(users[k])), posts[k])
        for k in users
        if len(users[k]) > 1
    ]
    return sorted(shared, key=lambda s: (-len(s.blogs), -s.posts, s.tag))


def shared_tags(blogs: tuple[Blog, ...]) -> Section:
    title = "Tags shared across blogs"
    if len(blogs) < 2:
        reason = NO_BLOGS if not blogs else "only one blog in the archive folder"
        return Section("shared-tags", title, missing=reason)
    shared = tags_across(blogs)
    if not shared:
        return Section("shared-tags", title, missing="no tag is used by more than one blog")
    shown = shared[:TOP_N]
    svg = charts.ranked_bars(
        "shared-tags", f"{title} (blogs using the tag)",
        [s.tag for s in shown], [len(s.blogs) for s in shown], "Blogs",
    )  # fmt: skip
    rows = [(s.tag, len(s.blogs), s.posts, ", ".join(s.blogs)) for s in shared]
    table = DataTable(("Tag", "Blogs", "Posts", "Used by"), rows)
    note = "Tags are compared ignoring case; each is shown in its most frequent spelling."
    return Section("shared-tags", title, svg, table, note=note)
