"""Few, large files: a crawl's parts published as one file, months merged on demand.

Publishing and month compaction must be atomic for readers (a crawl's rows are
there whole or not at all, never twice) and lose nothing when killed at any
step: the crash tests kill a real writer process at each named step
(``ARCHIVE_CRASH_AT``) and let the next crawl recover.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.archive import SiteArchive, SiteLayout, read_posts, rebuild_posts
from pipelines.archive.compaction import CRASH_AT, compact_site
from pipelines.archive.index import load_states
from pipelines.archive.layout import parquet_parts
from pipelines.archive.mirror import SiteMirror
from pipelines.archive.store import ArchiveStore
from pipelines.report.archive import load_archive
from tests.replica import expected_posts
from tests.support.crawl import REPO, SCRAPY, run_crawl
from tests.test_archive_hash import make_post

ROOT = Path(__file__).resolve().parents[1]
SITE = "testsite"
BERLIN = ZoneInfo("Europe/Berlin")

#: A crawl in a child process: adds ``posts`` new posts (three per part), edits the
#: title of ``p0``, marks ``a0`` gone, and finishes; ARCHIVE_CRASH_AT may kill it.
WRITER = """
import sys
from datetime import UTC, datetime
from pipelines.archive import SiteArchive
from pipelines.archive.compaction import compact_site
from tests.replica import expected_posts
from tests.support.crawl import REPO, SCRAPY, run_crawl
from tests.test_archive_hash import make_post
root, crawl_id, posts = sys.argv[1], sys.argv[2], int(sys.argv[3])
if crawl_id == "compact":
    from pipelines.archive import SiteLayout
    compact_site(SiteLayout.of(root + "/testsite"), [sys.argv[4]], sys.argv[4])
    sys.exit(0)
