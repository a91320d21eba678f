"""``kill -9`` at any moment: every file stays readable, posts.parquet stays the last
complete crawl's, and the next run finishes the job without duplicates."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.replica import expected_posts
from tests.support.crawl import FAST, REPO, SCRAPY, run_crawl

POSTS = 600  # 30 parts of 20: room to kill after 2, 5 more and 1 more
pytestmark = pytest.mark.slow


def _start_crawl(archive: Path, base_url: str, *args: str) -> subprocess.Popen[bytes]:
    command = [SCRAPY, "crawl", "materna", "-a", f"base_url={base_url}"]
    command += ["-s", f"ARCHIVE_DIR={archive}", *FAST, *args]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after_parts(process: subprocess.Popen[bytes], versions: Path, parts: int) -> set[int]:
    """SIGKILL once the crawl has staged ``parts`` more version files (or after 60 s);
    return the extraction workers it had then, each checked to be gone soon after."""
    start = _staged(versions)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if _staged(versions) >= start + parts:
            break
        time.sleep(0.05)
    workers = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    _no_worker_outlives_its_crawl(workers)
    return workers


def _staged(versions: Path) -> int:
    """How many parts crawls have staged in ``versions/`` and not published."""
    return len(list(versions.glob("_staging/*/part-*.parquet")))


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (the crawl's extraction workers)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def _no_worker_outlives_its_crawl(workers: set[int]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.05)
    alive = [pid for pid in workers if _is_running(pid)]
    assert alive == [], f"extraction workers {alive} outlived the killed crawl"


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _every_parquet_file_reads(site: Path) -> None:
    for path in site.rglob("*.parquet"):
        pq.read_table(path)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_killed_crawls_lose_nothing_and_the_next_run_completes(replica, tmp_path: Path) -> None:
    server = replica("classic", n_posts=POSTS)
    site = tmp_path / "materna"
    versions = site / "versions"

    for parts in (2, 5):
        workers = _kill_after_parts(_start_crawl(tmp_path, server.base_url), versions, parts)
        assert workers, "killed mid-crawl, the crawl had an extraction worker to leave behind"
        _every_parquet_file_reads(site)
        assert not (site / "posts.parquet").exists()
    # the second crawl published the first one's parts; the second one's stay staged
    assert len(list(versions.glob("*.parquet"))) == 1
    assert len(list(versions.glob("_staging/*"))) == 1

    server.reset_requests()
    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    truth = {r["url"] for r in expected_posts(server.base_url, server.config)}
    rows = pq.read_table(site / "posts.parquet", columns=["url"]).column("url").to_pylist()
    assert sorted(rows) == sorted(truth)
    history = pq.read_table(versions, columns=["url", "content_hash"]).to_pylist()
    assert len(history) == len({(r["url"], r["content_hash"]) for r in history}) == POSTS
    assert len(list(versions.glob("*.parquet"))) == 3  # one file per crawl
    assert not (versions / "_staging").exists()
    resumed = [p for _, p, _ in server.requests if p.rstrip("/").count("/") == 1 and "." not in p]
    assert len(resumed) < POSTS

    complete = _digest(site / "posts.parquet")
    server.config.edition = 2
    _kill_after_parts(_start_crawl(tmp_path, server.base_url, "-a", "full=true"), versions, 1)
    _every_parquet_file_reads(site)
    assert _digest(site / "posts.parquet") == complete

    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    truth = {r["url"] for r in expected_posts(server.base_url, server.config)}
    table = pq.read_table(site / "posts.parquet", columns=["url", "gone_at"]).to_pylist()
    assert {r["url"] for r in table if r["gone_at"] is None} == truth
    # a version is new content or new navigation (schema 2): never the same page twice
    page = ["url", "content_hash", "navigation_hash"]
    history = pq.read_table(versions, columns=page).to_pylist()
    assert len(history) == len({tuple(r[c] for c in page) for r in history})
