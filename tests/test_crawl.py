"""End to end: the real ``scrapy crawl`` against the replica blog, checked field by field."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.replica import expected_non_posts, expected_posts
from tests.support.crawl import SCRAPY, read_posts, run_crawl
from tests.support.truth import mismatches

#: end to end: real crawls, servers or processes (the quick loop leaves them out)
pytestmark = pytest.mark.slow

SOURCES = ("wp-sitemap", "yoast-sitemap", "robots-sitemaps", "feed", "rest", "archives")


@pytest.mark.parametrize("processes", ["1", "0"], ids=["worker", "in-process"])
def test_materna_crawl_archives_every_post_once_with_every_field_right(
    replica, tmp_path: Path, processes: str
) -> None:
    server = replica("classic")
    state = tmp_path / "state"  # where Scrapy's remote control would leave its job file
    result = run_crawl(
        tmp_path,
        "-s", f"EXTRACT_PROCESSES={processes}",
        base_url=server.base_url,
        env={"XDG_STATE_HOME": str(state)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not state.exists(), "the crawl wrote outside its archive"
    rows = read_posts(tmp_path)
    expected = expected_posts(server.base_url, server.config)
    assert mismatches(rows, expected) == []
    assert len({r["url"] for r in rows}) == len(rows) == len(expected) >= 40
    assert not {r["url"] for r in rows} & set(expected_non_posts(server.base_url, server.config))
    assert "posts fetched" in result.stdout
    assert result.stderr == ""  # a healthy crawl is quiet: cron mails whatever it prints there


def test_the_archive_files_are_what_the_readme_promises(replica_crawl: Path) -> None:
    site = replica_crawl / "materna"
    posts = pq.ParquetFile(site / "posts.parquet")
    assert posts.metadata.row_group(0).column(0).compression == "ZSTD"
    versions = pq.read_table(site / "versions").num_rows
    assert versions == posts.metadata.num_rows
    (warc,) = (site / "warc").glob("*.warc.gz")
    with warc.open("rb") as stream:
        uris = {
            r.rec_headers.get_header("WARC-Target-URI")
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        }
    assert uris == {r["url"] for r in read_posts(replica_crawl)}


@pytest.mark.parametrize("theme", ["classic", "block", "builder", "jsonld"])
def test_wordpress_spider_gets_every_field_right_on_every_theme(
    replica, tmp_path: Path, theme: str
) -> None:
    server = replica(theme)
    result = run_crawl(
        tmp_path, "-a", f"site={theme}", spider="wordpress", base_url=server.base_url
    )
    assert result.returncode == 0, result.stderr
    expected = expected_posts(server.base_url, server.config)
    assert mismatches(read_posts(tmp_path, site=theme), expected) == []


@pytest.mark.parametrize("off", [*[(s,) for s in SOURCES], SOURCES], ids=[*SOURCES, "all"])
def test_every_post_is_found_with_discovery_sources_off(
    replica, tmp_path: Path, off: tuple[str, ...]
) -> None:
    server = replica("classic", sources_off=set(off))
    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert mismatches(read_posts(tmp_path), expected_posts(server.base_url, server.config)) == []


ARCHIVE_PREFIXES = ("/category/", "/tag/", "/author/", "/2017/", "/2018/", "/2019/")


def _archive_requests(server) -> list[str]:  # type: ignore[no-untyped-def]
    return [path for _, path, _ in server.requests if path.startswith(ARCHIVE_PREFIXES)]


def test_a_full_crawl_reads_no_archives_when_an_index_lists_the_posts(
    replica, tmp_path: Path
) -> None:
    server = replica("classic")
    assert run_crawl(tmp_path, base_url=server.base_url).returncode == 0
    # an author archive may be read once, for a bio the REST API did not give
    bios = [p for p in _archive_requests(server) if p.startswith("/author/") and p.count("/") == 3]
    assert sorted(set(bios)) == sorted(bios)
    assert [p for p in _archive_requests(server) if p not in bios] == []
    assert [path for _, path, _ in server.requests if "/page/" in path] == []


def test_a_full_crawl_reads_the_archives_when_no_index_answers(replica, tmp_path: Path) -> None:
    server = replica("classic", sources_off={"wp-sitemap", "yoast-sitemap", "rest"})
    assert run_crawl(tmp_path, base_url=server.base_url).returncode == 0
    archives = _archive_requests(server)
    assert any(p.startswith("/category/") for p in archives)
    assert any(p.startswith("/tag/") for p in archives)
    assert "/page/2/" in {path for _, path, _ in server.requests}


def test_with_a_sitemap_but_no_rest_api_the_home_listing_is_read_and_archives_are_not(
    replica, tmp_path: Path
) -> None:
    server = replica("classic", sources_off={"rest"})
    assert run_crawl(tmp_path, base_url=server.base_url).returncode == 0
    assert "/page/2/" in {path for _, path, _ in server.requests}
    assert not any(p.startswith(("/category/", "/tag/")) for p in _archive_requests(server))
    assert mismatches(read_posts(tmp_path), expected_posts(server.base_url, server.config)) == []


def test_gzipped_yoast_sitemaps_are_an_index(replica, tmp_path: Path) -> None:
    """robots.txt names ``sitemap_index.xml.gz``, whose children are ``.xml.gz`` too; with
    no other index, reading them is what keeps the crawl off the taxonomy archives."""
    off = {"wp-sitemap", "rest", "feed"}
    server = replica("classic", sources_off=off, gzip_sitemaps=True)
    result = run_crawl(tmp_path, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    paths = {path for _, path, _ in server.requests}
    assert {"/sitemap_index.xml.gz", "/post-sitemap.xml.gz"} <= paths
    assert not any(p.startswith(("/category/", "/tag/")) for p in _archive_requests(server))
    assert mismatches(read_posts(tmp_path), expected_posts(server.base_url, server.config)) == []


def test_posts_named_by_an_index_reach_the_scheduler_one_batch_at_a_time(
    replica, tmp_path: Path
) -> None:
    server = replica("classic", sources_off={"feed", "archives"})
    result = run_crawl(tmp_path, "-s", "DISCOVERY_BATCH=1", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert mismatches(read_posts(tmp_path), expected_posts(server.base_url, server.config)) == []


def _tree_digest(root: Path) -> dict[str, str]:
    """Every archived file's hash; the lock, the crawl log (which records failed
    runs too) and the HTTP cache of discovery documents are not archive data."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in (".lock", "crawls.parquet") and "httpcache" not in p.parts
    }


