"""Edits and navigation apart: a version says which fields changed, and a moved
related-posts box or comment count is a version but not an edit of the content."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.archive import Outcome, SiteArchive, SiteLayout, read_posts
from pipelines.archive.content import legacy_hash
from pipelines.archive.layout import parquet_parts
from pipelines.archive.parts import read_versions
from pipelines.schema import POST_SCHEMA, conform
from tests.test_archive import SITE, crawl
from tests.test_archive_hash import BASE, T0, make_post

RELATED = [{"url": f"{BASE}nachbar/", "title": "Nachbar", "relation": "related"}]


def _outcomes(root: Path, n: int, posts: list[dict]) -> list[Outcome]:
    archive = SiteArchive(root, SITE, f"2026010{n}T000000Z-test{n}")
    archive.open()
    outcomes = [archive.add_post(p, T0 + timedelta(days=n)).outcome for p in posts]
    archive.finish(complete=True)
    return outcomes


def _history(root: Path, slug: str) -> list[dict]:
    """Every version of the post, each part read in the current schema."""
    parts = parquet_parts(SiteLayout(root, SITE).versions_dir)
    table = pa.concat_tables([read_versions(part) for part in parts])
    rows = [r for r in table.to_pylist() if r["url"] == f"{BASE}{slug}/"]
    return sorted(rows, key=lambda r: r["fetched_at"])


def test_changed_fields_name_what_differs_and_navigation_is_not_an_edit(tmp_path: Path) -> None:
    assert _outcomes(tmp_path, 1, [make_post("a"), make_post("b")]) == [Outcome.NEW] * 2
    second = [make_post("a", related_links=RELATED, comment_count=2), make_post("b", title="B2")]
    assert _outcomes(tmp_path, 2, second) == [Outcome.RELINKED, Outcome.CHANGED]
    assert _outcomes(tmp_path, 3, second) == [Outcome.UNCHANGED] * 2

    a, b = _history(tmp_path, "a"), _history(tmp_path, "b")
    assert [v["changed_fields"] for v in a] == [[], ["related_links", "comment_count"]]
    assert [v["changed_fields"] for v in b] == [[], ["title"]]
    assert a[0]["content_hash"] == a[1]["content_hash"]
    assert a[0]["navigation_hash"] != a[1]["navigation_hash"]
    posts = {r["url"]: r for r in read_posts(tmp_path / SITE).to_pylist()}
    assert posts[f"{BASE}a/"]["related_links"] == RELATED
    assert posts[f"{BASE}a/"]["comment_count"] == 2


def test_a_second_change_in_one_crawl_is_diffed_against_the_buffered_version(
    tmp_path: Path,
) -> None:
    crawl(tmp_path, 1, [make_post("a")])
    archive = SiteArchive(tmp_path, SITE, "20260102T000000Z-twice")
    archive.open()
    archive.add_post(make_post("a", title="A2"), T0 + timedelta(days=2))
    archive.flush()
    archive.add_post(make_post("a", title="A2", related_links=RELATED), T0 + timedelta(days=3))
    archive.add_post(make_post("a", title="A3", related_links=RELATED), T0 + timedelta(days=4))
    archive.finish(complete=True)
    changed = [v["changed_fields"] for v in _history(tmp_path, "a")]
    assert changed == [[], ["title"], ["related_links"], ["title"]]


def _schema_1_part(path: Path, post: dict) -> None:
    """A versions part written before schema 2: no navigation_hash or changed_fields,
    and a content hash over every page field."""
    old = pa.schema([f for f in POST_SCHEMA if f.name not in {"navigation_hash", "changed_fields"}])
    row = post | {
        "content_hash": legacy_hash(post),
        "first_seen_at": T0,
        "fetched_at": T0,
        "crawl_id": "20250101T000000Z-old",
        "aliases": [],
    }
    row = {k: v for k, v in row.items() if k in old.names}
    pq.write_table(pa.Table.from_pylist([row], schema=old), path)


def test_versions_from_schema_1_read_and_compare_without_a_false_edit(tmp_path: Path) -> None:
    layout = SiteLayout(tmp_path, SITE)
    layout.make_dirs()
    part = layout.versions_dir / "part-20250101T000000Z-old-00001.parquet"
    _schema_1_part(part, make_post("alt"))
    assert conform(pq.read_table(part)).column("changed_fields").to_pylist() == [[]]

    assert _outcomes(tmp_path, 1, [make_post("alt")]) == [Outcome.UNCHANGED]
    relinked = make_post("alt", related_links=RELATED)
    assert _outcomes(tmp_path, 2, [relinked]) == [Outcome.RELINKED]
    assert [v["changed_fields"] for v in _history(tmp_path, "alt")] == [[], ["related_links"]]
