"""The archive store and the mirror that keeps it in step with a node's local copy.

The mirror's rules are checked on a ``file://`` store (quick); the store's put,
get and list against a real S3-compatible server (moto, slow)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scrapy.settings import Settings

from pipelines.archive import SiteArchive
from pipelines.archive.compaction import compact_site
from pipelines.archive.layout import SiteLayout, write_table_atomic
from pipelines.archive.lock import ArchiveLocked, SiteLock
from pipelines.archive.mirror import SiteMirror, local_root, use_store
from pipelines.archive.store import ArchiveStore, StoreUnusable, is_store_uri
from tests.support.objectstore import S3Server, moto_server, store_env
from tests.test_archive_hash import T0, make_post
from tests.test_compaction import crawl, versions


def _table(*urls: str) -> pa.Table:
    return pa.table({"url": list(urls)})


def _site(root: Path, parts: int = 2) -> SiteLayout:
    """A local copy with ``parts`` version parts, one event part, a finished and an
    open WARC, temp files, a lock, an HTTP cache, a crawl log and a posts table."""
    layout = SiteLayout(root, "blog")
    layout.make_dirs()
    for n in range(1, parts + 1):
        write_table_atomic(
            _table(f"https://b/{n}"), layout.versions_dir / f"part-c1-{n:05d}.parquet"
        )
    write_table_atomic(_table("https://b/1"), layout.events_dir / "part-c1-00001.parquet")
    (layout.warc_dir / "c1.warc.gz").write_bytes(b"finished warc")
    (layout.warc_dir / "c2.warc.gz.open").write_bytes(b"half a warc")
    (layout.versions_dir / ".part-c2-00001.parquet.tmp").write_bytes(b"half a part")
    layout.lock_path.write_text("123\n")
    (layout.site_dir / "httpcache" / "ab").mkdir(parents=True)
    (layout.site_dir / "httpcache" / "ab" / "response_body").write_bytes(b"<rss/>")
    write_table_atomic(_table("https://b/1"), layout.site_dir / "crawls.parquet")
    write_table_atomic(_table("https://b/1", "https://b/2"), layout.posts_path)
    return layout


@pytest.fixture
def file_store(tmp_path: Path) -> ArchiveStore:
    (tmp_path / "bucket").mkdir()
    return ArchiveStore.from_uri((tmp_path / "bucket").as_uri())


@pytest.mark.parametrize(
    ("value", "uri"),
    [
        ("s3://bucket/prefix", True),
        ("file:///srv/archive", True),
        ("gs://bucket", True),
        ("data", False),
        ("/srv/data", False),
        ("relative/s3:/x", False),
    ],
)
def test_archive_dir_is_a_store_uri_only_with_a_scheme(value: str, uri: bool) -> None:
    assert is_store_uri(value) is uri


def test_the_local_copy_does_not_depend_on_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    first = local_root("s3://bucket/some/prefix", None)
    monkeypatch.chdir("/")
    assert local_root("s3://bucket/some/prefix", None) == first
    assert first == tmp_path / "state" / "blog-archiver" / "s3" / "bucket" / "some" / "prefix"
    assert local_root("s3://bucket/p", str(tmp_path / "n")) == tmp_path / "n"


def test_a_uri_archive_dir_points_the_crawl_at_the_local_copy(tmp_path: Path) -> None:
    uri = (tmp_path / "bucket").as_uri()
    settings = Settings({"ARCHIVE_DIR": uri, "ARCHIVE_LOCAL_DIR": str(tmp_path / "node")})
    store = use_store(settings)
    assert store is not None
    assert settings["ARCHIVE_DIR"] == str(tmp_path / "node")
    assert settings["ARCHIVE_STORE"] == uri
    assert use_store(Settings({"ARCHIVE_DIR": "data"})) is None


def test_an_unknown_scheme_is_one_line() -> None:
    with pytest.raises(StoreUnusable, match=r"cannot use the archive store nosuch://x"):
        ArchiveStore.from_uri("nosuch://x/y")


def test_push_uploads_finished_files_only(tmp_path: Path, file_store: ArchiveStore) -> None:
    layout = _site(tmp_path / "node")
    uploaded = SiteMirror(file_store, layout).push()
    keys = set(file_store.list("blog"))
    assert keys == {
        "blog/versions/part-c1-00001.parquet",
        "blog/versions/part-c1-00002.parquet",
        "blog/events/part-c1-00001.parquet",
        "blog/warc/c1.warc.gz",
        "blog/crawls.parquet",
        "blog/posts.parquet",
    }
    assert uploaded == len(keys)
    stored = Path(file_store.path("blog/posts.parquet"))
    assert pq.read_table(stored).column("url").to_pylist() == ["https://b/1", "https://b/2"]
    assert not list(Path(file_store.root).rglob("*.tmp"))


def test_a_second_push_uploads_nothing_but_what_is_new(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    layout = _site(tmp_path / "node")
    mirror = SiteMirror(file_store, layout)
    mirror.push()
    assert mirror.push() == 0
    write_table_atomic(_table("https://b/3"), layout.versions_dir / "part-c2-00001.parquet")
    write_table_atomic(_table("https://b/1", "https://b/3"), layout.posts_path)
    assert mirror.push() == 2
    stored = pq.read_table(file_store.path("blog/posts.parquet")).column("url").to_pylist()
    assert stored == ["https://b/1", "https://b/3"]


def test_staged_parts_go_up_hidden_and_are_deleted_once_their_crawl_is_published(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    archive = SiteArchive(tmp_path / "node", "blog", "20260105T000000Z-a", warc=False)
    archive.open()
    for slug in ("a", "b", "c"):
        archive.add_post(make_post(slug), T0)
        archive.flush()
    mirror = SiteMirror(file_store, archive.layout)
    mirror.refresh()
    assert mirror.push_parts() == 3  # during the crawl
    staged = [f"blog/versions/_staging/20260105T000000Z-a/part-0000{n}.parquet" for n in (1, 2, 3)]
    assert sorted(file_store.list("blog/versions")) == staged

    fresh = SiteLayout(tmp_path / "fresh", "blog")  # the node is lost; another pulls
    SiteMirror(file_store, fresh).pull()
    successor = SiteArchive(fresh.root, "blog", "20260106T000000Z-b", warc=False)
    successor.open()  # publishes what the lost node staged
    successor.finish(complete=True)
    SiteMirror(file_store, fresh).push()
    assert sorted(file_store.list("blog/versions")) == [
        "blog/versions/part-20260105T000000Z-a.parquet"
    ]
    published = pq.read_table(file_store.path("blog/versions/part-20260105T000000Z-a.parquet"))
    assert sorted(published.column("url").to_pylist()) == [make_post(s)["url"] for s in "abc"]
    archive.lock.release()


def test_a_month_compacted_on_the_node_replaces_its_objects_in_the_store(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    node = tmp_path / "node"
    crawl(node, "20260105T000000Z-a", ["a", "b"])
    crawl(node, "20260120T000000Z-b", ["b", "c"], edit=" neu")
    layout = SiteLayout(node, "testsite")
    mirror = SiteMirror(file_store, layout)
    mirror.push()
    before = versions(node)
    compact_site(layout, ["2026-01"], "2026-01")
    assert mirror.pull() == 0  # the merged files are not fetched back
    mirror.push()
    assert sorted(file_store.list("testsite/versions")) == [
        "testsite/versions/month-2026-01.parquet"
    ]
    fresh = tmp_path / "fresh"
    SiteMirror(file_store, SiteLayout(fresh, "testsite")).pull()
    assert versions(fresh) == before


def test_a_fresh_node_pulls_what_was_archived_but_the_warcs(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    SiteMirror(file_store, _site(tmp_path / "first")).push()
    fresh = SiteLayout(tmp_path / "second", "blog")
    fetched = SiteMirror(file_store, fresh).pull()
    assert fetched == 5
    names = sorted(p.relative_to(fresh.site_dir).as_posix() for p in fresh.site_dir.rglob("*"))
    assert [n for n in names if not n.startswith(".") and "/" in n] == [
        "events/part-c1-00001.parquet",
        "versions/part-c1-00001.parquet",
        "versions/part-c1-00002.parquet",
    ]
    assert pq.read_table(fresh.posts_path).num_rows == 2
    assert (fresh.site_dir / "crawls.parquet").is_file()
    assert not (fresh.warc_dir / "c1.warc.gz").exists()
    assert SiteMirror(file_store, fresh).pull() == 0


def test_a_newer_posts_table_in_the_store_replaces_a_clean_local_one(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    """The blog moved to another node and back: the store's table is the newer one."""
    here = _site(tmp_path / "here")
    SiteMirror(file_store, here).push()
    there = SiteLayout(tmp_path / "there", "blog")
    SiteMirror(file_store, there).pull()
    write_table_atomic(_table("https://b/9"), there.posts_path)
    SiteMirror(file_store, there).push()
    SiteMirror(file_store, here).pull()
    assert pq.read_table(here.posts_path).column("url").to_pylist() == ["https://b/9"]


