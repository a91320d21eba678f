"""The report as an analyst sees it: opened from disk in headless Chromium.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright`` Python
package (its own browser downloads are never used).  Without them the test
skips locally and fails on CI (``CI=true``), so CI cannot pass by not looking.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from pipelines.report import write_report
from tests.archive_factory import SyntheticArchive, write_archive

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROWS_JS = """name => [...document.querySelectorAll(`table[data-table="${name}"] tbody tr`)]
  .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))"""


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser test", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> SyntheticArchive:
    return write_archive(tmp_path_factory.mktemp("archive") / "materna", posts=300, seed=11)


@pytest.fixture(scope="module")
def opened(archive: SyntheticArchive) -> Iterator[dict[str, Any]]:
    """The report loaded in Chromium: page, every request it tried, console errors."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    output = archive.site_dir.parent / "report.html"
    write_report(archive.site_dir, "materna", output)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield _open(browser, output.as_uri())
        finally:
            browser.close()


def _open(browser: Any, url: str) -> dict[str, Any]:
    seen: dict[str, Any] = {"requests": [], "errors": []}
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.route("**/*", lambda route: _only_the_file(route, url, seen["requests"]))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url, wait_until="load")
    seen["page"] = page
    seen["png"] = page.screenshot(full_page=True)
    return seen


def _only_the_file(route: Any, url: str, requests: list[str]) -> None:
    requests.append(route.request.url)
    if route.request.url == url:
        route.continue_()
    else:
        route.abort()


def test_no_request_but_the_file_and_no_console_error(
    opened: dict[str, Any], archive: SyntheticArchive
) -> None:
    assert opened["requests"] == [(archive.site_dir.parent / "report.html").as_uri()]
    assert opened["errors"] == []


def test_screenshot_is_not_blank(opened: dict[str, Any]) -> None:
    image = Image.open(io.BytesIO(opened["png"])).convert("L")
    assert image.height > 3000, "a full report is several screens long"
    assert ImageStat.Stat(image).var[0] > 200
    assert len(image.getcolors(maxcolors=256 * 256) or range(256)) > 50


def test_charts_are_laid_out(opened: dict[str, Any]) -> None:
    widths = opened["page"].eval_on_selector_all(
        "figure svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
    )
    assert len(widths) == 15
    assert min(widths) > 600


LINES_JS = """name => [...document.querySelectorAll(`table[data-table="${name}"] td.date`)]
  .map(td => { const r = document.createRange(); r.selectNodeContents(td);
               return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; })"""


def test_dates_never_wrap_even_on_a_narrow_screen(opened: dict[str, Any]) -> None:
    page = opened["page"]
    page.set_viewport_size({"width": 420, "height": 900})
    try:
        for name in ("latest", "removed"):
            lines = page.evaluate(LINES_JS, name)
            assert lines, name
            assert set(lines) == {1}, name
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_posts_per_month_shown_match_archive(
    opened: dict[str, Any], archive: SyntheticArchive
) -> None:
    published = archive.posts.column("published_at").to_pandas()
    expected = published.dt.tz_convert("Europe/Berlin").dt.strftime("%Y-%m").value_counts()
    shown = {month: int(n) for month, n in opened["page"].evaluate(ROWS_JS, "posts-per-month")}
    assert {m: n for m, n in shown.items() if n} == expected.to_dict()


def test_top_tags_shown_match_archive(opened: dict[str, Any], archive: SyntheticArchive) -> None:
    tags = (
        archive.posts.select(["url", "tags"]).to_pandas().explode("tags").dropna().drop_duplicates()
    )
    counts = tags["tags"].value_counts()
    shown = [(tag, int(n)) for tag, n in opened["page"].evaluate(ROWS_JS, "top-tags")]
    assert [n for _t, n in shown] == list(counts.iloc[: len(shown)])
    assert all(counts[tag] == n for tag, n in shown)
    chart_text = opened["page"].text_content("#top-tags svg")
    assert all(tag in chart_text for tag, _n in shown[:5])


def test_german_text_renders(opened: dict[str, Any]) -> None:
    page = opened["page"]
    assert "Künstliche Intelligenz" in page.inner_text("#top-tags figure")
    assert "Jürgen Müller" in page.text_content('table[data-table="top-authors"]')
    headline = page.inner_text('[data-metric="posts"] .value')
    assert int(headline.replace(",", "")) == 300