@pytest.fixture(scope="module")
def archived(replica_crawl: Path, tmp_path_factory) -> Path:
    """An archive from one good crawl (a copy of the session's), to prove failed runs
    leave it untouched."""
    root = tmp_path_factory.mktemp("archive") / "archive"
    shutil.copytree(replica_crawl, root)
    return root


@pytest.fixture(scope="module")
def not_a_blog(tmp_path_factory) -> Iterator[str]:
    """An HTTP server with one ordinary page and nothing WordPress about it."""
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text("<html><body><h1>Willkommen</h1><p>Hallo.</p></body></html>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["-a", "colour=blue"], 2, "error: unknown option -a colour"),
        (["-a", "base_url=not a url"], 2, "error: base_url 'not a url' is not an http(s) URL"),
        (["-a", "base_url=ftp://example.org/"], 2, "is not an http(s) URL"),
        (["-a", "base_url=http://127.0.0.1:9/"], 1, "error: cannot reach http://127.0.0.1:9/"),
    ],
    ids=["unknown-option", "malformed", "not-http", "unreachable"],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    archived: Path, args: list[str], status: int, message: str
) -> None:
    before = _tree_digest(archived)
    result = run_crawl(archived, *args)
    assert result.returncode == status
    last = result.stderr.strip().splitlines()[-1]
    assert message in last
    assert "Traceback" not in result.stderr
    assert _tree_digest(archived) == before


def test_a_site_that_is_no_blog_fails_and_leaves_the_archive_alone(
    archived: Path, not_a_blog: str
) -> None:
    before = _tree_digest(archived)
    result = run_crawl(archived, base_url=not_a_blog)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(f"error: no blog posts found at {not_a_blog}")
    )
    assert _tree_digest(archived) == before


def test_an_unknown_spider_is_one_line(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, spider="nosuch")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: Spider not found: nosuch (spiders: materna, wordpress)"


def test_crawl_outside_the_repository_says_where_to_run_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [SCRAPY, "crawl", "materna"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"error: no scrapy.cfg in {tmp_path} or above: run `scrapy crawl` from the"
        " blog-archiver directory, the one with scrapy.cfg"
    )
