"""ArchivePipeline in a real Scrapy crawl (a subprocess: one reactor per crawl).

The spider yields FetchedPage items straight from ``start()``; stats, versions,
posts.parquet and WARC are then read back from disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from pipelines.archive import content_hash, read_posts
from tests.test_archive_hash import BASE

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CRAWL = """
import json, sys
from datetime import timedelta
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import CloseSpider
from blog.crawl import CrawlIdentity
from tests.test_archive_hash import T0, make_page, make_post

root, crawl_n, plan = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])

class Spider(scrapy.Spider):
    name = "archive_test"
    identity = CrawlIdentity("testsite", f"2026010{crawl_n}T000000Z-c{crawl_n}")

    async def start(self):
        at = T0 + timedelta(days=crawl_n)
        for slug, title in plan["posts"]:
            yield make_page(make_post(slug, title=title), at=at,
                            requested_url=plan.get("aliases", {}).get(slug))
        for url in plan.get("gone", []):
            yield make_page(None, url=url, status=404, at=at)
        if plan.get("abort"):
            raise CloseSpider("shutdown")

process = CrawlerProcess({
    "ITEM_PIPELINES": {"pipelines.archive.pipeline.ArchivePipeline": 900},
    "ARCHIVE_DIR": root, "ARCHIVE_FLUSH_EVERY": 2, "LOG_LEVEL": "ERROR",
})
crawler = process.create_crawler(Spider)
process.crawl(crawler)
process.start()
stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("archive/")}
stats["finish_reason"] = crawler.stats.get_value("finish_reason")
print(json.dumps(stats))
"""


def run_crawl(root: Path, n: int, plan: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CRAWL, str(root), str(n), json.dumps(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def archive_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pipeline")


def test_crawls_archive_versions_gone_and_warc(archive_root: Path) -> None:
    first = run_crawl(archive_root, 1, {"posts": [["a", "A"], ["b", "B"], ["c", "C"]]})
    assert first["archive/posts_new"] == 3
    assert first["archive/rows_written"] == 3
    assert first["archive/parts_written"] == 2  # flush every 2 rows: 2 + 1

    second = run_crawl(
        archive_root,
        2,
        {
            "posts": [["a", "A2"], ["b", "B"]],
            "gone": [f"{BASE}c/", f"{BASE}unbekannt/"],
            "aliases": {"b": f"{BASE}b-alt/"},
        },
    )
    assert second["archive/posts_changed"] == 1
    assert second["archive/posts_unchanged"] == 1
    assert second["archive/posts_gone"] == 1
    posts = {r["url"]: r for r in read_posts(archive_root / "testsite").to_pylist()}
    assert posts[f"{BASE}a/"]["title"] == "A2"
    assert posts[f"{BASE}b/"]["aliases"] == [f"{BASE}b-alt/"]
    assert posts[f"{BASE}c/"]["gone_at"] is not None
    assert f"{BASE}unbekannt/" not in posts

    warc = archive_root / "testsite" / "warc" / "20260102T000000Z-c2.warc.gz"
    with warc.open("rb") as stream:
        uris = [
            r.rec_headers.get_header("WARC-Target-URI")
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        ]
    assert uris == [f"{BASE}a/", f"{BASE}b/"]


def test_aborted_crawl_keeps_posts_parquet_and_comes_back(archive_root: Path) -> None:
    site_dir = archive_root / "testsite"
    before = pq.read_table(site_dir / "posts.parquet")
    third = run_crawl(archive_root, 3, {"posts": [["c", "C"], ["d", "D"]], "abort": True})
    assert third["finish_reason"] == "shutdown"
    assert third["archive/posts_back"] == 1
    assert pq.read_table(site_dir / "posts.parquet").equals(before)

    run_crawl(archive_root, 4, {"posts": [["e", "E"]]})
    posts = {r["url"]: r for r in read_posts(site_dir).to_pylist()}
    assert set(posts) == {f"{BASE}{s}/" for s in "abcde"}
    assert posts[f"{BASE}c/"]["gone_at"] is None
    assert posts[f"{BASE}d/"]["content_hash"] == content_hash({**posts[f"{BASE}d/"], "title": "D"})
