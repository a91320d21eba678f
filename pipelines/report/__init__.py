"""The analysts' report: one self-contained HTML file that shows a site's archive.

``build_report(site_dir, site)`` returns the HTML; ``write_report(site_dir, site,
output)`` writes it atomically and returns the one-line notes for the sections it
could not show (empty archive, no version history, no crawl log).
``build_fleet_report(archive_dir)`` and ``write_fleet_report(archive_dir, output)``
do the same for every blog under ``archive_dir`` (:mod:`pipelines.report.fleet`).
None needs Scrapy; ``scrapy report <site>`` and ``scrapy report --fleet``
(:mod:`crawler.commands.report`) wrap them.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.report.archive import Archive, load_archive
from pipelines.report.fleet import Blog, fleet_headlines, fleet_sections, load_fleet
from pipelines.report.page import render_page
from pipelines.report.sections import Section, build_sections, headlines

__all__ = [
    "DEFAULT_TIMEZONE",
    "build_fleet_report",
    "build_report",
    "write_fleet_report",
    "write_report",
]

logger = logging.getLogger(__name__)

DEFAULT_TIMEZONE = "Europe/Berlin"
_EMPTY = "The archive holds no data yet."


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


def build_fleet_report(archive_dir: Path, *, timezone: str = DEFAULT_TIMEZONE) -> str:
    """The report of every blog under ``archive_dir`` as an HTML document.

    Raises FileNotFoundError when ``archive_dir`` is not a directory.
    """
    blogs = load_fleet(Path(archive_dir), ZoneInfo(timezone))
    return _render_fleet(blogs, fleet_sections(blogs))


def write_fleet_report(
    archive_dir: Path, output: Path, *, timezone: str = DEFAULT_TIMEZONE
) -> list[str]:
    """Write the fleet's report to ``output`` atomically; return the lines it could not show."""
    blogs = load_fleet(Path(archive_dir), ZoneInfo(timezone))
    sections = fleet_sections(blogs)
    _write_atomically(Path(output), _render_fleet(blogs, sections))
    logger.info("Wrote the report of %d blogs to %s", len(blogs), output)
    return [s.missing_line for s in sections if s.missing]


def _render_fleet(blogs: tuple[Blog, ...], sections: list[Section]) -> str:
    name = f"{len(blogs)} blog{'' if len(blogs) == 1 else 's'}"
    fetched = [p.fetched for b in blogs for p in b.posts if p.fetched]
    freshness = f"Data as of {max(fetched):%Y-%m-%d %H:%M %Z}." if fetched else _EMPTY
    return render_page(name, freshness, fleet_headlines(blogs), sections)


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
        return _EMPTY
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
