"""Write a synthetic but realistic site archive for tests and benchmarks.

``write_archive(site_dir, posts=N, seed=S)`` writes ``posts.parquet`` (built with
:data:`POST_SCHEMA` explicitly), optionally ``versions/`` and ``crawls.parquet``,
and returns a :class:`SyntheticArchive` holding what was written plus the truth
the generator knows and a report must rediscover: which archived post each
internal link was meant to reach (links come in the variants a real blog has:
no trailing slash, ``http://``, a ``#fragment``, an old slug, percent-encoding).

The archive exercises the awkward cases: German umlauts everywhere, date-only
posts at midnight Europe/Berlin on the first of a month (the previous month in
UTC), multi-author posts, gone posts, self-links, links to non-post pages, and
temp files in ``versions/`` (names starting with ``_`` or ``.``) that must be
ignored.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.schema import CRAWL_SCHEMA, POST_SCHEMA

BASE = "https://blog.example.de/"
BERLIN = ZoneInfo("Europe/Berlin")
AUTHORS = (
    "Jürgen Müller",
    "Anna Schäfer",
    "Özlem Yılmaz",
    "Peter Groß",
    "Sabine Köhler",
    "Thomas Weiß",
    "Laura Bäcker",
    "Michael Schröder",
    "Julia Fuß",
    "Stefan Hoffmann",
    "Katrin Lührs",
    "Björn Jäger",
)
TAGS = (
    "Künstliche Intelligenz",
    "Digitalisierung",
    "Cloud",
    "Öffentliche Verwaltung",
    "IT-Sicherheit",
    "Onlinezugangsgesetz",
    "E-Government",
    "Datenschutz",
    "Agilität",
    "Führung",
    "Mobilität",
    "Smart City",
    "Barrierefreiheit",
    "Prozessautomatisierung",
    "DevOps",
    "Künstliche Intelligenz in der Praxis",
    "Nachhaltigkeit",
    "Fachkräfte",
    "Rechenzentrum",
    "Straßenverkehr",
    "Gesundheitswesen",
    "Energie",
    "Open Source",
    "Low Code",
    "ChatGPT",
    "Zukunft der Arbeit",
    "Homeoffice",
    "Maut",
    "Kundenservice",
    "Ausbildung",
)
CATEGORIES = (
    "Digitale Verwaltung",
    "Künstliche Intelligenz",
    "IT-Sicherheit",
    "Digital Enterprise",
    "Menschen & Karriere",
    "Mobilität & Verkehr",
    "Über uns",
)
WORDS = ("Prüfung", "Behörde", "Lösung", "Größe", "Überblick", "Zukunft", "Daten", "Bürger")


@dataclass
class SyntheticArchive:
    """What :func:`write_archive` wrote, and the truth behind it."""

    site_dir: Path
    posts: pa.Table
    versions: pa.Table | None
    crawls: pa.Table | None
    #: distinct (source post URL, target post URL) pairs, self-links excluded
    internal_links: set[tuple[str, str]] = field(default_factory=set)


def write_archive(
    site_dir: Path,
    posts: int = 200,
    seed: int = 1,
    *,
    with_history: bool = True,
    with_crawls: bool = True,
    start_year: int = 2012,
    end_year: int = 2024,
) -> SyntheticArchive:
    """Write a synthetic archive of ``posts`` posts into ``site_dir`` (created)."""
    rng = random.Random(seed)
    site_dir.mkdir(parents=True, exist_ok=True)
    rows = [{**_post(rng, i, start_year, end_year), "site": site_dir.name} for i in range(posts)]
    rows.sort(key=lambda r: (r["published_at"], r["url"]))
    links = _add_links(rng, rows)
    table = pa.Table.from_pylist(rows, schema=POST_SCHEMA)
    pq.write_table(table, site_dir / "posts.parquet")
    archive = SyntheticArchive(site_dir, table, None, None, links)
    if with_history and rows:
        archive.versions = _write_versions(rng, rows, site_dir / "versions")
    if with_crawls:
        archive.crawls = _write_crawls(rng, site_dir / "crawls.parquet")
    return archive


def _published(rng: random.Random, i: int, start_year: int, end_year: int) -> datetime:
    # Later years get more posts, as a growing blog does.
    year = start_year + int((end_year - start_year + 1) * rng.random() ** 0.7)
    year = min(year, end_year)
    month = rng.randint(1, 12)
    if i % 7 == 0:
        # A date-only source: midnight Berlin, often on the 1st (UTC: previous month).
        day = 1 if i % 14 == 0 else rng.randint(1, 28)
        return datetime(year, month, day, tzinfo=BERLIN).astimezone(UTC)
    local = datetime(year, month, rng.randint(1, 28), rng.randint(6, 20), rng.randint(0, 59))
    return local.replace(tzinfo=BERLIN).astimezone(UTC)


def _post(rng: random.Random, i: int, start_year: int, end_year: int) -> dict[str, object]:
    published = _published(rng, i, start_year, end_year)
    slug = f"beitrag-über-{rng.choice(WORDS).lower()}-{i}"
    local = published.astimezone(BERLIN)
    url = f"{BASE}{local.year}/{local.month:02d}/{quote(slug)}/"
    authors = rng.sample(AUTHORS, 2 if i % 9 == 0 else 1)
    first_seen = published + timedelta(hours=rng.randint(1, 48))
    title = f"{rng.choice(WORDS)} und {rng.choice(WORDS)}: Beitrag Nr. {i}"
    return {
        "url": url,
        "post_id": 1000 + i,
        "title": title,
        "description": f"Worum es in „{title}“ geht.",
        "published_at": published,
        "modified_at": None,
        "authors": [{"name": a, "url": f"{BASE}author/{i % 12}/", "bio": None} for a in authors],
        "tags": _tags(rng),
        "categories": rng.sample(CATEGORIES, rng.choice((1, 1, 1, 2))),
        "body_text": f"Text von Beitrag {i} über Größe und Prüfung.",
        "body_html": f"<p>Text von Beitrag {i}.</p>",
        "word_count": max(40, int(rng.lognormvariate(6.4, 0.5))),
        "language": "de",
        "images": [],
        "related_links": [],
        "body_links": [],
        "comment_count": rng.randint(0, 5),
        "content_hash": hashlib.sha256(f"{i}-v0".encode()).hexdigest(),
        "first_seen_at": first_seen,
        "fetched_at": first_seen,
        "crawl_id": "crawl-0001",
        "field_sources": [("title", "declared"), ("tags", "wordpress")],
        "gone_at": first_seen + timedelta(days=30) if i % 50 == 49 else None,
        "aliases": [f"{BASE}alter-slug-{i}/"] if i % 20 == 3 else [],
    }


def _tags(rng: random.Random) -> list[str]:
    # Zipf-like popularity, so a top-N is meaningful; sometimes a repeated tag.
    weights = [1 / (k + 1) for k in range(len(TAGS))]
    picked = rng.choices(TAGS, weights=weights, k=rng.randint(0, 5))
    return list(dict.fromkeys(picked)) + picked[:1] * (rng.random() < 0.05)


def _variant(rng: random.Random, target: dict[str, object]) -> str:
    url = str(target["url"])
    options = [url, url.rstrip("/"), url.replace("https://", "http://"), url + "#kommentare"]
    if target["aliases"]:
        options.append(str(target["aliases"][0]))  # type: ignore[index]
    return rng.choice(options)


def _add_links(rng: random.Random, rows: list[dict[str, object]]) -> set[tuple[str, str]]:
    links: set[tuple[str, str]] = set()
    for index, row in enumerate(rows):
        related = _related(rng, rows, index)
        body = _body_links(rng, rows, row)
        row["related_links"] = [
            {"url": t["url"], "title": t["title"], "relation": r} for r, t in related
        ]
        row["body_links"] = [{"url": u, "text": f"Link „{n}“"} for n, (u, _t) in enumerate(body)]
        targets = [str(t["url"]) for _r, t in related] + [t for _u, t in body if t]
        links.update((str(row["url"]), t) for t in targets if t != row["url"])
    return links


def _related(
    rng: random.Random, rows: list[dict[str, object]], index: int
) -> list[tuple[str, dict[str, object]]]:
    related: list[tuple[str, dict[str, object]]] = []
    if index > 0:
        related.append(("previous", rows[index - 1]))
    if index + 1 < len(rows):
        related.append(("next", rows[index + 1]))
    if len(rows) > 3:
        related += [("related", rng.choice(rows)) for _ in range(rng.randint(0, 3))]
    return related


def _body_links(
    rng: random.Random, rows: list[dict[str, object]], row: dict[str, object]
) -> list[tuple[str, str | None]]:
    """(href as written, the archived post it reaches or None)."""
    links: list[tuple[str, str | None]] = [
        ("https://www.example.com/studie-über-größe", None),
        (f"{BASE}category/digitale-verwaltung/", None),
        (f"{row['url']}#inhalt", str(row["url"])),
    ]
    for _ in range(rng.randint(0, 3)):
        target = rng.choice(rows)
        links.append((_variant(rng, target), str(target["url"])))
    return rng.sample(links, rng.randint(1, len(links)))


def _write_versions(rng: random.Random, rows: list[dict[str, object]], path: Path) -> pa.Table:
    versions: list[dict[str, object]] = []
    for row in rows:
        edits = rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5))
        for n in range(edits + 1):
            fetched = row["first_seen_at"] + timedelta(days=40 * n)  # type: ignore[operator]
            digest = hashlib.sha256(f"{row['url']}-v{n}".encode()).hexdigest()
            # a later version either edits the content or only moves the navigation
            changed = [] if n == 0 else rng.choice((["title", "body_text"], ["related_links"]))
            versions.append(
                {**row, "fetched_at": fetched, "content_hash": digest, "changed_fields": changed}
            )
    path.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(versions, schema=POST_SCHEMA)
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), path / "part-0000.parquet")
    pq.write_table(table.slice(half), path / "part-0001.parquet")
    # Temp files a writer leaves behind mid-write: a reader must ignore them.
    pq.write_table(table.slice(0, min(5, half)), path / "_tmp-part-0002.parquet")
    pq.write_table(table.slice(0, min(5, half)), path / ".part-0003.parquet")
    return table


def _write_crawls(rng: random.Random, path: Path, count: int = 24) -> pa.Table:
    start = datetime(2024, 6, 3, 2, 0, tzinfo=UTC)
    rows = [_crawl(rng, n, start + timedelta(days=7 * n)) for n in range(count)]
    table = pa.Table.from_pylist(rows, schema=CRAWL_SCHEMA)
    pq.write_table(table, path)
    return table


def _crawl(rng: random.Random, n: int, started: datetime) -> dict[str, object]:
    failed = n % 11 == 5
    return {
        "crawl_id": f"crawl-{n + 1:04d}",
        "site": "materna",
        "started_at": started,
        "finished_at": started + timedelta(minutes=rng.randint(20, 90)),
        "finish_reason": "shutdown" if failed else "finished",
        "exit_status": 1 if failed else 0,
        "unhealthy_reason": "Fehlerquote über Schwelle" if failed else None,
        "requests": rng.randint(800, 1500),
        "bytes": rng.randint(50_000_000, 90_000_000),
        "posts_new": rng.randint(0, 12),
        "posts_changed": rng.randint(0, 30),
        "posts_unchanged": rng.randint(500, 900),
        "posts_gone": rng.randint(0, 2),
        "errors": [
            ("http_404", rng.randint(0, 5)),
            ("timeout", rng.randint(0, 40 if failed else 3)),
        ],
        "coverage": [("title", 1.0), ("authors", rng.uniform(0.9, 1.0)), ("tags", 0.8)],
    }
