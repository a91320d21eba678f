"""kill -9 a writer mid-way: every Parquet file stays readable, posts.parquet stays
the last complete crawl's, and the next open cleans up and finalises the WARC."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.archive import SiteArchive, SiteLayout, known_posts, rebuild_posts
from tests.test_archive_hash import make_post

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
WRITER = """
import sys
from datetime import timedelta
from pipelines.archive import SiteArchive
from tests.test_archive_hash import T0, make_page, make_post
archive = SiteArchive(sys.argv[1], "testsite", "20260109T000000Z-killed")
archive.open()
i = 0
while True:
    post = make_post(f"k{i}", body_text="x " * 2000)
    archive.add_post(post, T0 + timedelta(days=9))
    archive.record_page(make_page(post))
    if archive.pending >= 3:
        archive.flush()
    i += 1
"""


def complete_crawl(root: Path) -> None:
    archive = SiteArchive(root, "testsite", "20260101T000000Z-ok")
    archive.open()
    archive.add_post(make_post("stabil"), make_post("stabil")["published_at"])
    archive.finish(complete=True)


def wait_for_parts(directory: Path, count: int) -> None:
    """Wait until ``directory`` holds ``count`` Parquet files, staged ones included."""
    deadline = time.monotonic() + 30
    while len(list(directory.rglob("[!.]*.parquet"))) < count:
        assert time.monotonic() < deadline, "the writer wrote too little"
        time.sleep(0.01)


@pytest.mark.parametrize(("parts", "delay"), [(2, 0.0), (4, 0.013), (6, 0.031)])
def test_sigkill_leaves_a_readable_archive(tmp_path: Path, parts: int, delay: float) -> None:
    complete_crawl(tmp_path)
    layout = SiteLayout(tmp_path, "testsite")
    posts_before = pq.read_table(layout.posts_path)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT)
    wait_for_parts(SiteLayout(tmp_path, "testsite").versions_dir, parts + 1)
    time.sleep(delay)  # land the kill at different points of a write
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    parts = list(layout.versions_dir.rglob("[!.]*.parquet"))
    assert len(parts) > 1, "the writer was killed before it wrote anything"
    rows = sum(pq.read_table(p).num_rows for p in parts)
    assert pq.read_table(layout.posts_path).equals(posts_before)
    assert len(known_posts(layout.site_dir)) == rows  # staged parts count as archived
    assert len(pq.read_table(layout.versions_dir)) == 1  # readers see the complete crawl only

    archive = SiteArchive(tmp_path, "testsite", "20260110T000000Z-next")
    archive.open()  # the dead writer's lock does not block; cleanup runs, its parts publish
    archive.finish(complete=True)
    assert list(layout.site_dir.rglob("*.tmp")) == []
    assert list(layout.warc_dir.glob("*.open")) == []
    assert sorted(p.name for p in layout.versions_dir.iterdir()) == [
        "part-20260101T000000Z-ok.parquet",
        "part-20260109T000000Z-killed.parquet",
    ]
    assert len(pq.read_table(layout.versions_dir)) == rows
    assert rebuild_posts(layout.site_dir) == rows
