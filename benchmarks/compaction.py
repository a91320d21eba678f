"""Few, large files: what publishing and month compaction cost, and what they save.

``python -m benchmarks.compaction [--posts 10000] [--flush 20] [--nights 30]`` writes
a crawl of ``--posts`` posts with ~5 KB bodies through :class:`SiteArchive`, a
part every ``--flush`` posts (as ``ARCHIVE_FLUSH_EVERY``), and prints a markdown
table: files before and after publishing, the time to publish, and the time
``load_states`` takes over the staged parts and over the one published file.
Then ``--nights`` nightly crawls of 20 changed posts each, and the time to merge
them into a month file.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.archive import SiteArchive
from pipelines.archive.compaction import compact_month
from pipelines.archive.index import load_states
from pipelines.archive.layout import SiteLayout, archived_files, parquet_parts
from tests.test_archive_hash import make_post

SITE = "bench"
START = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
PARAGRAPH = "Die Digitalisierung der Verwaltung braucht Prüfung, Größe und Überblick. "


def post(n: int, edit: int = 0) -> dict[str, object]:
    body = PARAGRAPH * (60 + n % 20) + f"Beitrag {n}, Fassung {edit}."
    return make_post(f"beitrag-{n}", body_text=body, body_html=f"<p>{body}</p>")


def first_crawl(root: Path, posts: int, flush: int) -> list[str]:
    archive = SiteArchive(root, SITE, f"{START:%Y%m%dT%H%M%SZ}-first", warc=False)
    archive.open()
    for n in range(posts):
        archive.add_post(post(n), START)
        if archive.pending >= flush:
            archive.flush()
    archive.close_files()
    layout = SiteLayout(root, SITE)
    staged = len(archived_files(layout.versions_dir))
    started = time.perf_counter()
    states = load_states(layout.site_dir)
    staged_load = time.perf_counter() - started
    started = time.perf_counter()
    archive.publish()
    publish = time.perf_counter() - started
    archive.finish(complete=False)
    (published,) = parquet_parts(layout.versions_dir)
    started = time.perf_counter()
    assert len(load_states(layout.site_dir)) == len(states) == posts
    published_load = time.perf_counter() - started
    size = published.stat().st_size / 1e6
    return [
        f"| version files of a {posts}-post crawl | {staged} parts | 1 file ({size:.1f} MB) |",
        f"| `load_states` over them | {staged_load:.2f} s | {published_load:.2f} s |",
        f"| publishing ({staged} parts into one file, rename, clean up) | | {publish:.2f} s |",
    ]


def nights(root: Path, count: int) -> list[str]:
    for night in range(1, count + 1):
        at = START + timedelta(days=night % 28, hours=night)
        archive = SiteArchive(root, SITE, f"{at:%Y%m%dT%H%M%SZ}-n{night}", warc=False)
        archive.open()
        for n in range(night * 20, night * 20 + 20):
            archive.add_post(post(n, edit=night), at)
        archive.finish(complete=False)
    layout = SiteLayout(root, SITE)
    before = len(parquet_parts(layout.versions_dir))
    started = time.perf_counter()
    merged = compact_month(layout.versions_dir, f"{START:%Y-%m}")
    seconds = time.perf_counter() - started
    assert merged is not None
    after = len(parquet_parts(layout.versions_dir))
    name = f"`scrapy compact --month` after {count} nightly crawls (20 edits each)"
    return [f"| {name} | {before} files | {after} file, {merged.rows} rows, {seconds:.2f} s |"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--flush", type=int, default=20)
    parser.add_argument("--nights", type=int, default=30)
    args = parser.parse_args()
    print("| measure | before | after |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for line in first_crawl(Path(tmp), args.posts, args.flush) + nights(Path(tmp), args.nights):
            print(line)


if __name__ == "__main__":
    main()
