"""The site lock: a live holder blocks with one clear line, a dead one never does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.archive import ArchiveLocked, SiteArchive
from pipelines.archive.lock import SiteLock

ROOT = Path(__file__).resolve().parents[1]
HOLD = """
import sys, time
from pathlib import Path
from pipelines.archive.lock import SiteLock
SiteLock(Path(sys.argv[1]), "materna").acquire()
print("locked", flush=True)
time.sleep(60)
"""


def holder(lock_path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()


def test_live_holder_blocks_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "materna").mkdir()
    proc = holder(tmp_path / "materna" / ".lock")
    try:
        archive = SiteArchive(tmp_path, "materna", "20260101T000000Z-x")
        with pytest.raises(ArchiveLocked) as caught:
            archive.open()
        assert str(caught.value) == f"another crawl of 'materna' is running (pid {proc.pid})"
        assert "\n" not in str(caught.value)
    finally:
        stop(proc)


def test_lock_of_a_killed_process_does_not_block(tmp_path: Path) -> None:
    lock_path = tmp_path / ".lock"
    proc = holder(lock_path)
    stop(proc)
    assert lock_path.read_text().strip() == str(proc.pid)
    lock = SiteLock(lock_path, "materna")
    lock.acquire()
    assert lock_path.read_text().strip() == str(os.getpid())
    lock.release()


def test_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    first = SiteLock(tmp_path / ".lock", "materna")
    first.acquire()
    with pytest.raises(ArchiveLocked):
        SiteLock(tmp_path / ".lock", "materna").acquire()
    first.release()
    second = SiteLock(tmp_path / ".lock", "materna")
    second.acquire()
    second.release()
