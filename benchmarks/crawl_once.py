"""Run one ``materna`` crawl in this process and print its numbers as one JSON line.

``python -m benchmarks.crawl_once ARCHIVE_DIR BASE_URL [-a K=V] [-s K=V]…``: the
same spider, settings and pipelines as ``scrapy crawl``, but in-process so the
benchmark can read the crawler's stats, CPU time and peak memory.
"""

from __future__ import annotations

import json
import resource
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings


def _options(argv: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    spider_args: dict[str, str] = {}
    settings: dict[str, str] = {}
    for flag, pair in zip(argv[::2], argv[1::2], strict=True):
        key, value = pair.split("=", 1)
        (spider_args if flag == "-a" else settings)[key] = value
    return spider_args, settings


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
                "worker_max_rss_mb": workers.ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
