"""``scrapy rebuild`` and ``scrapy reextract`` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.archive import SiteArchive, content_hash, read_posts
from pipelines.archive.reextract import reextract_site
from tests.test_archive_hash import BASE, T0, make_page, make_post

ROOT = Path(__file__).resolve().parents[1]


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def archived(root: Path, slugs: list[str]) -> Path:
    archive = SiteArchive(root, "testsite", "20260101T000000Z-a")
    archive.open()
    for slug in slugs:
        archive.add_post(make_post(slug), T0)
        archive.record_page(make_page(make_post(slug), requested_url=f"{BASE}?p={slug}"))
    archive.finish(complete=True)
    return root / "testsite"


def test_rebuild_command_recreates_posts(tmp_path: Path) -> None:
    site_dir = archived(tmp_path, ["a", "b"])
    expected = pq.read_table(site_dir / "posts.parquet")
    (site_dir / "posts.parquet").unlink()
    done = scrapy("rebuild", "testsite", "-s", f"ARCHIVE_DIR={tmp_path}")
    assert done.returncode == 0, done.stderr
    assert "2 posts from 2 versions" in done.stdout
    assert pq.read_table(site_dir / "posts.parquet").equals(expected)


@pytest.mark.parametrize("command", ["rebuild", "reextract"])
def test_unknown_site_is_one_line_and_non_zero(tmp_path: Path, command: str) -> None:
    done = scrapy(command, "nirgendwo", "-s", f"ARCHIVE_DIR={tmp_path}")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "nirgendwo" in done.stderr
    assert "Traceback" not in done.stderr


class Extraction:
    def __init__(self, post: dict | None) -> None:
        self.kind = "post" if post else "other"
        self.post = post
        self.disagreements: list[str] = []


def test_reextract_appends_only_changed_versions(tmp_path: Path) -> None:
    site_dir = archived(tmp_path, ["a", "b", "c"])

    def extract(html: str, url: str) -> Extraction:
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        if slug == "c":
            return Extraction(None)
        title = "Besser extrahiert" if slug == "a" else make_post(slug)["title"]
        return Extraction(make_post(slug, title=title))

    counts = reextract_site(tmp_path, "testsite", extract)
    assert (counts["pages"], counts["changed"], counts["unchanged"], counts["not_post"]) == (
        3,
        1,
        1,
        1,
    )
    posts = {r["url"]: r for r in read_posts(site_dir).to_pylist()}
    assert posts[f"{BASE}a/"]["title"] == "Besser extrahiert"
    assert posts[f"{BASE}a/"]["content_hash"] == content_hash(
        make_post("a", title="Besser extrahiert")
    )
    assert posts[f"{BASE}a/"]["fetched_at"] == T0
    assert posts[f"{BASE}a/"]["aliases"] == [f"{BASE}?p=a"]
    assert len(list((site_dir / "versions").glob("*.parquet"))) == 2

    again = reextract_site(tmp_path, "testsite", extract)
    assert again["changed"] == 0
