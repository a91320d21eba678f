"""Raw pages as WARC 1.1 (ISO 28500): one gzip member per record, via warcio.

A crawl writes ``warc/<crawl_id>.warc.gz.open`` and renames it to
``<crawl_id>.warc.gz`` when it finishes.  A file left open by a killed crawl is
finalised at the next start: every complete gzip member (= record) is kept, a
torn last one is cut off.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from blog.page import FetchedPage
from pipelines.archive.layout import fsync_dir
from pipelines.extract.rest import read_recorded, recorded_hints

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
WARC_VERSION = "1.1"
# the body we hold is already decoded and de-chunked: keep these headers for the
# record, but renamed, so WARC readers do not try to decode the body again
_RENAMED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_CHUNK = 1 << 20


class WarcFile:
    """Appends response + metadata records for fetched pages to one crawl's WARC."""

    def __init__(self, warc_dir: Path, crawl_id: str) -> None:
        self.final_path = warc_dir / f"{crawl_id}.warc.gz"
        self.open_path = warc_dir / f"{crawl_id}.warc.gz{OPEN_SUFFIX}"
        self._out: BinaryIO | None = None
        self._writer: WARCWriter | None = None

    def open(self) -> None:
        """Nothing to do yet: the file is created with its first record, so a crawl
        that archives no page leaves no empty WARC behind."""

    def _start(self) -> WARCWriter:
        if self._writer is None:
            self._out = self.open_path.open("ab")
            self._writer = WARCWriter(self._out, gzip=True, warc_version=WARC_VERSION)
        return self._writer

    def write_page(self, page: FetchedPage, crawl_id: str) -> None:
        """Write ``page`` as a ``response`` record and a JSON ``metadata`` record."""
        self._start()
        assert self._writer is not None
        response = self._response_record(page)
        self._writer.write_record(response)
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(self._metadata_record(page, crawl_id, record_id))

    def _response_record(self, page: FetchedPage) -> ArcWarcRecord:
        assert self._writer is not None
        http_headers = StatusAndHeaders(
            _status_line(page.status), _warc_headers(page.headers), protocol="HTTP/1.1"
        )
        return self._writer.create_warc_record(
            page.url,
            "response",
            payload=BytesIO(page.body),
            length=len(page.body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": warc_date(page.fetched_at)},
        )

    def _metadata_record(self, page: FetchedPage, crawl_id: str, refers_to: str) -> ArcWarcRecord:
        assert self._writer is not None
        info = {
            "requested_url": page.requested_url,
            "source": page.source,
            "encoding": page.encoding,
            "site": page.site,
            "crawl_id": crawl_id,
            "hints": recorded_hints(page.hints, page.post),
        }
        body = json.dumps(info, ensure_ascii=False).encode("utf-8")
        return self._writer.create_warc_record(
            page.url,
            "metadata",
            payload=BytesIO(body),
            length=len(body),
            warc_content_type="application/json",
            warc_headers_dict={
                "WARC-Date": warc_date(page.fetched_at),
                "WARC-Concurrent-To": refers_to,
            },
        )

    def flush(self) -> None:
        if self._out is not None:
            self._out.flush()
            os.fsync(self._out.fileno())

    def abandon(self) -> None:
        """Close the file without flushing what a full disk refused."""
        if self._out is not None:
            with contextlib.suppress(OSError):
                self._out.close()
        self._out, self._writer = None, None

    def close(self) -> None:
        """Flush, close and rename the file to its final name."""
        if self._out is None:
            return
        self.flush()
        self._out.close()
        self._out = None
        self._writer = None
        # every record was written whole: no need to scan for a torn one (finalise)
        os.replace(self.open_path, self.final_path)
        fsync_dir(self.final_path.parent)


def warc_date(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(moment, use_micros=True))


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _warc_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (f"X-Archive-Orig-{name}" if name.lower() in _RENAMED_HEADERS else name, value)
        for name, value in headers
    ]


def finalise(open_path: Path) -> Path | None:
    """Cut a torn last record off ``open_path`` and rename it to its final name.

    Returns the final path, or None when not one complete record was left (the
    file is then removed).
    """
    final_path = open_path.with_name(open_path.name.removesuffix(OPEN_SUFFIX))
    complete = complete_length(open_path)
    if complete == 0:
        logger.warning("removing %s: no complete WARC record", open_path)
        open_path.unlink()
        return None
    if complete < open_path.stat().st_size:
        logger.warning("cutting a torn record off %s at byte %d", open_path, complete)
        with open_path.open("r+b") as out:
            out.truncate(complete)
            os.fsync(out.fileno())
    os.replace(open_path, final_path)
    fsync_dir(final_path.parent)
    return final_path


def finalise_open_warcs(warc_dir: Path) -> list[Path]:
    """Finalise every ``*.warc.gz.open`` a killed crawl left in ``warc_dir``."""
    if not warc_dir.is_dir():
        return []
    done = [finalise(path) for path in sorted(warc_dir.glob(f"*.warc.gz{OPEN_SUFFIX}"))]
    return [path for path in done if path is not None]


def complete_length(path: Path) -> int:
    """Bytes of ``path`` made of whole gzip members that each start a WARC record."""
    end = 0
    with path.open("rb") as source:
        for member_end, head in _gzip_members(source):
            if not head.startswith(b"WARC/"):
                break
            end = member_end
    return end


def _gzip_members(source: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield (end offset, first 5 decompressed bytes) of each complete gzip member;
    stop at the first torn or corrupt one."""
    offset, head = 0, b""
    inflater = zlib.decompressobj(wbits=31)
    while chunk := source.read(_CHUNK):
        while chunk:
            try:
                output = inflater.decompress(chunk)
            except zlib.error:
                return
            head = (head + output[:5])[:5]
            if not inflater.eof:
                offset += len(chunk)
                break
            offset += len(chunk) - len(inflater.unused_data)
            yield offset, head
            chunk, head = inflater.unused_data, b""
            inflater = zlib.decompressobj(wbits=31)


@dataclass(frozen=True)
class WarcPage:
    """A page read back from a WARC: the final URL, status, body and fetch time."""

    url: str
    requested_url: str
    status: int
    body: bytes
    fetched_at: datetime
    encoding: str = "utf-8"
    #: What discovery knew and the post used (``pipelines.extract.rest``).
    hints: dict[str, Any] = field(default_factory=dict)


def read_pages(path: Path) -> Iterator[WarcPage]:
    """Yield the response records of a WARC, with ``requested_url`` from its metadata."""
    pending: WarcPage | None = None
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                if pending is not None:
                    yield pending
                pending = _page(record)
            elif record.rec_type == "metadata" and pending is not None:
                info = json.loads(record.content_stream().read())
                pending = _with_metadata(pending, info)
    if pending is not None:
        yield pending


def _page(record: object) -> WarcPage:
    url = record.rec_headers.get_header("WARC-Target-URI")  # type: ignore[attr-defined]
    date = iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"))  # type: ignore[attr-defined]
    status = int(record.http_headers.get_statuscode())  # type: ignore[attr-defined]
    body = record.content_stream().read()  # type: ignore[attr-defined]
    return WarcPage(url, url, status, body, date.replace(tzinfo=UTC))


def _with_metadata(page: WarcPage, info: dict[str, Any]) -> WarcPage:
    """The page with what its metadata record adds: the URL asked for, the encoding,
    the hints the post used."""
    return replace(
        page,
        requested_url=info.get("requested_url") or page.url,
        encoding=info.get("encoding") or page.encoding,
        hints=read_recorded(info.get("hints") or {}),
    )