def test_a_local_table_whose_upload_failed_wins_over_the_store(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    """A crawl rebuilt posts.parquet and died before its upload: the next crawl keeps
    the local table and uploads it, not the store's older one."""
    layout = _site(tmp_path / "node")
    mirror = SiteMirror(file_store, layout)
    mirror.push()
    write_table_atomic(_table("https://b/new"), layout.posts_path)
    assert mirror.pull() == 0
    mirror.push()
    stored = pq.read_table(file_store.path("blog/posts.parquet")).column("url").to_pylist()
    assert stored == ["https://b/new"]


def test_a_temp_object_a_killed_upload_left_is_never_pulled(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    SiteMirror(file_store, _site(tmp_path / "first")).push()
    temp = Path(file_store.path("blog/versions/.part-c3-00001.parquet.tmp"))
    temp.write_bytes(b"half")
    fresh = SiteLayout(tmp_path / "second", "blog")
    SiteMirror(file_store, fresh).pull()
    assert not list(fresh.site_dir.rglob("*.tmp"))


def test_the_upload_after_a_crawl_leaves_a_running_crawl_to_upload_itself(
    tmp_path: Path, file_store: ArchiveStore
) -> None:
    layout = _site(tmp_path / "node")
    running = SiteLock(layout.lock_path, "blog")
    running.acquire()
    try:
        SiteMirror(file_store, layout).sync_after_crawl()
        assert file_store.list("blog") == {}
        with pytest.raises(ArchiveLocked):
            SiteMirror(file_store, layout).sync_before_crawl()
    finally:
        running.release()
    SiteMirror(file_store, layout).sync_after_crawl()
    assert "blog/posts.parquet" in file_store.list("blog")


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with moto_server() as server, store_env(server):
        server.create_bucket("archive")
        yield server


@pytest.mark.slow
def test_put_get_and_list_on_an_s3_server(s3: S3Server, tmp_path: Path) -> None:
    store = ArchiveStore.from_uri("s3://archive/blogs")
    assert store.atomic_put
    source = tmp_path / "part.parquet"
    write_table_atomic(_table("https://b/1"), source)
    store.put(source, "blog/versions/part-c1-00001.parquet")
    assert store.exists("blog/versions/part-c1-00001.parquet")
    assert not store.exists("blog/versions/part-c1-00002.parquet")
    listed = store.list("blog")
    assert list(listed) == ["blog/versions/part-c1-00001.parquet"]
    assert listed["blog/versions/part-c1-00001.parquet"].size == source.stat().st_size
    back = tmp_path / "copy" / "part.parquet"
    store.get("blog/versions/part-c1-00001.parquet", back)
    assert back.read_bytes() == source.read_bytes()
    assert store.list("nothing-here") == {}


@pytest.mark.slow
def test_a_missing_bucket_is_one_line(s3: S3Server, tmp_path: Path) -> None:
    layout = _site(tmp_path / "node")
    mirror = SiteMirror(ArchiveStore.from_uri("s3://no-such-bucket/x"), layout)
    with pytest.raises(StoreUnusable, match=r"s3://no-such-bucket/x: no bucket 'no-such-bucket'"):
        mirror.sync_before_crawl()
    assert os.environ["AWS_ENDPOINT_URL"] == s3.endpoint
