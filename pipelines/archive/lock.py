"""One crawl per site at a time: an ``flock`` on ``<site>/.lock``.

The kernel drops the lock when the holding process dies, however it dies, so a
killed crawl never blocks the next one; the pid inside is only for the message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class ArchiveLocked(Exception):
    """Another live process holds the site's lock; ``str(exc)`` is one line for the user."""


class SiteLock:
    """``acquire()`` takes the lock or raises :class:`ArchiveLocked`; ``release()`` drops it."""

    def __init__(self, path: Path, site: str) -> None:
        self.path = path
        self.site = site
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise ArchiveLocked(
                f"another crawl of {self.site!r} is running (pid {holder})"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
