"""`scrapy report <site>` as a user runs it: a real subprocess in a Scrapy project.

The project is a throwaway one in tmp_path whose settings only set
COMMANDS_MODULE and ARCHIVE_DIR, so the test does not depend on the crawler's
own settings module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.archive_factory import write_archive

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = report_settings\n")
    (tmp_path / "report_settings.py").write_text(
        'COMMANDS_MODULE = "crawler.commands"\nARCHIVE_DIR = "archive"\n'
    )
    return tmp_path


def scrapy(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project), str(ROOT)])}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "scrapy.cmdline", "report", *args]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_writes_report_and_prints_what_it_cannot_show(project: Path) -> None:
    write_archive(project / "archive" / "materna", posts=30, seed=4, with_crawls=False)
    result = scrapy(project, "materna", "-o", "out/bericht.html")
    assert result.returncode == 0, result.stderr
    html = (project / "out" / "bericht.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert 'data-metric="posts" data-value="30"' in html
    not_shown = [line for line in result.stdout.splitlines() if line.startswith("Not shown: ")]
    assert not_shown == [
        "Not shown: Crawl health: no crawl log in the archive (crawls.parquet is absent or empty)"
    ]


def test_default_output_is_report_html(project: Path) -> None:
    (project / "archive" / "materna").mkdir(parents=True)
    result = scrapy(project, "materna")
    assert result.returncode == 0, result.stderr
    assert (project / "report.html").is_file()
    assert result.stdout.count("Not shown: ") == 17


def test_missing_site_is_one_line_on_stderr_and_fails(project: Path) -> None:
    result = scrapy(project, "unbekannt")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unbekannt" in result.stderr
    assert not (project / "report.html").exists()


def test_unreadable_archive_is_one_line_on_stderr(project: Path) -> None:
    site_dir = project / "archive" / "materna"
    site_dir.mkdir(parents=True)
    (site_dir / "posts.parquet").write_bytes(b"not parquet at all")
    result = scrapy(project, "materna")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
