"""The README's quick start: crawl the bundled replica blog offline and describe the archive.

``python -m tests.demo [ARCHIVE_DIR]`` serves the replica on 127.0.0.1, runs the
real ``scrapy crawl materna`` against it and prints what was archived.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from pipelines.report.measures import ranking
from tests.replica import ReplicaConfig, ReplicaServer
from tests.support.crawl import run_crawl


def describe(posts_path: Path) -> str:
    """Posts, date range, top tags and where the file is, in a few lines."""
    rows = pq.read_table(posts_path, columns=["published_at", "tags", "authors"]).to_pylist()
    dates = sorted(r["published_at"] for r in rows)
    tags = Counter(tag for r in rows for tag in r["tags"])
    authors = {a["name"] for r in rows for a in r["authors"]}
    top = ", ".join(f"{tag} ({n})" for tag, n in ranking(tags, 5))  # the report's ranking
    return "\n".join(
        [
            (
                f"archived {len(rows)} posts by {len(authors)} authors,"
                f" published {dates[0]:%Y-%m-%d} to {dates[-1]:%Y-%m-%d}"
            ),
            f"top tags: {top}",
            f"archive: {posts_path.resolve()}",
        ]
    )


def main() -> int:
    archive_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "data/demo")
    with ReplicaServer(ReplicaConfig()) as server:
        print(f"replica blog serving at {server.base_url}", flush=True)
        result = run_crawl(archive_dir, base_url=server.base_url)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        return result.returncode
    print(describe(archive_dir / "materna" / "posts.parquet"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