at = datetime.strptime(crawl_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
archive = SiteArchive(root, "testsite", crawl_id, warc=False)
archive.open()
for i in range(posts):
    archive.add_post(make_post(f"{crawl_id}-{i}"), at)
    if archive.pending >= 3:
        archive.flush()
archive.mark_gone(make_post("a0")["url"], at)
archive.finish(complete=True)
"""


def crawl(root: Path, crawl_id: str, slugs: list[str], *, edit: str = "") -> None:
    """One crawl in this process: archive ``slugs`` (title suffixed with ``edit``), a
    part per two posts, at the time its id names."""
    at = datetime.strptime(crawl_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    archive = SiteArchive(root, SITE, crawl_id, warc=False)
    archive.open()
    for slug in slugs:
        archive.add_post(make_post(slug, title=f"Über {slug}{edit}"), at)
        if archive.pending >= 2:
            archive.flush()
    archive.finish(complete=True)


def run_writer(root: Path, crawl_id: str, *args: str, crash: str = "") -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT), CRASH_AT: crash}
    command = [sys.executable, "-c", WRITER, str(root), crawl_id, *args]
    return subprocess.run(command, cwd=ROOT, env=env, timeout=120, check=False).returncode


def versions(root: Path) -> Counter[tuple[str, datetime, str]]:
    """Every version the archive's own reader lists, as (url, fetched_at, content_hash)."""
    counted: Counter[tuple[str, datetime, str]] = Counter()
    for path in parquet_parts(SiteLayout(root, SITE).versions_dir):
        table = pq.read_table(path, columns=["url", "fetched_at", "content_hash"])
        counted.update((r["url"], r["fetched_at"], r["content_hash"]) for r in table.to_pylist())
    return counted


def globbed(directory: Path, crawl_id: str) -> tuple[int, int]:
    """Rows of ``crawl_id`` as analysts read them: a DuckDB glob, and pyarrow's dataset."""
    sql = f"SELECT count(*) FROM read_parquet('{directory}/*.parquet') WHERE crawl_id = ?"
    with duckdb.connect() as connection:  # not the default one, which other tests share
        ((duck,),) = connection.execute(sql, [crawl_id]).fetchall()
    table = pq.read_table(directory, columns=["crawl_id"]).column("crawl_id").to_pylist()
    return int(duck), table.count(crawl_id)


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_a_crawl_leaves_one_file_per_dataset_and_no_staging(tmp_path: Path) -> None:
    crawl(tmp_path, "20260101T000000Z-a", [f"a{i}" for i in range(7)])
    layout = SiteLayout(tmp_path, SITE)
    assert names(layout.versions_dir) == ["part-20260101T000000Z-a.parquet"]
    assert len(versions(tmp_path)) == 7
    assert pq.ParquetFile(layout.versions_dir / names(layout.versions_dir)[0]).num_row_groups == 1
    assert names(layout.events_dir) == []  # a crawl without events publishes none

    assert run_writer(tmp_path, "20260201T000000Z-b", "8") == 0
    assert names(layout.versions_dir) == [
        "part-20260101T000000Z-a.parquet",
        "part-20260201T000000Z-b.parquet",
    ]
    assert names(layout.events_dir) == ["part-20260201T000000Z-b.parquet"]
    assert sum(versions(tmp_path).values()) == len(versions(tmp_path)) == 15
    assert load_states(layout.site_dir)[make_post("a0")["url"]].gone


@pytest.mark.slow
@pytest.mark.parametrize("step", ["publish:writing", "publish:renamed", "publish:cleaning"])
def test_a_crash_while_publishing_loses_nothing_and_doubles_nothing(
    tmp_path: Path, step: str
) -> None:
    crawl(tmp_path, "20260101T000000Z-a", [f"a{i}" for i in range(5)])
    layout = SiteLayout(tmp_path, SITE)
    assert run_writer(tmp_path, "20260201T000000Z-b", "10", crash=step) == -9

    seen = globbed(layout.versions_dir, "20260201T000000Z-b")
    assert seen in ((0, 0), (10, 10)), f"readers saw part of the crawl: {seen}"
    assert len(load_states(layout.site_dir)) == 15  # the next crawl's plan knows every post

    crawl(tmp_path, "20260301T000000Z-c", [])  # recovers under the lock
    assert names(layout.versions_dir) == [
        "part-20260101T000000Z-a.parquet",
        "part-20260201T000000Z-b.parquet",
    ]
    assert names(layout.events_dir) == ["part-20260201T000000Z-b.parquet"]
    assert globbed(layout.versions_dir, "20260201T000000Z-b") == (10, 10)
    counted = versions(tmp_path)
    assert len(counted) == 15
    assert set(counted.values()) == {1}
    assert load_states(layout.site_dir)[make_post("a0")["url"]].gone
    assert read_posts(layout.site_dir).num_rows == 15


def test_a_reader_sees_a_crawl_whole_or_not_at_all_while_it_publishes(tmp_path: Path) -> None:
    layout = SiteLayout(tmp_path, SITE)
    crawl(tmp_path, "20260101T000000Z-a", ["a"])
    seen: list[Counter[str]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                table = pq.read_table(layout.versions_dir, columns=["crawl_id"])
                seen.append(Counter(table.column("crawl_id").to_pylist()))
            except BaseException as error:  # noqa: BLE001 - every failure is the finding
                errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(12):
            crawl(tmp_path, f"202602{n + 1:02d}T000000Z-p", [f"p{n}-{i}" for i in range(9)])
    finally:
        done.set()
        reader.join()
    assert errors == []
    assert len(seen) > 12, "the reader read too rarely to mean anything"
    partial = [c for c in seen if set(c.values()) - {1, 9}]
    assert partial == [], "a reader saw part of a crawl, or a crawl twice"


def months_archive(root: Path) -> None:
    """Two crawls in each of January, February and March 2026: new posts, and edits."""
    for month in (1, 2, 3):
        crawl(root, f"2026{month:02d}05T020000Z-x", [f"m{month}-{i}" for i in range(5)])
        edited = [f"m{m}-{i}" for m in range(1, month + 1) for i in range(2)]
        crawl(root, f"2026{month:02d}20T020000Z-y", edited, edit=f" (Monat {month})")


def snapshot(root: Path) -> tuple[object, ...]:
    """What the archive's readers make of it: versions, states, posts, the report's versions."""
    site_dir = SiteLayout(root, SITE).site_dir
    states = {
        url: (s.content_hash, s.fetched_at, s.first_seen_at, tuple(s.aliases), s.gone_at)
        for url, s in load_states(site_dir).items()
    }
    rebuild_posts(site_dir)
    return versions(root), states, read_posts(site_dir), report_versions(site_dir)


def report_versions(site_dir: Path) -> list[tuple[str, datetime, tuple[str, ...]]]:
    """The versions the report reads, sorted."""
    found = load_archive(site_dir, SITE, BERLIN).versions or ()
    return sorted((v.url, v.fetched, v.changed_fields) for v in found)


def test_month_compaction_keeps_every_row_once(tmp_path: Path) -> None:
    months_archive(tmp_path)
    layout = SiteLayout(tmp_path, SITE)
    before = snapshot(tmp_path)
    assert len(names(layout.versions_dir)) == 6

    merged = compact_site(layout, None, "2026-03")
    assert [(m.path.name, m.replaced) for m in merged] == [
        ("month-2026-01.parquet", 2),
        ("month-2026-02.parquet", 2),
    ]
    assert names(layout.versions_dir) == [
        "month-2026-01.parquet",
        "month-2026-02.parquet",
        "part-20260305T020000Z-x.parquet",
        "part-20260320T020000Z-y.parquet",
    ]
    after = snapshot(tmp_path)
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2].equals(before[2])  # posts.parquet rebuilt byte for byte the same rows
    assert after[3] == before[3]

    crawl(tmp_path, "20260228T020000Z-late", ["m2-0"], edit=" (spät)")  # February again
    merged = compact_site(layout, ["2026-02"], "2026-02")
    assert [(m.path.name, m.replaced) for m in merged] == [("month-2026-02.parquet", 1)]
    assert len(names(layout.versions_dir)) == 4
    assert sum(versions(tmp_path).values()) == sum(before[0].values()) + 1


@pytest.mark.slow
@pytest.mark.parametrize("step", ["compact:writing", "compact:renamed", "compact:deleting"])
def test_a_crash_while_compacting_a_month_loses_nothing(tmp_path: Path, step: str) -> None:
    months_archive(tmp_path)
    layout = SiteLayout(tmp_path, SITE)
    before = versions(tmp_path)
    assert run_writer(tmp_path, "compact", "0", "2026-01", crash=step) == -9
    assert versions(tmp_path) == before  # the archive's readers: every row once, at once

    crawl(tmp_path, "20260401T000000Z-z", [])  # the next crawl cleans up
    assert versions(tmp_path) == before
    month = ["month-2026-01.parquet"] if step != "compact:writing" else []
    january = (
        [] if month else ["part-20260105T020000Z-x.parquet", "part-20260120T020000Z-y.parquet"]
    )
    assert [n for n in names(layout.versions_dir) if "202601" in n or "2026-01" in n] == [
        *month,
        *january,
    ]
    assert [(m.path.name, m.replaced) for m in compact_site(layout, ["2026-01"], "")] == (
        [] if month else [("month-2026-01.parquet", 2)]
    )
    assert versions(tmp_path) == before


def test_the_archives_reader_never_sees_a_month_twice_while_it_is_merged(tmp_path: Path) -> None:
    for month in range(1, 13):
        day = datetime(2025, month, 3, tzinfo=UTC)
        for n in range(2):
            at = day + timedelta(days=10 * n)
            crawl(tmp_path, f"{at:%Y%m%dT%H%M%SZ}-c", [f"m{month}-{n}-{i}" for i in range(4)])
    layout = SiteLayout(tmp_path, SITE)
    expected = report_versions(layout.site_dir)
    wrong: list[int] = []
    reads = 0
    done = threading.Event()

    def read() -> None:
        nonlocal reads
        while not done.is_set():
            got = report_versions(layout.site_dir)
            reads += 1
            if got != expected:
                wrong.append(len(got))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        merged = compact_site(layout, None, "2026-01")
    finally:
        done.set()
        reader.join()
    assert len(merged) == 12
    assert reads > 3, "the reader read too rarely to mean anything"
    assert wrong == [], f"the report read {wrong} versions instead of {len(expected)}"


@pytest.mark.slow
def test_the_compact_command(tmp_path: Path) -> None:
    months_archive(tmp_path)
    layout = SiteLayout(tmp_path, SITE)

    def compact(*args: str, archive: str = str(tmp_path)) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "scrapy", "compact", *args]
        command += ["-s", f"ARCHIVE_DIR={archive}"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
        )

    before = versions(tmp_path)
    done = compact(SITE, "--month", "2026-02")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"compact {SITE}: versions/month-2026-02.parquet: {5 + 4} rows from 2 files"
    ]
    lock = layout.lock_path.open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        busy = compact(SITE)
    finally:
        lock.close()
    assert busy.returncode == 1
    assert "another crawl" in busy.stderr
    assert compact(SITE, "--month", "März").returncode == 2
    unknown = compact(SITE, archive="nosuch://bucket/blogs")
    assert unknown.returncode == 2
    assert unknown.stderr.strip().count("\n") == 0

    bucket = tmp_path / "bucket"  # a store (file://, as a mounted one): through a fresh node
    SiteMirror(ArchiveStore.from_uri(bucket.as_uri()), layout).push()
    node = tmp_path / "node"
    done = compact(
        SITE, "--month", "2026-01", "-s", f"ARCHIVE_LOCAL_DIR={node}", archive=bucket.as_uri()
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"compact {SITE}: versions/month-2026-01.parquet: {5 + 2} rows from 2 files"
    ]
    assert names(bucket / SITE / "versions") == [
        "month-2026-01.parquet",
        "month-2026-02.parquet",
        "part-20260305T020000Z-x.parquet",
        "part-20260320T020000Z-y.parquet",
    ]
    assert versions(node) == versions(tmp_path) == before


