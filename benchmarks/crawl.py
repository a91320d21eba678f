"""Crawl benchmarks on the replica: requests per re-crawl, throughput, memory, loading.

``python -m benchmarks.crawl [--posts 2000] [--big 10000]`` prints markdown tables:

1. requests a crawl makes on a ``--posts`` replica: the first full crawl, a
   re-crawl of the unchanged blog, a re-crawl after edition 2 (3 new posts,
   2 edited, 1 removed), and a weekly ``full=true`` crawl;
2. full crawls of a ``--big`` replica and of one a tenth its size, politeness
   off: posts/s, CPU per post and peak memory of the crawl and of its
   extraction worker, archive size and where the crawl process's time went;
3. loading that archive's ``posts.parquet`` with pandas and DuckDB.

The replica runs in its own process, so the crawl's CPU and memory are its own.
Each crawl is a real ``scrapy crawl`` subprocess; its stats come from
``crawls.parquet`` and from ``benchmarks.crawl_once``'s JSON line.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLITENESS_OFF = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def replica(posts: int, edition: int = 1, port: int = 0) -> Iterator[str]:
    """A replica server process; yields its base URL.  Editions of one blog must
    be served on the same port: the port is part of every archived URL."""
    command = [sys.executable, "-m", "tests.replica", "--port", str(port), "--posts", str(posts)]
    command += ["--edition", str(edition)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait()


def crawl(archive: Path, base_url: str, *args: str) -> dict[str, float]:
    """One crawl in a subprocess (``benchmarks.crawl_once``); its stats and resources."""
    command = [sys.executable, "-m", "benchmarks.crawl_once", str(archive), base_url, *args]
    for setting in POLITENESS_OFF:
        command += ["-s", setting]
    started = time.perf_counter()
    output = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(output.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - started
    return result


def request_table(posts: int) -> list[str]:
    rows = [
        "| crawl | requests | post pages fetched | new versions | seconds |",
        "|---|---|---|---|---|",
    ]
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp)
        with replica(posts, port=port) as url:
            rows += [
                _request_row(name, crawl(archive, url))
                for name in ("first crawl (full)", "unchanged blog")
            ]
        with replica(posts, edition=2, port=port) as url:
            rows.append(_request_row("3 new, 2 edited, 1 removed", crawl(archive, url)))
            rows.append(_request_row("weekly full=true", crawl(archive, url, "-a", "full=true")))
    return rows


def _request_row(name: str, stats: dict[str, float]) -> str:
    return (
        f"| {name} | {stats['requests']:.0f} | {stats['posts_fetched']:.0f} "
        f"| {stats['rows_written']:.0f} | {stats['wall_seconds']:.1f} |"
    )


def throughput_table(sizes: list[int]) -> tuple[list[str], Path, tempfile.TemporaryDirectory[str]]:
    """Full crawls of replicas of ``sizes`` posts, one column each; the archive of the last."""
    columns = []
    for posts in sizes:
        tmp = tempfile.TemporaryDirectory()
        archive = Path(tmp.name)
        with replica(posts) as url:
            columns.append(_throughput_column(crawl(archive, url), archive / "materna"))
        if posts != sizes[-1]:
            tmp.cleanup()
    rows = [
        "| measure | " + " | ".join(f"{posts:,} posts" for posts in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for index, name in enumerate(THROUGHPUT_ROWS):
        rows.append(f"| {name} | " + " | ".join(column[index] for column in columns) + " |")
    return rows, archive, tmp


THROUGHPUT_ROWS = (
    "posts archived",
    "crawl time",
    "posts per second",
    "CPU per post: crawl process",
    "CPU per post: extraction worker",
    "peak memory: crawl process",
    "peak memory: extraction worker",
    "peak memory: both (sum of the two peaks)",
    "archive on disk (of which WARC)",
    "crawl process: archive writing",
    "crawl process: fetching, discovery, Scrapy",
    "extraction (in the worker, beside the crawl)",
)


def _throughput_column(stats: dict[str, float], site: Path) -> list[str]:
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    warc = sum(p.stat().st_size for p in (site / "warc").glob("*"))
    posts, seconds = stats["posts_fetched"], stats["crawl_seconds"]
    own = stats["cpu_seconds"]
    return [
        f"{posts:.0f}",
        f"{seconds:.1f} s",
        f"{posts / seconds:.1f}",
        f"{own / posts * 1000:.1f} ms",
        f"{stats['worker_cpu_seconds'] / posts * 1000:.1f} ms",
        f"{stats['max_rss_mb']:.0f} MB",
        f"{stats['worker_max_rss_mb']:.0f} MB",
        f"{stats['max_rss_mb'] + stats['worker_max_rss_mb']:.0f} MB",
        f"{size / 2**20:.1f} MB ({warc / 2**20:.1f} MB)",
        _share(stats["archive_seconds"], own),
        _share(own - stats["archive_seconds"], own),
        f"{stats['extract_seconds']:.1f} s",
    ]


def _share(seconds: float, total: float) -> str:
    return f"{seconds:.1f} s ({seconds / total:.0%})"


def loading_table(archive: Path, repeat: int = 5) -> list[str]:
    import duckdb
    import pandas as pd

    path = archive / "materna" / "posts.parquet"
    timings = {
        "pandas.read_parquet": lambda: pd.read_parquet(path),
        "duckdb COUNT + GROUP BY month": lambda: duckdb.sql(
            f"SELECT date_trunc('month', published_at) m, count(*) FROM '{path}' GROUP BY m"
        ).fetchall(),
        "duckdb full table to pandas": lambda: duckdb.sql(f"SELECT * FROM '{path}'").df(),
    }
    rows = ["| load | median ms |", "|---|---|"]
    for name, load in timings.items():
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            load()
            samples.append((time.perf_counter() - started) * 1000)
        rows.append(f"| {name} | {statistics.median(samples):.0f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--big", type=int, default=10000)
    args = parser.parse_args()
    print(f"## Requests per crawl ({args.posts}-post replica)\n")
    print("\n".join(request_table(args.posts)))
    rows, archive, tmp = throughput_table([args.big // 10, args.big])
    with tmp:
        print("\n## Full crawls, politeness off\n")
        print("\n".join(rows))
        print(f"\n## Loading posts.parquet ({args.big} posts)\n")
        print("\n".join(loading_table(archive)))


if __name__ == "__main__":
    main()
