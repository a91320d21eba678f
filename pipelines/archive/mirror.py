"""A site's archive on object storage, written through a local copy on the node.

A crawl works on a local copy of the site's archive exactly as on a local
archive (lock, HTTP cache, parts renamed into place, the WARC ``.open`` while
written); this module keeps the store in step with it:

* before the crawl, under the site lock: :meth:`SiteMirror.pull` brings the
  local copy up to date from the store (parts, events, ``crawls.parquet``,
  ``posts.parquet``; not the WARCs, which nothing reads back), so a fresh node
  or a lost disk still knows what was archived; then :meth:`SiteMirror.push`
  uploads whatever a killed crawl left only locally;
* during the crawl: :class:`ArchiveMirror` uploads every new part soon after
  the flush that wrote it, under the same hidden key as on disk
  (``versions/_staging/<crawl>/…``, which readers of the store do not list);
* after the crawl: :meth:`SiteMirror.push` uploads the remaining parts, the
  crawl's published file (one PUT), the finished WARC, then ``crawls.parquet``
  and ``posts.parquet``; then it deletes the staged objects of every crawl
  whose published file the store holds, and the objects a month file replaces
  (:mod:`pipelines.archive.compaction`).

Every upload is one finished file in one PUT.  Parts and WARCs are immutable
and uniquely named (by crawl id), so uploading one again is harmless;
``crawls.parquet`` and ``posts.parquet`` are replaced whole.  A temp file
(``.name.tmp``), an open WARC (``.open``), the lock and ``httpcache/`` never
leave the node.  A fresh node pulls staged objects too, and the crawl that
follows publishes them, so a node lost mid-crawl loses seconds, not the crawl.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call
from twisted.internet import threads
from twisted.internet.defer import Deferred

from blog.crawl import identity_of
from pipelines.archive.layout import (
    MONTH_PREFIX,
    PART_PREFIX,
    STAGING,
    SiteLayout,
    parquet_parts,
    replaced_by,
    staged_parts,
    temp_path,
)
from pipelines.archive.lock import ArchiveLocked, SiteLock
from pipelines.archive.store import ArchiveStore, StoredObject, StoreUnusable, is_store_uri

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

#: Append-only folders whose parts are immutable objects.
PART_FOLDERS = ("versions", "events")
#: Files replaced whole at the end of a crawl (the crawl log, the current table).
REPLACED_FILES = ("crawls.parquet", "posts.parquet")
WARC_SUFFIX = ".warc.gz"
#: What the local copy remembers of each replaced file's last sync (not uploaded).
SYNC_FILE = ".store-sync.json"


def local_root(uri: str, configured: str | None) -> Path:
    """Where the node keeps its local copy of the archives under ``uri``:
    ``ARCHIVE_LOCAL_DIR`` if set, else ``$XDG_STATE_HOME/blog-archiver/<scheme>/<bucket>/<prefix>``
    (``~/.local/state`` without it): absolute, so Scrapyd's working folder does not
    move it, and state rather than cache, because it holds parts not yet uploaded."""
    if configured:
        return Path(configured).expanduser().absolute()
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    parts = urlsplit(uri)
    return Path(state, "blog-archiver", parts.scheme, parts.netloc, parts.path.strip("/"))


def use_store(settings: BaseSettings) -> ArchiveStore | None:
    """When ``ARCHIVE_DIR`` is a URI: point ``ARCHIVE_DIR`` at the node's local copy
    and keep the URI as ``ARCHIVE_STORE``, so that everything that reads
    ``ARCHIVE_DIR`` (archive, crawl log, lock, HTTP cache) works on the local copy.
    Returns the store (None for a local archive)."""
    uri = settings.get("ARCHIVE_STORE") or settings.get("ARCHIVE_DIR", "data")
    if not is_store_uri(str(uri)):
        return None
    store = ArchiveStore.from_uri(str(uri))
    local = local_root(store.uri, settings.get("ARCHIVE_LOCAL_DIR"))
    settings.set("ARCHIVE_STORE", store.uri, priority="cmdline")
    settings.set("ARCHIVE_DIR", str(local), priority="cmdline")
    return store


class SiteMirror:
    """The store's side of one site's archive, kept in step with the local copy."""

    def __init__(self, store: ArchiveStore, layout: SiteLayout) -> None:
        self.store = store
        self.layout = layout
        self.site = layout.site
        self._stored: set[str] = set()  # keys known to be in the store

    def refresh(self) -> None:
        """Learn which objects the store holds (one listing), so that
        :meth:`push_parts` uploads only what is new."""
        self._stored = set(self.store.list(self.site))

    def sync_before_crawl(self) -> None:
        """Under the site lock (ArchiveLocked when another crawl holds it): pull, then
        push what a killed crawl left only here.  StoreUnusable when the store fails."""
        self.layout.site_dir.mkdir(parents=True, exist_ok=True)
        lock = SiteLock(self.layout.lock_path, self.site)
        lock.acquire()
        try:
            self._guarded(self.store.check)
            self._guarded(self.pull)
            self._guarded(self.push)
        finally:
            lock.release()

    def sync_after_crawl(self) -> None:
        """Upload what the crawl wrote, under the lock when it is free (a crawl that
        holds it now pushes the same files itself when it ends)."""
        lock = SiteLock(self.layout.lock_path, self.site)
        try:
            lock.acquire()
        except ArchiveLocked as busy:
            logger.info("not uploading now: %s, which uploads when it ends", busy)
            return
        try:
            self._guarded(self.push)
        finally:
            lock.release()

    def pull(self) -> int:
        """Download the parts the local copy lacks and the replaced files the store
        has newer; return how many files were downloaded."""
        stored = self.store.list(self.site)
        self._stored = set(stored)
        fetched = 0
        for key in self._missing_parts(stored):
            self.store.get(key, self._local(key))
            fetched += 1
        sync = self._read_sync()
        for name in REPLACED_FILES:
            key = self._key(name)
            if key in stored and self._store_is_newer(sync, key, stored[key]):
                self.store.get(key, self._local(key))
                sync[key] = self._synced(key, stored[key])
                fetched += 1
        self._write_sync(sync)
        logger.info("pulled %d files of %s from %s", fetched, self.site, self.store.uri)
        return fetched

    def push(self) -> int:
        """Upload every finished part and WARC the store lacks, then the replaced
        files changed here since their last sync, then delete the objects that
        published or month files replace; return how many were uploaded."""
        self.refresh()
        uploaded = self.push_parts()
        self.prune()
        for path in self._finished_warcs():
            uploaded += self._put_once(path)
        sync = self._read_sync()
        for name in REPLACED_FILES:
            key = self._key(name)
            if self._changed_here(sync, key):
                self.store.put(self._local(key), key)
                stored = self.store.stat(key)
                if stored is not None:
                    sync[key] = self._synced(key, stored)
                uploaded += 1
        self._write_sync(sync)
        logger.info("pushed %d files of %s to %s", uploaded, self.site, self.store.uri)
        return uploaded

    def push_parts(self) -> int:
        """Upload the finished parts the store lacks (those written since the last call)."""
        return sum(self._put_once(path) for path in self._local_parts())

    def prune(self) -> int:
        """Delete the store's staged objects of crawls whose published file it holds,
        and the objects a month file it holds replaces (after they were uploaded:
        a reader of the store sees the rows once, or for a moment twice, never not)."""
        merged = self._merged_into()
        doomed = sorted(key for key in self._stored if self._superseded(key, merged))
        for key in doomed:
            self.store.delete(key)
            self._stored.discard(key)
        return len(doomed)

    def _superseded(self, key: str, merged: dict[str, dict[str, str]]) -> bool:
        folder, _, name = key.removeprefix(f"{self.site}/").partition("/")
        if folder not in PART_FOLDERS:
            return False
        if name.startswith(f"{STAGING}/"):
            crawl_id = name.split("/")[1]
            name = f"{PART_PREFIX}{crawl_id}.parquet"
            if self._key(f"{folder}/{name}") in self._stored:
                return True
        month = merged[folder].get(name)
        return month is not None and self._key(f"{folder}/{month}") in self._stored

    def _merged_into(self) -> dict[str, dict[str, str]]:
        """Per dataset folder, each file name a local month file replaces, to the name of
        that month file (read from the month files' footers once, not once per key)."""
        return {
            folder: {
                name: month.name
                for month in sorted(
                    (self.layout.site_dir / folder).glob(f"{MONTH_PREFIX}*.parquet")
                )
                for name in replaced_by(month)
            }
            for folder in PART_FOLDERS
        }

    def _put_once(self, path: Path) -> int:
        key = self._key(path.relative_to(self.layout.site_dir).as_posix())
        if key in self._stored:
            return 0
        try:
            self.store.put(path, key)
        except FileNotFoundError:  # a staged part its crawl has just published
            return 0
        self._stored.add(key)
        return 1

    def _missing_parts(self, stored: dict[str, StoredObject]) -> Iterator[str]:
        """The parts the store has and the local copy lacks, but those a local month
        file replaces (``scrapy compact`` ran here; the next push deletes them)."""
        merged = self._merged_into()
        for key in sorted(stored):
            folder, _, name = key.removeprefix(f"{self.site}/").partition("/")
            if folder not in PART_FOLDERS or not _is_part(name) or name in merged[folder]:
                continue
            if not self._local(key).exists():
                yield key

    def _local_parts(self) -> Iterator[Path]:
        """Staged parts first, then visible files: a crawl's published file goes up
        after whatever of its staged parts is still here."""
        for folder in PART_FOLDERS:
            yield from staged_parts(self.layout.site_dir / folder)
        for folder in PART_FOLDERS:
            yield from parquet_parts(self.layout.site_dir / folder)

    def _finished_warcs(self) -> list[Path]:
        return sorted(self.layout.warc_dir.glob(f"[!.]*{WARC_SUFFIX}"))

    def _store_is_newer(self, sync: dict[str, Any], key: str, stored: StoredObject) -> bool:
        """Take the store's copy unless the local one changed since its last sync (a
        crawl whose upload failed: the local copy is the newer, and is pushed)."""
        if not self._local(key).exists():
            return True
        if self._changed_here(sync, key):
            return False
        last: list[int] | None = sync.get(key, {}).get("store")
        return last != [stored.size, stored.mtime_ns]

    def _changed_here(self, sync: dict[str, Any], key: str) -> bool:
        local = self._local(key)
        last: list[int] | None = sync.get(key, {}).get("local")
        return local.exists() and last != _signature(local)

    def _synced(self, key: str, stored: StoredObject) -> dict[str, list[int]]:
        return {"local": _signature(self._local(key)), "store": [stored.size, stored.mtime_ns]}

    def _read_sync(self) -> dict[str, Any]:
        path = self.layout.site_dir / SYNC_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_sync(self, sync: dict[str, Any]) -> None:
        path = self.layout.site_dir / SYNC_FILE
        temp = temp_path(path)
        temp.write_text(json.dumps(sync, indent=1, sort_keys=True), encoding="utf-8")
        temp.replace(path)

    def _guarded(self, step: Any) -> None:
        try:
            step()
        except OSError as error:  # pyarrow's network, credential and bucket errors
            raise StoreUnusable(
                f"cannot sync the archive with {self.store.uri}: {error}"
            ) from error

    def _key(self, relative: str) -> str:
        return f"{self.site}/{relative}"

    def _local(self, key: str) -> Path:
        return self.layout.root / key


class ArchiveMirror:
    """Scrapy extension: during a crawl into a store (``ARCHIVE_STORE``, set by
    :func:`use_store`), upload new parts every ``ARCHIVE_STORE_PUSH_SECONDS``
    (default 5), so a node lost mid-crawl loses seconds of work, not the crawl."""

    def __init__(self, crawler: Crawler, store: ArchiveStore, interval: float) -> None:
        self.crawler = crawler
        self.store = store
        self.interval = interval
        self.mirror: SiteMirror | None = None
        self._timer: Any = None
        self._uploading: Deferred[int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMirror:
        uri = crawler.settings.get("ARCHIVE_STORE")
        interval = crawler.settings.getfloat("ARCHIVE_STORE_PUSH_SECONDS", 5.0)
        if not uri or interval <= 0:
            # no store, or part uploads during the crawl off; without a message, since
            # Scrapy logs a NotConfigured message as a warning and cron would mail it
            raise NotConfigured
        extension = cls(crawler, ArchiveStore.from_uri(uri), interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        root = Path(self.crawler.settings.get("ARCHIVE_DIR", "data"))
        layout = SiteLayout(root, identity_of(self.crawler.spider).site)
        mirror = SiteMirror(self.store, layout)
        try:
            mirror.refresh()
        except OSError as error:
            logger.warning(
                "cannot list %s: %s; parts go up at the crawl's end", self.store.uri, error
            )
            return
        self.mirror = mirror
        self._timer = create_looping_call(self.push_parts)
        self._timer.start(self.interval, now=False)

    def push_parts(self) -> None:
        """Start uploading the new parts in a thread (a PUT takes tens of milliseconds,
        which the crawl's reactor must not wait for); one upload round at a time."""
        if self.mirror is None or self._uploading is not None:
            return
        self._uploading = threads.deferToThread(self.mirror.push_parts)
        self._uploading.addCallbacks(self._uploaded, self._upload_failed)

    def _uploaded(self, count: int) -> None:
        self._uploading = None
        if count and self.crawler.stats is not None:
            self.crawler.stats.inc_value("archive/parts_uploaded", count)

    def _upload_failed(self, failure: Failure) -> None:
        # the store is down: the crawl's end, or the next crawl, uploads the parts
        self._uploading = None
        logger.warning("cannot upload parts to %s: %s", self.store.uri, failure.value)

    def spider_closed(self) -> Deferred[None] | None:
        """Stop the timer, and let Scrapy wait for an upload round still running."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self._uploading is None:
            return None
        waiting: Deferred[None] = Deferred()
        self._uploading.addBoth(lambda _: waiting.callback(None))
        return waiting


def _is_part(name: str) -> bool:
    """A visible file of a dataset folder, or a crawl's staged part (``_staging/<crawl>/…``)."""
    staged = name.split("/")
    if len(staged) == 3 and staged[0] == STAGING:
        name = staged[2]
    elif "/" in name:
        return False
    return name.endswith(".parquet") and not name.startswith((".", "_"))


def _signature(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]
