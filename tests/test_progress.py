"""The progress extension: one formatting function, a TTY status line, plain log lines."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.progress import Progress, Snapshot, progress_line
from tests.replica import ReplicaServer
from tests.support.crawl import run_crawl

LINE = re.compile(
    r"\[crawler\.progress\] INFO: progress: (\d+) pages queued, (\d+) fetched, (\d+) posts archived, "
    r"[\d.]+ posts/min, (?:~\d+ (?:s|min) left|time left unknown)$",
    re.MULTILINE,
)


def test_the_line_shows_counts_rate_and_time_left() -> None:
    stats = {
        "scheduler/enqueued": 120,
        "response_received_count": 80,
        "archive/posts_new": 50,
        "archive/posts_changed": 5,
        "archive/posts_unchanged": 20,
        "archive/posts_gone": 7,  # gone posts are not archived pages
    }
    # 75 archived in 6¼ min = 12/min; 40 left at 80 per 375 s = 187.5 s ≈ 3 min.
    assert progress_line(stats, elapsed=375.0) == (
        "120 pages queued, 80 fetched, 75 posts archived, 12.0 posts/min, ~3 min left"
    )


def test_the_line_before_anything_was_fetched_and_near_the_end() -> None:
    assert progress_line({}, elapsed=0.0) == (
        "0 pages queued, 0 fetched, 0 posts archived, 0.0 posts/min, time left unknown"
    )
    near_end = {"scheduler/enqueued": 100, "response_received_count": 90}
    assert progress_line(near_end, elapsed=90.0).endswith(", ~10 s left")


def test_pages_found_never_fall_between_two_reports() -> None:
    # a batch of 64 left the backlog's gauge before the scheduler counted it
    before = Snapshot.of({"scheduler/enqueued": 10, "discovery/waiting": 100}, 5.0)
    during = Snapshot.of({"scheduler/enqueued": 10, "discovery/waiting": 36}, 6.0, before.found)
    after = Snapshot.of({"scheduler/enqueued": 80, "discovery/waiting": 36}, 7.0, during.found)
    assert (before.found, during.found, after.found) == (110, 110, 116)


def test_posts_waiting_in_the_discovery_backlog_count_as_found() -> None:
    # 100 queued or sent, 400 named by the sitemap and not yet queued: 500 to fetch, 50 done
    stats = {"scheduler/enqueued": 100, "discovery/waiting": 400, "response_received_count": 50}
    line = progress_line(stats, elapsed=60.0)
    assert line.startswith("500 pages queued, 50 fetched")
    assert line.endswith(", ~9 min left")  # 450 more at 50 per minute


def test_interval_zero_turns_the_extension_off() -> None:
    with pytest.raises(NotConfigured):
        Progress.from_crawler(get_crawler(settings_dict={"PROGRESS_INTERVAL": 0}))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_line_is_redrawn_in_place() -> None:
    crawler = get_crawler(settings_dict={"PROGRESS_INTERVAL": 1})
    assert crawler.stats is not None
    screen = _Terminal()
    progress = Progress(crawler, 1.0, screen, width=lambda: 100)
    crawler.stats.set_value("scheduler/enqueued", 10)
    progress.report()
    crawler.stats.set_value("response_received_count", 4)
    progress.report()
    text = screen.getvalue()
    assert text.count("\r") == 2
    assert "\n" not in text
    assert text.rsplit("\r", 1)[1].startswith("progress: 10 pages queued, 4 fetched, 0 posts")


def test_at_60_columns_each_redraw_fits_on_one_line() -> None:
    crawler = get_crawler(settings_dict={"PROGRESS_INTERVAL": 10})
    assert crawler.stats is not None
    screen = _Terminal()
    progress = Progress(crawler, 10.0, screen, width=lambda: 60)
    crawler.stats.set_value("scheduler/enqueued", 1234)
    progress.report()
    progress.report()
    drawn = [part.removesuffix("\x1b[K") for part in screen.getvalue().split("\r")[1:]]
    assert len(drawn) == 2
    assert all(len(part) <= 59 for part in drawn)
    assert drawn[0].startswith("progress: 1234 pages queued")


def test_a_terminal_gets_its_first_line_after_a_second_a_log_after_the_interval() -> None:
    crawler = get_crawler(settings_dict={"PROGRESS_INTERVAL": 10})
    assert Progress(crawler, 10.0, _Terminal()).period == 1.0
    assert Progress(crawler, 10.0, io.StringIO()).period == 10.0


@pytest.mark.slow  # a real crawl
def test_a_crawl_without_terminal_logs_plain_progress_lines(
    replica: Callable[..., ReplicaServer], tmp_path: Path
) -> None:
    server = replica("classic")
    result = run_crawl(
        tmp_path,
        "-s", "LOG_LEVEL=INFO",
        "-s", "PROGRESS_INTERVAL=0.1",
        base_url=server.base_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [tuple(map(int, m.groups())) for m in LINE.finditer(result.stderr)]
    assert len(lines) >= 2, result.stderr[-3000:]
    assert "\r" not in result.stderr
    for earlier, later in itertools.pairwise(lines):
        assert all(a <= b for a, b in zip(earlier, later, strict=True))
    found, fetched, archived = lines[-1]
    assert archived <= fetched <= found
    assert archived <= len(server.requests)