@pytest.mark.slow
def test_crawls_of_the_replica_leave_one_file_each_and_compact_into_a_month(
    replica, tmp_path: Path
) -> None:
    server = replica("classic")
    assert run_crawl(tmp_path, base_url=server.base_url).returncode == 0
    server.config.edition = 2  # new, edited and removed posts: versions and events
    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    layout = SiteLayout(tmp_path, "materna")
    crawl_ids = pq.read_table(layout.crawls_path).column("crawl_id").to_pylist()
    assert names(layout.versions_dir) == sorted(f"part-{c}.parquet" for c in crawl_ids)
    assert names(layout.events_dir) == [f"part-{crawl_ids[1]}.parquet"]  # the removed post
    truth = {r["url"] for r in expected_posts(server.base_url, server.config)}
    current = read_posts(layout.site_dir).to_pylist()
    assert {r["url"] for r in current if r["gone_at"] is None} == truth

    before = [versions(tmp_path), report_versions(layout.site_dir), read_posts(layout.site_dir)]
    month = f"{crawl_ids[0][:4]}-{crawl_ids[0][4:6]}"
    command = [SCRAPY, "compact", "materna", "--month", month, "-s", f"ARCHIVE_DIR={tmp_path}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert names(layout.versions_dir) == [f"month-{month}.parquet"]
    assert names(layout.events_dir) == [f"month-{month}.parquet"]
    rebuild_posts(layout.site_dir)
    after = [versions(tmp_path), report_versions(layout.site_dir), read_posts(layout.site_dir)]
    assert after[:2] == before[:2]
    assert after[2].equals(before[2])
    assert run_crawl(tmp_path, base_url=server.base_url).returncode == 0  # reads the month
    assert versions(tmp_path) == before[0]  # an unchanged blog adds no version
