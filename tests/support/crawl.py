"""Run the real ``scrapy crawl`` in a subprocess, as cron would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
SCRAPY = str(Path(sys.executable).with_name("scrapy"))

#: Politeness off for the loopback replica, so tests run fast.
FAST = (
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "RETRY_TIMES=1",
    "-s", "DOWNLOAD_TIMEOUT=10",
)  # fmt: skip


def run_crawl(
    archive_dir: Path,
    *args: str,
    spider: str = "materna",
    base_url: str | None = None,
    fast: bool = True,
    timeout: float = 600,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl SPIDER -a base_url=… -s ARCHIVE_DIR=…`` from the repository root,
    with ``env`` added to the environment."""
    command = [SCRAPY, "crawl", spider, "-s", f"ARCHIVE_DIR={archive_dir}"]
    if base_url is not None:
        command += ["-a", f"base_url={base_url}"]
    command += [*(FAST if fast else ()), *args]
    return subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def read_posts(archive_dir: Path, site: str = "materna") -> list[dict]:
    """The rows of ``posts.parquet``."""
    return pq.read_table(archive_dir / site / "posts.parquet").to_pylist()
