"""An archive root on object storage: ``s3://bucket/prefix`` (or ``file:///…``).

Any URI that :func:`pyarrow.fs.FileSystem.from_uri` understands; credentials,
region and endpoint come from where pyarrow's S3 filesystem reads them (the
usual ``AWS_*`` environment variables, ``~/.aws``, or the URI's query such as
``?endpoint_override=…&scheme=http``).

The store only ever receives finished files, each in one request: an S3 PUT (or
a multipart upload, which S3 publishes only when it completes) is atomic, so a
reader lists and reads whole objects or nothing.  A local filesystem has no
such guarantee, so there a file is written under a temp name that readers skip
and then renamed.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.fs as pafs

from pipelines.archive.layout import TEMP_SUFFIX, ArchiveUnusable

#: Bytes per read/write when copying a file to or from the store.
CHUNK = 1 << 20


class StoreUnusable(ArchiveUnusable):
    """The archive URI names no filesystem pyarrow has, or the store cannot be
    reached or written; the message is one line for the user (exit 2 before a
    crawl, as for a local archive that cannot be written)."""


@dataclass(frozen=True)
class StoredObject:
    """One object under the store's root: its key (``/``-separated, relative to
    the root), size and modification time (what the store says, for freshness)."""

    key: str
    size: int
    mtime_ns: int


def is_store_uri(value: str) -> bool:
    """Whether an ``ARCHIVE_DIR`` value is a URI (``scheme://…``), not a local path."""
    return "://" in value and bool(urlsplit(value).scheme)


class ArchiveStore:
    """Put, get and list the files of archives under one URI's root."""

    def __init__(self, uri: str, filesystem: pafs.FileSystem, root: str) -> None:
        self.uri = uri.rstrip("/")
        self.filesystem = filesystem
        self.root = root.rstrip("/")

    @classmethod
    def from_uri(cls, uri: str) -> ArchiveStore:
        try:
            filesystem, root = pafs.FileSystem.from_uri(uri)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, ValueError) as error:
            raise StoreUnusable(f"cannot use the archive store {uri}: {error}") from error
        return cls(uri, filesystem, root)

    @property
    def atomic_put(self) -> bool:
        """Whether one output stream is published whole (object stores), or must be
        renamed into place (a local or mounted filesystem)."""
        return self.filesystem.type_name not in ("local", "mock")

    def check(self) -> None:
        """Raise StoreUnusable unless the store's bucket (or a local root) is there:
        listing a missing bucket finds nothing rather than failing, and a crawl must
        not fetch a page it could not upload."""
        if not self.atomic_put:
            self.filesystem.create_dir(self.root, recursive=True)
            return
        bucket = self.root.split("/", 1)[0]
        if self.filesystem.get_file_info(bucket).type != pafs.FileType.Directory:
            raise StoreUnusable(f"cannot use the archive store {self.uri}: no bucket {bucket!r}")

    def path(self, key: str) -> str:
        return f"{self.root}/{key}" if key else self.root

    def put(self, local: Path, key: str) -> None:
        """Upload the finished file ``local`` as ``key``: readers see the old object
        (or none) until the new one is complete."""
        target = self.path(key)
        self._make_parent(target)
        if self.atomic_put:
            self._copy_into(local, target)
            return
        temp = _temp_key(target)
        self._copy_into(local, temp)
        self.filesystem.move(temp, target)

    def get(self, key: str, local: Path) -> None:
        """Download ``key`` to ``local`` through a temp file beside it (``.name.tmp``,
        which the archive's readers skip and its writer removes), then rename."""
        temp = local.with_name(f".{local.name}{TEMP_SUFFIX}")
        local.parent.mkdir(parents=True, exist_ok=True)
        with self.filesystem.open_input_stream(self.path(key)) as source, temp.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        temp.replace(local)

    def list(self, prefix: str) -> dict[str, StoredObject]:
        """Every object under ``prefix`` (a key's folder), by key; none when absent."""
        selector = pafs.FileSelector(self.path(prefix), recursive=True, allow_not_found=True)
        found = {}
        for info in self.filesystem.get_file_info(selector):
            if info.type == pafs.FileType.File:
                key = info.path.removeprefix(f"{self.root}/")
                found[key] = StoredObject(key, info.size or 0, _mtime_ns(info))
        return found

    def stat(self, key: str) -> StoredObject | None:
        info = self.filesystem.get_file_info(self.path(key))
        if info.type != pafs.FileType.File:
            return None
        return StoredObject(key, info.size or 0, _mtime_ns(info))

    def delete(self, key: str) -> None:
        """Remove the object ``key`` (gone already is fine: deleting is idempotent)."""
        with contextlib.suppress(FileNotFoundError):
            self.filesystem.delete_file(self.path(key))

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def _copy_into(self, local: Path, target: str) -> None:
        with local.open("rb") as source, self.filesystem.open_output_stream(target) as out:
            shutil.copyfileobj(source, out, CHUNK)

    def _make_parent(self, target: str) -> None:
        if not self.atomic_put:
            self.filesystem.create_dir(target.rsplit("/", 1)[0], recursive=True)


def _temp_key(target: str) -> str:
    folder, name = target.rsplit("/", 1)
    return f"{folder}/.{name}{TEMP_SUFFIX}"


def _mtime_ns(info: pafs.FileInfo) -> int:
    return int(info.mtime_ns or 0)
