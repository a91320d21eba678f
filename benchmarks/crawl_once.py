"""Run one ``materna`` crawl in this process and print its numbers as one JSON line.

``python -m benchmarks.crawl_once ARCHIVE_DIR BASE_URL [-a K=V] [-s K=V]…``: the
same spider, settings and pipelines as ``scrapy crawl``, but in-process so the
benchmark can read the crawler's stats, CPU time and peak memory.
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
import threading
from pathlib import Path
from typing import Self

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings


def _options(argv: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    spider_args: dict[str, str] = {}
    settings: dict[str, str] = {}
    for flag, pair in zip(argv[::2], argv[1::2], strict=True):
        key, value = pair.split("=", 1)
        (spider_args if flag == "-a" else settings)[key] = value
    return spider_args, settings


class ChildPeak:
    """The largest peak RSS (``VmHWM``) of this process's children, sampled while
    they run: ``getrusage`` would report a child's RSS from before its ``exec``,
    when it still shared the whole crawl's pages."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak_kb = 0
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in children(os.getpid()):
                self.peak_kb = max(self.peak_kb, peak_rss_kb(pid))


def children(pid: int) -> list[int]:
    """The processes ``pid`` started and has not reaped; [] once it is gone."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_rss_kb(pid: int | str) -> int:
    """The peak resident memory of process ``pid`` (``VmHWM``); 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def main() -> None:
    archive, base_url, *rest = sys.argv[1:]
    spider_args, overrides = _options(rest)
    settings = get_project_settings()
    settings.set("ARCHIVE_DIR", archive, priority="cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("materna")
    process.crawl(crawler, base_url=base_url, **spider_args)
    with ChildPeak() as workers_peak:
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # the extraction workers, which have exited (and been waited for) by now
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (stats["finish_time"] - stats["start_time"]).total_seconds()

    def count(key: str) -> float:
        return float(stats.get(key, 0))

    print(
        json.dumps(
            {
                "requests": count("downloader/request_count"),
                "posts_fetched": count("extract/posts"),
                "rows_written": count("archive/rows_written"),
                "crawl_seconds": elapsed,
                "extract_seconds": count("extract/seconds"),
                "archive_seconds": count("archive/seconds"),
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "max_rss_mb": usage.ru_maxrss / 1024,
                "worker_cpu_seconds": workers.ru_utime + workers.ru_stime,
                "worker_max_rss_mb": workers_peak.peak_kb / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
