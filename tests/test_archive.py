"""The archive's contract on synthetic posts: append-only versions, no duplicates,
gone/back, rebuild from versions alone, schema evolution, crash cleanup, readers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipelines.archive import (
    InvalidPost,
    Outcome,
    SiteArchive,
    SiteLayout,
    content_hash,
    known_posts,
    read_posts,
    rebuild_posts,
)
from pipelines.archive.parts import read_versions
from pipelines.schema import METADATA_KEY, POST_SCHEMA, SCHEMA_VERSION
from tests.test_archive_hash import BASE, T0, make_page, make_post

SITE = "testsite"


def crawl(
    root: Path,
    n: int,
    posts: list[dict],
    *,
    gone: tuple[str, ...] = (),
    complete: bool = True,
    flush_every: int = 20,
) -> SiteArchive:
    """One crawl (crawl id from ``n``) that archives ``posts`` and marks ``gone`` URLs."""
    at = T0 + timedelta(days=n)
    archive = SiteArchive(root, SITE, f"2026010{n}T000000Z-test{n}")
    archive.open()
    for post in posts:
        archive.add_post(post, at)
        archive.record_page(make_page(post, at=at))
        if archive.pending >= flush_every:
            archive.flush()
    for url in gone:
        archive.mark_gone(url, at)
    archive.finish(complete=complete)
    return archive


def versions(root: Path) -> pa.Table:
    return ds.dataset(SiteLayout(root, SITE).versions_dir, format="parquet").to_table()


def test_unchanged_post_adds_no_row(tmp_path: Path) -> None:
    posts = [make_post(f"p{i}") for i in range(3)]
    crawl(tmp_path, 1, posts)
    first = versions(tmp_path)
    archive = SiteArchive(tmp_path, SITE, "20260102T000000Z-again")
    archive.open()
    outcomes = {archive.add_post(p, T0 + timedelta(days=1)).outcome for p in posts}
    archive.finish(complete=True)
    assert outcomes == {Outcome.UNCHANGED}
    assert versions(tmp_path).num_rows == first.num_rows == 3


def test_changed_post_adds_a_version_and_posts_has_the_newest(tmp_path: Path) -> None:
    crawl(tmp_path, 1, [make_post("a"), make_post("b")])
    new_title = "Neuer Titel"
    crawl(tmp_path, 2, [make_post("a", title=new_title), make_post("b")])
    table = versions(tmp_path)
    assert sorted(table.column("url").to_pylist()) == [f"{BASE}a/", f"{BASE}a/", f"{BASE}b/"]
    posts = {r["url"]: r for r in read_posts(tmp_path / SITE).to_pylist()}
    assert posts[f"{BASE}a/"]["title"] == new_title
    assert posts[f"{BASE}a/"]["first_seen_at"] == T0 + timedelta(days=1)
    assert posts[f"{BASE}a/"]["fetched_at"] == T0 + timedelta(days=2)
    assert posts[f"{BASE}a/"]["content_hash"] == content_hash(make_post("a", title=new_title))


def test_gone_then_back(tmp_path: Path) -> None:
    url = f"{BASE}a/"
    crawl(tmp_path, 1, [make_post("a"), make_post("b")])
    crawl(tmp_path, 2, [make_post("b")], gone=(url,))
    gone = {r["url"]: r["gone_at"] for r in read_posts(tmp_path / SITE).to_pylist()}
    assert gone == {url: T0 + timedelta(days=2), f"{BASE}b/": None}
    assert known_posts(tmp_path / SITE)[url].gone
    crawl(tmp_path, 3, [make_post("a"), make_post("b")])
    assert not known_posts(tmp_path / SITE)[url].gone
    gone = {r["url"]: r["gone_at"] for r in read_posts(tmp_path / SITE).to_pylist()}
    assert gone == {url: None, f"{BASE}b/": None}
    assert versions(tmp_path).num_rows == 2


def test_gone_twice_keeps_the_first_time(tmp_path: Path) -> None:
    url = f"{BASE}a/"
    crawl(tmp_path, 1, [make_post("a")])
    crawl(tmp_path, 2, [], gone=(url,))
    crawl(tmp_path, 3, [], gone=(url,))
    assert read_posts(tmp_path / SITE).column("gone_at").to_pylist() == [T0 + timedelta(days=2)]


def test_unknown_url_is_never_gone(tmp_path: Path) -> None:
    crawl(tmp_path, 1, [make_post("a")])
    archive = SiteArchive(tmp_path, SITE, "20260102T000000Z-x")
    archive.open()
    assert not archive.mark_gone(f"{BASE}nie-gesehen/", T0)
    archive.finish(complete=True)
    assert read_posts(tmp_path / SITE).num_rows == 1


def test_rebuild_from_versions_alone_equals_incremental(tmp_path: Path) -> None:
    crawl(tmp_path, 1, [make_post(f"p{i}") for i in range(30)], flush_every=7)
    crawl(
        tmp_path,
        2,
        [make_post(f"p{i}", tags=["neu"]) for i in range(0, 30, 3)],
        gone=(f"{BASE}p1/",),
        flush_every=7,
    )
    site_dir = tmp_path / SITE
    incremental = pq.read_table(site_dir / "posts.parquet")
    (site_dir / "posts.parquet").unlink()
    assert rebuild_posts(site_dir) == 30
    rebuilt = pq.read_table(site_dir / "posts.parquet")
    assert rebuilt.equals(incremental)
    assert rebuilt.schema.metadata[METADATA_KEY] == str(SCHEMA_VERSION).encode()


def test_killed_crawl_leaves_posts_parquet_as_the_last_complete_one(tmp_path: Path) -> None:
    crawl(tmp_path, 1, [make_post("a")])
    before = pq.read_table(tmp_path / SITE / "posts.parquet")
    crawl(tmp_path, 2, [make_post("a", title="anders"), make_post("b")], complete=False)
    assert pq.read_table(tmp_path / SITE / "posts.parquet").equals(before)
    assert versions(tmp_path).num_rows == 3
    known = known_posts(tmp_path / SITE)
    assert set(known) == {f"{BASE}a/", f"{BASE}b/"}
    assert known[f"{BASE}a/"].content_hash == content_hash(make_post("a", title="anders"))


def test_alias_of_an_unchanged_post_is_kept(tmp_path: Path) -> None:
    crawl(tmp_path, 1, [make_post("a")])
    archive = SiteArchive(tmp_path, SITE, "20260102T000000Z-x")
    archive.open()
    old_slug = f"{BASE}alter-slug/"
    added = archive.add_post(make_post("a"), T0 + timedelta(days=1), requested_url=old_slug)
    archive.finish(complete=True)
    assert added.outcome is Outcome.UNCHANGED
    assert read_posts(tmp_path / SITE).column("aliases").to_pylist() == [[old_slug]]
    assert versions(tmp_path).num_rows == 1


def test_new_post_via_redirect_has_alias_in_its_row(tmp_path: Path) -> None:
    archive = SiteArchive(tmp_path, SITE, "20260101T000000Z-x")
    archive.open()
    archive.add_post(make_post("a"), T0, requested_url=f"{BASE}?p=12")
    archive.finish(complete=True)
    assert versions(tmp_path).column("aliases").to_pylist() == [[f"{BASE}?p=12"]]


def test_invalid_post_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    archive = SiteArchive(tmp_path, SITE, "20260101T000000Z-x")
    archive.open()
    with pytest.raises(InvalidPost, match="title"):
        archive.add_post(make_post("a", title=None), T0)
    assert archive.pending == 0
    assert archive.states == {}
    archive.finish(complete=True)


def old_schema_file(path: Path) -> None:
    """A versions part from before ``gone_at``, ``aliases``, ``field_sources`` and
    ``site`` existed."""
    dropped = {"gone_at", "aliases", "field_sources", "site"}
    old = pa.schema([f for f in POST_SCHEMA if f.name not in dropped])
    row = make_post("alt") | {
        "content_hash": content_hash(make_post("alt")),
        "first_seen_at": T0,
        "fetched_at": T0,
        "crawl_id": "20250101T000000Z-old",
    }
    row = {k: v for k, v in row.items() if k in old.names}
    pq.write_table(pa.Table.from_pylist([row], schema=old), path)


def test_old_schema_file_reads_and_rebuilds(tmp_path: Path) -> None:
    layout = SiteLayout(tmp_path, SITE)
    layout.make_dirs()
    old_schema_file(layout.versions_dir / "part-20250101T000000Z-old-00001.parquet")
    crawl(tmp_path, 1, [make_post("neu"), make_post("alt")])
    posts = read_posts(layout.site_dir)
    written = pq.read_schema(layout.posts_path)
    assert written.names == POST_SCHEMA.names
    assert written.metadata[METADATA_KEY] == str(SCHEMA_VERSION).encode()
    assert [f.nullable for f in written] == [f.nullable for f in POST_SCHEMA]
    rows = {r["url"]: r for r in posts.to_pylist()}
    assert rows[f"{BASE}alt/"]["aliases"] == []
    assert rows[f"{BASE}alt/"]["crawl_id"] == "20250101T000000Z-old"
    # the old part has no site: it reads as its folder's name, as the new rows say it
    assert {r["site"] for r in rows.values()} == {SITE}
    (new_part,) = layout.versions_dir.glob("part-20260101*.parquet")
    assert pq.read_table(new_part).column("site").to_pylist() == [SITE]  # "alt" is unchanged
    assert rows[f"{BASE}neu/"]["field_sources"] == [
        ("title", "declared"),
        ("body_text", "wordpress"),
    ]
    assert versions_count(layout) == 2


@pytest.mark.parametrize(
    ("where", "site"),
    [
        ("blog-a/versions/part-x-00001.parquet", "blog-a"),
        ("blog-b/posts.parquet", "blog-b"),
        ("blog-c/events/part-x-00001.parquet", "blog-c"),
        ("versions/posts.parquet", "versions"),
    ],
)
def test_a_file_without_a_site_reads_as_its_site_folder(
    tmp_path: Path, where: str, site: str
) -> None:
    path = tmp_path / "data" / where
    path.parent.mkdir(parents=True)
    old_schema_file(path)
    assert read_versions(path, ["url", "site"]).column("site").to_pylist() == [site]
    assert read_versions(path).column("site").to_pylist() == [site]


def versions_count(layout: SiteLayout) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in layout.versions_dir.glob("*.parquet"))


def test_leftover_temp_files_are_removed_at_start(tmp_path: Path) -> None:
    layout = SiteLayout(tmp_path, SITE)
    layout.make_dirs()
    leftovers = [
        layout.versions_dir / ".part-x-00001.parquet.tmp",
        layout.events_dir / ".part-x-00001.parquet.tmp",
        layout.site_dir / ".posts.parquet.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"PAR1 torn")
    crawl(tmp_path, 1, [make_post("a")])
    assert [p for p in leftovers if p.exists()] == []


def test_versions_read_with_pandas_duckdb_and_polars(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    crawl(tmp_path, 1, [make_post(f"p{i}") for i in range(5)], flush_every=2)
    crawl(tmp_path, 2, [make_post("p0", title="zwei")])
    versions_dir = SiteLayout(tmp_path, SITE).versions_dir
    (versions_dir / ".part-torn-00001.parquet.tmp").write_bytes(b"not parquet")
    assert len(pd.read_parquet(versions_dir)) == 6
    sql = f"select count(*), count(distinct url) from read_parquet('{versions_dir}/*.parquet')"
    assert duckdb.sql(sql).fetchall() == [(6, 5)]
    assert pl.read_parquet(f"{versions_dir}/*.parquet").height == 6
