"""The report of a real crawl of the replica (two editions, so history exists),
opened in headless Chromium: what it shows is what the archive holds."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from PIL import Image, ImageStat

from pipelines.report import write_report
from tests.support.crawl import REPO, run_crawl
from tests.test_report_browser import ARGS, CHROMIUM, ROWS_JS, _open, unavailable

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

SCREENSHOT = REPO / "docs" / "report.png"


@pytest.fixture(scope="module")
def site_dir(replica_module, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("replica-report")
    server = replica_module("classic")
    assert run_crawl(root, base_url=server.base_url).returncode == 0
    server.config.edition = 2
    assert run_crawl(root, base_url=server.base_url).returncode == 0
    return root / "materna"


@pytest.fixture(scope="module")
def opened(site_dir: Path) -> Iterator[dict[str, Any]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    output = site_dir.parent / "report.html"
    missing = write_report(site_dir, "materna", output)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            seen = _open(browser, output.as_uri())
            seen["missing"] = missing
            seen["uri"] = output.as_uri()
            if os.environ.get("UPDATE_REPORT_SCREENSHOT") == "1":
                SCREENSHOT.write_bytes(seen["page"].screenshot(full_page=True))
            yield seen
        finally:
            browser.close()


def test_replica_report_makes_no_request_and_no_error(opened: dict[str, Any]) -> None:
    assert opened["requests"] == [opened["uri"]]
    assert opened["errors"] == []
    assert opened["missing"] == []


def test_replica_report_is_not_blank(opened: dict[str, Any]) -> None:
    image = Image.open(io.BytesIO(opened["png"])).convert("L")
    assert ImageStat.Stat(image).var[0] > 200


def test_replica_report_numbers_match_the_archive(opened: dict[str, Any], site_dir: Path) -> None:
    posts = pd.read_parquet(site_dir / "posts.parquet")
    months = posts["published_at"].dt.tz_convert("Europe/Berlin").dt.strftime("%Y-%m")
    shown = {m: int(n) for m, n in opened["page"].evaluate(ROWS_JS, "posts-per-month") if int(n)}
    assert shown == months.value_counts().to_dict()
    tags = posts.explode("tags")["tags"].dropna().value_counts()
    shown_tags = [(tag, int(n)) for tag, n in opened["page"].evaluate(ROWS_JS, "top-tags")]
    assert shown_tags
    assert all(tags[tag] == n for tag, n in shown_tags)
    assert [n for _, n in shown_tags] == list(tags.iloc[: len(shown_tags)])
