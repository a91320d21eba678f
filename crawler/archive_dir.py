"""``ARCHIVE_DIR`` as the commands take it: a local folder, for now.

Object storage (``s3://bucket/prefix``) is not supported yet: a URI would be
taken for a relative folder named ``s3:``, and the bucket would stay empty.  So
any ``scheme://`` value is refused with one line before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.archive.layout import ArchiveUnusable

#: ``scheme://…``: an ARCHIVE_DIR that names object storage (or another URI), not a folder
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def archive_root(value: str) -> Path:
    """ARCHIVE_DIR as a local folder; a URI (``s3://bucket/prefix``, ``file://…``) is
    refused with ArchiveUnusable (the crawl's exit status 2)."""
    if URI.match(value):
        raise ArchiveUnusable(
            f"ARCHIVE_DIR={value}: URIs (object storage) are not supported yet; give a local folder"
        )
    return Path(value)
