"""WARC output: readable by warcio with the right URIs, statuses and bodies;
a file left open by a killed crawl is finalised, torn record cut off."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipelines.archive.warc import WarcFile, finalise, finalise_open_warcs, read_pages
from tests.test_archive_hash import BASE, T0, make_page, make_post


def write_warc(warc_dir: Path, n: int) -> WarcFile:
    warc = WarcFile(warc_dir, "20260101T000000Z-w")
    warc.open()
    for i in range(n):
        warc.write_page(make_page(make_post(f"p{i}"), at=T0 + timedelta(seconds=i)), "crawl-w")
    warc.close()
    return warc


def responses(path: Path) -> list[tuple[str, str, str, bytes]]:
    with path.open("rb") as stream:
        return [
            (
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Date"),
                r.http_headers.get_statuscode(),
                r.content_stream().read(),
            )
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        ]


def test_warc_is_readable_by_warcio(tmp_path: Path) -> None:
    warc = write_warc(tmp_path, 3)
    assert not warc.open_path.exists()
    records = responses(warc.final_path)
    assert [r[0] for r in records] == [f"{BASE}p{i}/" for i in range(3)]
    assert records[1][1] == "2026-01-05T09:30:01Z"
    assert {r[2] for r in records} == {"200"}
    assert records[2][3] == make_page(make_post("p2")).body


def test_warc_keeps_response_headers_and_version(tmp_path: Path) -> None:
    warc = write_warc(tmp_path, 1)
    with warc.final_path.open("rb") as stream:
        record = next(r for r in ArchiveIterator(stream) if r.rec_type == "response")
        assert record.rec_headers.protocol == "WARC/1.1"
        cookies = [v for k, v in record.http_headers.headers if k == "Set-Cookie"]
        assert cookies == ["a=1", "b=2"]


def test_read_pages_gives_requested_url_from_metadata(tmp_path: Path) -> None:
    warc = WarcFile(tmp_path, "c")
    warc.open()
    warc.write_page(make_page(make_post("a"), requested_url=f"{BASE}alt/"), "c")
    warc.close()
    pages = list(read_pages(warc.final_path))
    assert [(p.url, p.requested_url, p.status) for p in pages] == [
        (f"{BASE}a/", f"{BASE}alt/", 200)
    ]
    assert pages[0].fetched_at == T0


def test_torn_warc_is_finalised_with_every_complete_record(tmp_path: Path) -> None:
    warc = write_warc(tmp_path, 4)
    warc.final_path.rename(warc.open_path)  # as a killed crawl leaves it
    complete_size = warc.open_path.stat().st_size
    other = WarcFile(tmp_path / "other", "tail")
    other.final_path.parent.mkdir()
    other.open()
    other.write_page(make_page(make_post("torn")), "c")
    other.close()
    tail = other.final_path.read_bytes()
    with warc.open_path.open("ab") as out:
        out.write(tail[:64])  # torn inside its first record (each is hundreds of bytes)
    assert warc.open_path.stat().st_size > complete_size
    finalised = finalise_open_warcs(tmp_path)
    assert finalised == [warc.final_path]
    assert warc.final_path.stat().st_size == complete_size
    assert [r[0] for r in responses(warc.final_path)] == [f"{BASE}p{i}/" for i in range(4)]


def test_open_warc_without_a_complete_record_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.gz.open"
    path.write_bytes(b"\x1f\x8b\x08\x00torn")
    assert finalise(path) is None
    assert list(tmp_path.iterdir()) == []
