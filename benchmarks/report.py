"""How long the analysts' report takes to build: ``python -m benchmarks.report [--posts N]``.

Writes a synthetic archive (default 10,000 posts, with version history and a
crawl log) to a temporary directory, builds the report ``--repeat`` times (default
3) and prints a table of the median, min and max seconds per stage.  Not a test:
numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.report import DEFAULT_TIMEZONE, build_report
from pipelines.report.archive import load_archive
from pipelines.report.sections import build_sections
from tests.archive_factory import write_archive


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def run_once(site_dir: Path) -> dict[str, float]:
    tz = ZoneInfo(DEFAULT_TIMEZONE)
    load, archive = timed(lambda: load_archive(site_dir, "bench", tz))
    sections, _ = timed(lambda: build_sections(archive))
    total, html = timed(lambda: build_report(site_dir, "bench"))
    return {
        "load archive": load,
        "numbers + charts": sections,
        "build_report total": total,
        "html bytes": len(html.encode()),
    }


def table(runs: list[dict[str, float]]) -> str:
    lines = [f"{'stage':<22}{'median s':>10}{'min s':>10}{'max s':>10}"]
    for stage in runs[0]:
        values = [run[stage] for run in runs]
        if stage == "html bytes":
            lines.append(f"{stage:<22}{int(statistics.median(values)):>10}")
            continue
        lines.append(
            f"{stage:<22}{statistics.median(values):>10.2f}{min(values):>10.2f}{max(values):>10.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        site_dir = Path(directory) / "bench"
        generation, archive = timed(lambda: write_archive(site_dir, posts=args.posts, seed=1))
        versions = archive.versions.num_rows if archive.versions is not None else 0
        print(f"archive: {args.posts} posts, {versions} versions, generated in {generation:.1f} s")
        print(table([run_once(site_dir) for _ in range(args.repeat)]))


if __name__ == "__main__":
    main()
