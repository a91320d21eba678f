"""Ctrl-C and SIGTERM on a real, polite ``scrapy crawl``: the crawl stops within
seconds, exits non-zero with its one line, and keeps what it fetched."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.parquet as pq
import pytest

from tests.replica import expected_posts, faults
from tests.support.crawl import REPO, SCRAPY, run_crawl

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

STOP_WITHIN = 8.0  # seconds from the first signal to the exit


def _start_polite_crawl(archive: Path, base_url: str, *args: str) -> subprocess.Popen[str]:
    """The default politeness (one second between requests): a crawl of the
    45-post replica takes about a minute, so a signal always lands mid-crawl.
    Flushing by count is off (1000 posts), so only the time-based flush writes."""
    command = [SCRAPY, "crawl", "materna", "-a", f"base_url={base_url}"]
    command += ["-s", f"ARCHIVE_DIR={archive}", "-s", "ARCHIVE_FLUSH_EVERY=1000", *args]
    return subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _post_pages_served(server) -> int:
    posts = {urlsplit(r["url"]).path for r in expected_posts(server.base_url, server.config)}
    return sum(1 for _, path, _ in list(server.requests) if path in posts)


def _wait_for_posts(server, process: subprocess.Popen[str], posts: int) -> None:
    deadline = time.monotonic() + 90
    while _post_pages_served(server) < posts and time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it was interrupted"
        time.sleep(0.1)


def _wait_for_a_slow_answer(server, process: subprocess.Popen[str]) -> None:
    """Until a request the replica answers slowly arrives (it is then on the wire)."""
    seen = len(faults.log(server.config))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it was interrupted"
        if any(e.fault == "timeout" for e in faults.log(server.config)[seen:]):
            return
        time.sleep(0.05)
    raise AssertionError("no slow answer within 90 s")


def _interrupt(process: subprocess.Popen[str], *signals: signal.Signals) -> tuple[float, str]:
    """Send ``signals`` 0.05 s apart; return the seconds until the exit and stderr."""
    sent = time.monotonic()
    for number in signals:
        process.send_signal(number)
        time.sleep(0.05)
    _, stderr = process.communicate(timeout=60)
    return time.monotonic() - sent, stderr


def _crawl_rows(archive: Path) -> list[dict]:
    return pq.read_table(archive / "materna" / "crawls.parquet").to_pylist()


def _versions(archive: Path) -> int:
    """Versions archived: the published files' rows, and those a killed crawl staged
    (``versions/_staging/<crawl>/``, published by the next crawl)."""
    versions = archive / "materna" / "versions"
    staged = sum(pq.read_metadata(p).num_rows for p in versions.glob("_staging/*/part-*.parquet"))
    return pq.read_table(versions).num_rows + staged


def test_first_ctrl_c_stops_within_seconds_and_keeps_what_was_fetched(
    replica, tmp_path: Path
) -> None:
    server = replica("classic")
    process = _start_polite_crawl(tmp_path, server.base_url)
    _wait_for_posts(server, process, 3)
    seconds, stderr = _interrupt(process, signal.SIGINT)

    assert process.returncode == 1, stderr
    assert seconds < STOP_WITHIN, stderr
    assert "stopping: finishing " in stderr
    assert "Ctrl-C again to abort" in stderr
    assert stderr.strip().splitlines()[-1] == "error: the crawl stopped early (shutdown)"
    (row,) = _crawl_rows(tmp_path)
    assert row["finish_reason"] == "shutdown"
    assert row["exit_status"] == 1
    assert row["posts_new"] >= 3
    assert _versions(tmp_path) == row["posts_new"]
    assert not (tmp_path / "materna" / "posts.parquet").exists()


def test_second_signal_aborts_non_zero_and_the_archive_stays_consistent(
    replica, tmp_path: Path
) -> None:
    # every 7th post answers only after 2.5 s: signalled while one is on the wire, the
    # first signal waits for it, and the second one must abort without waiting
    server = replica("classic", faults={"timeout"})
    process = _start_polite_crawl(tmp_path, server.base_url)
    _wait_for_posts(server, process, 3)
    _wait_for_a_slow_answer(server, process)
    seconds, stderr = _interrupt(process, signal.SIGTERM, signal.SIGTERM)

    assert process.returncode == 1, stderr
    assert seconds < STOP_WITHIN, stderr
    assert "aborting (SIGTERM)" in stderr
    assert stderr.strip().splitlines()[-1] == "error: the crawl stopped early (aborted)"
    rows = _crawl_rows(tmp_path)
    assert len(rows) == 1
    assert rows[0]["exit_status"] == 1
    assert rows[0]["posts_new"] >= 3
    assert _versions(tmp_path) == rows[0]["posts_new"]
    for path in (tmp_path / "materna").rglob("*.parquet"):
        pq.read_table(path)

    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert len(_crawl_rows(tmp_path)) == 2


def test_kill_9_of_a_polite_crawl_loses_only_the_last_seconds(replica, tmp_path: Path) -> None:
    server = replica("classic")
    process = _start_polite_crawl(tmp_path, server.base_url, "-s", "ARCHIVE_FLUSH_SECONDS=1")
    _wait_for_posts(server, process, 6)
    time.sleep(2.5)  # the posts served by now were archived over a second ago
    served = _post_pages_served(server)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)

    assert served < 20, "the count-based flush could have written them"
    assert _versions(tmp_path) >= 6
