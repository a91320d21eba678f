"""An archive location the crawl cannot write: one line naming the path and the
reason, before any request; a disk that fills up during the crawl: one line, a
non-zero exit, and nothing already archived touched (a real small tmpfs)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support.crawl import run_crawl

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow


def _mount_tmpfs(where: Path, *options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def mounts(tmp_path: Path) -> Iterator[list[Path]]:
    """Mount points to unmount at teardown."""
    mounted: list[Path] = []
    yield mounted
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False)


def _read_only_dir(tmp_path: Path, mounts: list[Path]) -> Path:
    where = tmp_path / "readonly"
    if os.geteuid() != 0:
        where.mkdir()
        where.chmod(0o500)
        return where
    _mount_tmpfs(where, "ro", "size=1m")
    mounts.append(where)
    return where


@pytest.mark.parametrize("kind", ["plain file", "uncreatable", "read-only"])
def test_an_unusable_archive_dir_is_one_line_exit_2_and_no_request(
    replica, tmp_path: Path, mounts: list[Path], kind: str
) -> None:
    server = replica("classic")
    if kind == "plain file":
        archive, reason = tmp_path / "file", "Not a directory"
        archive.write_text("not a folder")
    elif kind == "uncreatable":
        archive, reason = Path("/proc/nope"), "No such file or directory"
    else:
        archive, reason = _read_only_dir(tmp_path, mounts), "Read-only file system"
        if os.geteuid() != 0:
            reason = "Permission denied"
    result = run_crawl(archive, base_url=server.base_url)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write the archive at {archive / 'materna'}: {reason}"
    ]
    assert server.requests == []


def _digests(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file() and "httpcache" not in p.parts and p.name != ".lock"
    }


def test_a_full_disk_mid_crawl_is_one_line_and_damages_nothing(
    replica, tmp_path: Path, mounts: list[Path]
) -> None:
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=6m")
    mounts.append(disk)
    server = replica("classic")
    assert run_crawl(disk, base_url=server.base_url).returncode == 0
    site = disk / "materna"
    before = _digests(site)

    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler.write_bytes(b"\0" * max(free - 96 * 1024, 0))
    result = run_crawl(disk, "-a", "full=true", base_url=server.base_url)

    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"error: cannot write the archive at {site}: No space left on device"
    assert "Traceback" not in result.stderr
    after = _digests(site)
    assert {name: after.get(name) for name in before} == before
    for path in site.rglob("*.parquet"):
        pq.read_table(path)

    filler.unlink()
    result = run_crawl(disk, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
