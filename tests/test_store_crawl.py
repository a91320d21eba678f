"""Real crawls of the replica into ``s3://archive/blogs`` on a loopback S3 server
(moto): the same rows as on local disk, the WARC uploaded, a killed crawl that
breaks nothing, and a reader that never meets half an object."""

from __future__ import annotations

import contextlib
import io
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from tests.replica import expected_posts
from tests.support.crawl import FAST, REPO, SCRAPY, run_crawl
from tests.support.objectstore import S3Server, moto_server, store_env

pytestmark = pytest.mark.slow

README = (REPO / "README.md").read_text(encoding="utf-8")

BUCKET, PREFIX = "archive", "blogs"
STORE = f"s3://{BUCKET}/{PREFIX}"
#: Columns that differ between any two crawls of the same pages.
PER_CRAWL = {"crawl_id", "fetched_at", "first_seen_at"}


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    with moto_server() as server:
        yield server


@pytest.fixture
def s3(s3_server: S3Server) -> Iterator[S3Server]:
    """The module's server, emptied, with the bucket the crawls write to."""
    s3_server.reset()
    with store_env(s3_server):
        s3_server.create_bucket(BUCKET)
        yield s3_server


def _store_crawl(node: Path, base_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_crawl(STORE, "-s", f"ARCHIVE_LOCAL_DIR={node}", *args, base_url=base_url)  # type: ignore[arg-type]


def _objects(s3: S3Server, under: str = "") -> dict[str, int]:
    """Every object in the bucket under ``PREFIX/under``: key (below PREFIX) to size."""
    selector = pafs.FileSelector(
        f"{BUCKET}/{PREFIX}/{under}".rstrip("/"), recursive=True, allow_not_found=True
    )
    infos = s3.filesystem().get_file_info(selector)
    return {
        i.path.removeprefix(f"{BUCKET}/{PREFIX}/"): i.size or 0
        for i in infos
        if i.type == pafs.FileType.File
    }


def _rows(table_path: str, s3: S3Server | None) -> list[dict]:
    """The rows of a Parquet file in the bucket (or on local disk without ``s3``),
    without the columns that differ from crawl to crawl."""
    table = pq.read_table(table_path, filesystem=s3.filesystem() if s3 else None)
    return [{k: v for k, v in r.items() if k not in PER_CRAWL} for r in table.to_pylist()]


def _no_unfinished_object(s3: S3Server) -> None:
    keys = list(_objects(s3))
    assert [k for k in keys if k.endswith((".tmp", ".open")) or "/." in k] == []
    assert [k for k in keys if "httpcache" in k or k.endswith(".lock")] == []


def test_a_crawl_into_the_store_archives_what_a_local_crawl_does(
    s3: S3Server, replica, tmp_path: Path
) -> None:
    server = replica("classic")
    local = run_crawl(tmp_path / "local", base_url=server.base_url)
    assert local.returncode == 0, local.stderr
    result = _store_crawl(tmp_path / "node", server.base_url)
    assert result.returncode == 0, result.stderr

    stored = _rows(f"{BUCKET}/{PREFIX}/materna/posts.parquet", s3)
    truth = {p["url"] for p in expected_posts(server.base_url, server.config)}
    assert sorted(r["url"] for r in stored) == sorted(truth)
    on_disk = _rows(str(tmp_path / "local" / "materna" / "posts.parquet"), None)
    assert sorted(stored, key=lambda r: r["url"]) == sorted(on_disk, key=lambda r: r["url"])

    objects = _objects(s3, "materna")
    (warc,) = [k for k in objects if k.startswith("materna/warc/")]
    assert warc.endswith(".warc.gz")
    with s3.filesystem().open_input_stream(f"{BUCKET}/{PREFIX}/{warc}") as stream:
        uploaded = stream.read()
    assert uploaded == (tmp_path / "node" / warc).read_bytes() != b""
    assert "materna/crawls.parquet" in objects
    parts = {k for k in objects if k.startswith("materna/versions/")}
    local_parts = {
        f"materna/versions/{p.name}" for p in (tmp_path / "node" / "materna" / "versions").iterdir()
    }
    assert parts == local_parts
    assert len(parts) == 1  # one published object per crawl, no staged ones left
    assert [k for k in objects if "_staging" in k] == []
    assert (tmp_path / "node" / "materna" / "httpcache").is_dir()
    _no_unfinished_object(s3)


def test_a_fresh_node_continues_from_the_store(s3: S3Server, replica, tmp_path: Path) -> None:
    """A lost disk (or a new node): the next crawl pulls the archive and is incremental."""
    server = replica("classic")
    assert _store_crawl(tmp_path / "first", server.base_url).returncode == 0
    before = _objects(s3, "materna/versions")
    result = _store_crawl(tmp_path / "second", server.base_url)
    assert result.returncode == 0, result.stderr
    assert " 0 new, 0 changed" in result.stdout
    assert _objects(s3, "materna/versions") == before
    crawls = pq.read_table(f"{BUCKET}/{PREFIX}/materna/crawls.parquet", filesystem=s3.filesystem())
    assert crawls.num_rows == 2


def _start_store_crawl(node: Path, base_url: str) -> subprocess.Popen[bytes]:
    command = [SCRAPY, "crawl", "materna", "-a", f"base_url={base_url}", "-s"]
    command += [f"ARCHIVE_DIR={STORE}", "-s", f"ARCHIVE_LOCAL_DIR={node}", *FAST]
    command += ["-s", "ARCHIVE_STORE_PUSH_SECONDS=0.5"]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_objects(
    s3: S3Server, under: str, count: int, process: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(_objects(s3, under)) >= count:
            return
        time.sleep(0.1)
    pytest.fail(f"fewer than {count} objects under {under} before the crawl ended")


def test_a_killed_crawl_breaks_nothing_and_the_next_one_completes(
    s3: S3Server, replica, tmp_path: Path
) -> None:
    server = replica("classic", n_posts=600)
    node = tmp_path / "node"
    process = _start_store_crawl(node, server.base_url)
    _wait_for_objects(s3, "materna/versions", 3, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert "materna/posts.parquet" not in _objects(s3)
    for key in _objects(s3, "materna/versions"):
        pq.read_table(f"{BUCKET}/{PREFIX}/{key}", filesystem=s3.filesystem())

    result = _store_crawl(node, server.base_url)
    assert result.returncode == 0, result.stderr
    truth = {p["url"] for p in expected_posts(server.base_url, server.config)}
    stored = _rows(f"{BUCKET}/{PREFIX}/materna/posts.parquet", s3)
    assert sorted(r["url"] for r in stored) == sorted(truth)
    history = (
        pq.read_table(
            f"{BUCKET}/{PREFIX}/materna/versions", filesystem=s3.filesystem(), columns=["url"]
        )
        .column("url")
        .to_pylist()
    )
    assert sorted(history) == sorted(truth)  # every post once: nothing lost, nothing twice
    local_parts = {p.name for p in (node / "materna" / "versions").glob("*.parquet")}
    assert {k.rsplit("/", 1)[1] for k in _objects(s3, "materna/versions")} == local_parts
    assert len(local_parts) == 2  # the killed crawl's parts published as one file, too
    assert len(_objects(s3, "materna/warc")) == 2  # the killed crawl's WARC, finalised, too
    _no_unfinished_object(s3)


def test_a_fresh_node_publishes_what_a_lost_node_staged_in_the_store(
    s3: S3Server, replica, tmp_path: Path
) -> None:
    server = replica("classic", n_posts=600)
    process = _start_store_crawl(tmp_path / "lost", server.base_url)
    _wait_for_objects(s3, "materna/versions/_staging", 3, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    staged = [k for k in _objects(s3, "materna/versions") if "/_staging/" in k]
    (crawl_id,) = {k.split("/")[3] for k in staged}
    rows = sum(
        pq.read_metadata(f"{BUCKET}/{PREFIX}/{k}", filesystem=s3.filesystem()).num_rows
        for k in staged
    )

    result = _store_crawl(tmp_path / "fresh", server.base_url)
    assert result.returncode == 0, result.stderr
    versions = _objects(s3, "materna/versions")
    assert [k for k in versions if "_staging" in k] == []
    published = f"{BUCKET}/{PREFIX}/materna/versions/part-{crawl_id}.parquet"
    assert pq.read_metadata(published, filesystem=s3.filesystem()).num_rows == rows
    history = pq.read_table(
        f"{BUCKET}/{PREFIX}/materna/versions", filesystem=s3.filesystem(), columns=["url"]
    )
    truth = {p["url"] for p in expected_posts(server.base_url, server.config)}
    assert sorted(history.column("url").to_pylist()) == sorted(truth)


def test_a_reader_of_the_store_never_meets_half_an_object(
    s3: S3Server, replica, tmp_path: Path
) -> None:
    server = replica("classic", n_posts=400)
    process = _start_store_crawl(tmp_path / "node", server.base_url)
    read, failures = _read_while(process, s3)
    assert process.wait(timeout=600) == 0
    assert failures == []
    assert read > 5, "the reader read too few objects to mean anything"


def _read_while(process: subprocess.Popen[bytes], s3: S3Server) -> tuple[int, list[str]]:
    """Read every Parquet object listed in the store, over and over, until the crawl
    ends (and once more after); return how many reads succeeded and what failed."""
    filesystem, read, failures = s3.filesystem(), 0, []
    ended = False
    while not ended:
        ended = process.poll() is not None
        for key in _objects(s3, "materna"):
            if key.startswith("materna/warc/") and key.endswith(".warc.gz"):
                continue
            if not key.endswith(".parquet"):
                failures.append(f"{key}: not a finished object")
                continue
            try:
                pq.read_table(f"{BUCKET}/{PREFIX}/{key}", filesystem=filesystem)
                read += 1
            except (OSError, ValueError) as error:
                if "/_staging/" in key and key not in _objects(s3, "materna"):
                    continue  # a staged part deleted once its crawl's file was uploaded
                failures.append(f"{key}: {error}")
    return read, failures


def test_the_readme_reads_the_store_as_printed(s3: S3Server, replica, tmp_path: Path) -> None:
    server = replica("classic")
    assert _store_crawl(tmp_path / "node", server.base_url).returncode == 0
    (block,) = re.findall(r"```py\n(.*?)```", README, flags=re.DOTALL)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102
    posts = len(expected_posts(server.base_url, server.config))
    printed = output.getvalue()
    assert printed.startswith(f"{posts} ")
    assert f"[({posts}, {posts})]" in printed  # one crawl: one version per post
    assert "de" in printed


def test_a_missing_bucket_stops_the_crawl_before_its_first_request(
    s3: S3Server, replica, tmp_path: Path
) -> None:
    server = replica("classic")
    result = run_crawl(
        "s3://no-such-bucket/blogs",  # type: ignore[arg-type]
        "-s",
        f"ARCHIVE_LOCAL_DIR={tmp_path / 'node'}",
        base_url=server.base_url,
    )
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert (
        last
        == "error: cannot use the archive store s3://no-such-bucket/blogs: no bucket 'no-such-bucket'"
    )
    assert server.requests == []


def test_a_file_uri_store_gets_the_same_files_through_the_default_local_copy(
    replica, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``file://`` (a mounted filesystem); the local copy in ``$XDG_STATE_HOME``."""
    server = replica("classic")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    store = tmp_path / "mounted" / "blogs"
    result = run_crawl(store.as_uri(), base_url=server.base_url)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr
    local = tmp_path / "state" / "blog-archiver" / "file" / str(store).strip("/") / "materna"
    assert (local / "httpcache").is_dir()
    assert not (store / "materna" / "httpcache").exists()
    stored = {p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file()}
    kept = {
        p.relative_to(local.parent).as_posix()
        for p in local.rglob("*")
        if p.is_file() and "httpcache" not in p.parts and not p.name.startswith(".")
    }
    assert stored == kept
    truth = {p["url"] for p in expected_posts(server.base_url, server.config)}
    assert sorted(
        r["url"] for r in _rows(str(store / "materna" / "posts.parquet"), None)
    ) == sorted(truth)
