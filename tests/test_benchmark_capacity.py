"""The capacity benchmark: its arithmetic on figures worked out by hand, its CPU
reading on a child that burns a known time, and one real run on one Scrapyd node."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from benchmarks.capacity import (
    Costs,
    Node,
    blogs_per_night,
    children_cpu_s,
    job_seconds,
    request_interval_s,
)
from tests.support.crawl import REPO
from tests.support.scrapyd import missing

COSTS = Costs(
    full_extra_requests=10,
    incremental_requests=14,
    incremental_cpu_s=4,
    cpu_per_post_s=0.01,
    job_overhead_s=6,
    rss_mb=300,
)


def test_a_polite_blog_is_asked_once_a_second() -> None:
    # the default DOWNLOAD_DELAY, which AutoThrottle never goes below
    assert request_interval_s() == 1.0
    assert job_seconds(1010, COSTS) == 1016  # 1,000 posts + 10 discovery documents, + 6 s


@pytest.mark.parametrize(
    ("job_s", "job_cpu_s", "node", "expected"),
    [
        # 8 slots * 28,800 s / 1,016 s = 226.8; CPU: 2 * 28,800 / 14 = 4,114
        (1016, 14, Node(cores=2, memory_mb=24000, max_proc=8), (226, "politeness")),
        # 8 * 28,800 / 20 = 11,520; CPU: 2 * 28,800 / 4 = 14,400
        (20, 4, Node(cores=2, memory_mb=24000, max_proc=8), (11520, "politeness")),
        # one core: 28,800 / 4 = 7,200 < 11,520
        (20, 4, Node(cores=1, memory_mb=24000, max_proc=8), (7200, "CPU")),
        # 600 MB hold two 300 MB jobs: 2 * 28,800 / 20 = 2,880
        (20, 4, Node(cores=2, memory_mb=600, max_proc=8), (2880, "memory")),
    ],
)
def test_blogs_per_night_and_the_bound_that_bites(
    job_s: float, job_cpu_s: float, node: Node, expected: tuple[int, str]
) -> None:
    assert blogs_per_night(job_s, job_cpu_s, COSTS, node) == expected


def test_children_cpu_counts_a_reaped_child() -> None:
    before = children_cpu_s(os.getpid())
    burn = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", burn], check=True)
    spent = children_cpu_s(os.getpid()) - before
    assert 0.5 <= spent <= 0.5 + (time.monotonic() - started)


@pytest.mark.slow
def test_the_benchmark_runs_one_blog_on_a_real_scrapyd_node() -> None:
    why = missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Scrapyd: {why}")
        pytest.skip(f"Scrapyd: {why}")
    command = [sys.executable, "-m", "benchmarks.capacity", "--blogs", "1", "--posts", "45"]
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| N |"))
    for column in ("mode", "posts", "wall s", "posts/s", "CPU s per post", "peak RSS MB"):
        assert f"| {column}" in header, header
    rows = {row.split(" | ")[1]: row.strip("| ").split(" | ") for row in lines if row[:4] == "| 1 "}
    assert set(rows) == {"full", "incremental"}
    for row in rows.values():
        posts, cpu_per_post, rss = (float(row[i]) for i in (2, 6, 9))
        assert posts == 45  # the replica's posts, each archived once
        assert cpu_per_post > 0
        assert 50 < rss < 2000
    assert float(rows["full"][3]) > 45  # a post page each, and the discovery documents
    assert float(rows["incremental"][3]) < 45  # no post but the canaries again
    assert any(line.startswith("| 1,000 posts |") for line in lines)
    assert lines[0].startswith(time.strftime("%Y-%m-%d", time.gmtime()))
