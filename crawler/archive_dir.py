"""``ARCHIVE_DIR`` for the commands that read the archive from a local folder.

``scrapy crawl`` archives into object storage too (``s3://bucket/prefix``: it works
on a local copy, :mod:`pipelines.archive.mirror`), and ``scrapy fleet`` reads the
crawl logs there (:mod:`crawler.fleet.crawl_logs`); the other commands read a
folder, and a URI would be taken for a relative folder named ``s3:``.  So they
refuse any ``scheme://`` value with one line before anything is read or written.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.archive.layout import ArchiveUnusable

#: ``scheme://…``: an ARCHIVE_DIR that names object storage (or another URI), not a folder
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def archive_root(value: str) -> Path:
    """ARCHIVE_DIR as a local folder; a URI (``s3://bucket/prefix``, ``file://…``) is
    refused with ArchiveUnusable (exit status 2)."""
    if URI.match(value):
        raise ArchiveUnusable(
            f"ARCHIVE_DIR={value}: this command reads a local folder; only scrapy crawl"
            " and scrapy fleet use object storage"
        )
    return Path(value)
