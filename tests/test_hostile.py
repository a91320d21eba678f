"""Hostile content: the crawl stays on the blog, refuses XML and gzip bombs, stores
no active markup and never builds a file path from URL text.

Crawl-level tests run the real ``scrapy crawl`` against the replica with a
hostile mode on (``tests/replica/faults.py``); "another host" is a second
local server that records every request it gets.
"""

from __future__ import annotations

import http.server
import re
import resource
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.replica import ReplicaServer, expected_posts, faults
from tests.replica.site import site_for
from tests.support.crawl import read_posts, run_crawl

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

#: Peak RSS allowed for a crawl process (a normal one peaks near 200 MB; one
#: billion "lol"s or an inflated gigabyte would not fit).
MAX_RSS_BYTES = 600 * 1024 * 1024
UNSAFE = re.compile(
    r"<script|<style|<iframe|<svg|\son\w+\s*=|javascript:|pwned|alert\(", re.IGNORECASE
)


class OtherHost:
    """A local server standing for any other host; it records what reaches it."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        recorder = self.paths

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.append(self.path)
                body = b'<html><body><a href="/noch-weiter/">weiter</a></body></html>'
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])


@pytest.fixture
def other_host() -> Iterator[OtherHost]:
    server = OtherHost()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def crawl(server: ReplicaServer, archive: Path, *args: str) -> Any:
    return run_crawl(archive, "-s", "LOG_LEVEL=INFO", *args, base_url=server.base_url)


def urls(server: ReplicaServer) -> set[str]:
    return {row["url"] for row in expected_posts(server.base_url, server.config)}


def stat(result: Any, key: str) -> int:
    found = re.search(rf"'{re.escape(key)}': (\d+)", result.stderr)
    return int(found.group(1)) if found else 0


def peak_child_rss() -> int:
    """The largest peak RSS of any finished child process, in bytes (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def asked(server: ReplicaServer, path: str) -> bool:
    return any(entry.path == path for entry in faults.log(server.config))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"], ids=["other-port", "other-name"])
def test_the_crawl_never_leaves_the_blogs_host(
    replica: Callable[..., ReplicaServer], other_host: OtherHost, tmp_path: Path, host: str
) -> None:
    other = f"http://{host}:{other_host.port}"
    server = replica("classic", faults={f"offsite={other}"})
    result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert other_host.paths == []
    assert asked(server, "/weiterleitung/")  # the on-site URL redirecting away was tried
    assert {row["url"] for row in read_posts(tmp_path)} == urls(server)


def test_xml_bombs_and_external_entities_are_refused(
    replica: Callable[..., ReplicaServer], other_host: OtherHost, tmp_path: Path
) -> None:
    server = replica("classic", faults={f"xml-bomb=http://127.0.0.1:{other_host.port}"})
    result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert all(asked(server, p) for p in ("/wp-sitemap.xml", "/sitemap_index.xml", "/feed/"))
    assert other_host.paths == []
    assert "root:" not in result.stderr
    assert {row["url"] for row in read_posts(tmp_path)} == urls(server)
    assert peak_child_rss() < MAX_RSS_BYTES


def test_a_decompression_bomb_is_stopped_and_the_crawl_goes_on(
    replica: Callable[..., ReplicaServer], tmp_path: Path
) -> None:
    # Made before the crawl asks; smaller than DOWNLOAD_MAXSIZE until inflated.
    assert len(faults.gzip_bomb()) < 8 * 1024 * 1024
    server = replica("classic", faults={"gzip-bomb"})
    result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert asked(server, "/bombe/")
    # DOWNLOAD_MAXSIZE (8 MB) applies to the inflated size: the bomb is dropped, counted.
    assert stat(result, "crawl/skipped/too_large") == 1
    assert {row["url"] for row in read_posts(tmp_path)} == urls(server)
    assert peak_child_rss() < MAX_RSS_BYTES


def test_stored_body_html_has_no_script_style_handler_or_javascript_url(
    replica: Callable[..., ReplicaServer], tmp_path: Path
) -> None:
    server = replica("classic", faults={"hostile-body"})
    result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {row["url"]: row for row in read_posts(tmp_path)}
    hostile = rows[server.base_url + faults.hostile_post(site_for(1, None)).path]
    assert "Klicktext" in hostile["body_html"]  # the hostile markup did reach the archive
    assert "Link eins" in hostile["body_html"]
    assert [url for url, row in rows.items() if UNSAFE.search(row["body_html"] or "")] == []
    assert "pwned" not in hostile["body_text"]


def test_no_file_path_is_built_from_url_text(
    replica: Callable[..., ReplicaServer], tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    server = replica("classic", faults={"evil-paths"})
    result = crawl(server, archive)
    assert result.returncode == 0, result.stderr[-3000:]
    assert any("x" * 240 in entry.path for entry in faults.log(server.config))
    assert any("passwd" in entry.path for entry in faults.log(server.config))
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written
    assert all(p.is_relative_to(archive / "materna") for p in written), written
    for path in written:
        name = str(path.relative_to(archive))
        assert not re.search(r"passwd|etc|xxxxxxxx|%2|\.\.", name), name
        assert len(path.name) < 100, name


def test_a_site_name_that_climbs_out_of_the_archive_is_refused(
    replica: Callable[..., ReplicaServer], tmp_path: Path
) -> None:
    server = replica("classic")
    archive = tmp_path / "a" / "b"
    result = run_crawl(archive, "-a", "site=../../x", spider="wordpress", base_url=server.base_url)
    assert result.returncode == 2
    assert "bad site name" in result.stderr.strip().splitlines()[-1]
    assert list(tmp_path.rglob("*")) == []
    assert server.requests == []
