"""The analysts' report: one self-contained HTML file that shows a site's archive.

``build_report(site_dir, site)`` returns the HTML; ``write_report(site_dir, site,
output)`` writes it atomically and returns the one-line notes for the sections it
could not show (empty archive, no version history, no crawl log).  Neither needs
Scrapy; ``scrapy report <site>`` (:mod:`crawler.commands.report`) wraps them.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.report.archive import Archive, load_archive
from pipelines.report.page import render_page
from pipelines.report.sections import Section, build_sections, headlines

__all__ = ["DEFAULT_TIMEZONE", "build_report", "write_report"]

logger = logging.getLogger(__name__)

DEFAULT_TIMEZONE = "Europe/Berlin"


def build_report(site_dir: Path, site: str, *, timezone: str = DEFAULT_TIMEZONE) -> str:
    """The report of the archive in ``site_dir`` as an HTML document.

    Raises FileNotFoundError when ``site_dir`` is not a directory.
    """
    return _render(*_build(Path(site_dir), site, timezone))


def write_report(
    site_dir: Path, site: str, output: Path, *, timezone: str = DEFAULT_TIMEZONE
) -> list[str]:
    """Write the report to ``output`` atomically; return the lines it could not show."""
    archive, sections = _build(Path(site_dir), site, timezone)
    _write_atomically(Path(output), _render(archive, sections))
    missing = [s.missing_line for s in sections if s.missing]
    logger.info("Wrote report of %s to %s (%d sections not shown)", site, output, len(missing))
    return missing


def _build(site_dir: Path, site: str, timezone: str) -> tuple[Archive, list[Section]]:
    archive = load_archive(site_dir, site, ZoneInfo(timezone))
    return archive, build_sections(archive)


def _render(archive: Archive, sections: list[Section]) -> str:
    return render_page(archive.site, _freshness(archive), headlines(archive), sections)


def _freshness(archive: Archive) -> str:
    """A line naming the newest fetch or crawl: deterministic, unlike "now"."""
    moments = [p.fetched for p in archive.posts if p.fetched]
    moments += [c["started_at"] for c in archive.crawls or ()]
    if not moments:
        return "The archive holds no data yet."
    return f"Data as of {max(moments):%Y-%m-%d %H:%M %Z}."


def _write_atomically(output: Path, html: str) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide the report from other readers
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
