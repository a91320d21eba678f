"""The fleet on plain data: the fleet file, pinning, due blogs and each blog's status;
and what Scrapyd needs of a crawl (its options, profiles from a zip, the cache's place)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from scrapy.settings import Settings

from crawler.archive_dir import archive_root, fleet_report_folder
from crawler.arguments import parse_arguments
from crawler.fleet.blogs import Blog, FleetFileError, parse_fleet
from crawler.fleet.fleet import Fleet
from crawler.fleet.nodes import Job, job_id, parse_job_id
from crawler.fleet.pinning import pinned_node
from crawler.fleet.status import blog_status, last_attempt
from crawler.httpcache import SiteCacheStorage
from pipelines.archive.layout import ArchiveUnusable
from pipelines.archive.store import StoreUnusable
from pipelines.report import build_fleet_report
from tests.archive_factory import write_archive
from tests.support.crawl import REPO, SCRAPY
from tests.support.scrapyd import free_port

GOOD = """
[[blog]]
name = "materna"
base_url = "https://blog.materna.de/"

[[blog]]
name = "example_2"
base_url = "https://blog.example.com/news/"
schedule = "weekly"
profile = "default"
"""


def test_a_good_fleet_file() -> None:
    assert parse_fleet(GOOD) == [
        Blog("materna", "https://blog.materna.de/", "nightly", "materna"),
        Blog("example_2", "https://blog.example.com/news/", "weekly", "default"),
    ]


SATURDAY_LATE = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
SUNDAY = datetime(2026, 11, 29, 3, 17, tzinfo=UTC)
#: Sunday 00:30 in Berlin is still Saturday in UTC, the fleet's clock (its job ids' too)
SUNDAY_IN_BERLIN = datetime(2026, 11, 29, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("schedule", "full_crawl", "full_at"),
    [
        ("nightly", "", [False, True, False]),
        ("weekly", "", [True, True, True]),
        ("nightly", "never", [False, False, False]),
        ("weekly", "never", [False, False, False]),
        ("nightly", "saturday", [True, False, True]),
        ("nightly", "always", [True, True, True]),
    ],
)
def test_which_jobs_crawl_in_full(schedule: str, full_crawl: str, full_at: list[bool]) -> None:
    blog = Blog("a", "https://a.example/", schedule, "default", full_crawl)
    times = (SATURDAY_LATE, SUNDAY, SUNDAY_IN_BERLIN)
    assert [blog.is_full_crawl(at) for at in times] == full_at
    args = [blog.crawl_args(at) for at in times]
    assert [a.get("full") == "true" for a in args] == full_at
    assert all(a["site"] == "a" and a["base_url"] == "https://a.example/" for a in args)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[blog]]\nname = ", "fleet.toml: not TOML"),
        ("", "fleet.toml: no blogs"),
        ('[blogs]\nx = 1', "fleet.toml: unknown table 'blogs'"),
        ('[[blog]]\nname = "a"', "fleet.toml: blog 1: base_url is missing"),
        ('[[blog]]\nbase_url = "https://a.example/"', "fleet.toml: blog 1: name is missing"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nurl = "x"', "fleet.toml: blog 1: unknown key 'url'"),
        ('[[blog]]\nname = "../a"\nbase_url = "https://a.example/"', "fleet.toml: blog 1 (../a): bad site name '../a'"),
        ('[[blog]]\nname = "a"\nbase_url = "ftp://a.example/"', "fleet.toml: blog 1 (a): base_url 'ftp://a.example/' is not an http(s) URL"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nschedule = "hourly"', "fleet.toml: blog 1 (a): schedule 'hourly': use nightly or weekly"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nprofile = "materna"', "fleet.toml: blog 1 (a): profile 'materna': a blog's profile is 'default' or its own name"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nprofile = "a"', "fleet.toml: blog 1 (a): no site profile 'a'"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nschedule = 1', "fleet.toml: blog 1: every value is a string"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nfull_crawl = "sonntag"', "fleet.toml: blog 1 (a): full_crawl 'sonntag': use a weekday (monday … sunday), always or never"),
        ('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\n[[blog]]\nname = "a"\nbase_url = "https://b.example/"', "fleet.toml: blog 'a' is listed twice"),
    ],
)  # fmt: skip
def test_a_bad_fleet_file_is_one_line(text: str, message: str) -> None:
    with pytest.raises(FleetFileError) as error:
        parse_fleet(text)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_fleet_command_says_a_bad_file_in_one_line_and_exits_2(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet.toml"
    fleet.write_text('[[blog]]\nname = "a"\nbase_url = "https://a.example/"\nschedule = "daily"\n')
    result = subprocess.run(
        [SCRAPY, "fleet", "status", "-s", f"FLEET_FILE={fleet}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {fleet}: blog 1 (a): schedule 'daily': use nightly or weekly"
    ]


NODES = [f"http://10.0.0.{n}:6800" for n in range(1, 5)]
BLOGS = [f"blog{n}" for n in range(400)]


def test_each_blog_is_pinned_to_one_node_and_the_nodes_share_them() -> None:
    pins = {blog: pinned_node(blog, NODES) for blog in BLOGS}
    assert pins == {blog: pinned_node(blog, list(reversed(NODES))) for blog in BLOGS}
    counts = [list(pins.values()).count(node) for node in NODES]
    assert min(counts) > len(BLOGS) / len(NODES) / 2, counts


def test_a_new_node_takes_blogs_only_for_itself() -> None:
    before = {blog: pinned_node(blog, NODES) for blog in BLOGS}
    new = "http://10.0.0.9:6800"
    after = {blog: pinned_node(blog, [*NODES, new]) for blog in BLOGS}
    moved = {blog for blog in BLOGS if before[blog] != after[blog]}
    assert moved
    assert {after[blog] for blog in moved} == {new}
    assert len(moved) < len(BLOGS) / 3
    assert pinned_node("blog1", [*NODES, new + "/"]) == after["blog1"]


def test_job_ids_carry_the_blog_and_the_time_it_was_scheduled() -> None:
    at = datetime(2026, 11, 28, 3, 17, 5, tzinfo=UTC)
    assert job_id("materna", at) == "materna.20261128T031705Z"
    assert parse_job_id("materna.20261128T031705Z") == ("materna", at)
    assert parse_job_id("6487ec79947edab326d6db28a2d86511") is None
    assert parse_job_id("a.b.20261128T031705Z") == ("a.b", at)


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NIGHTLY = Blog("b", "https://b.example/")
WEEKLY = Blog("b", "https://b.example/", "weekly")


def _job(hours_ago: float, state: str = "finished") -> Job:
    return Job(
        "http://n1:6800", "b.x", "b", NOW - timedelta(hours=hours_ago), state, "/logs/b.x.log"
    )


def _row(
    hours_ago: float, status: int = 0, reason: str | None = None, job: str | None = None
) -> dict:
    started = NOW - timedelta(hours=hours_ago)
    return {
        "crawl_id": f"c{hours_ago:g}",
        "started_at": started,
        "finished_at": started + timedelta(minutes=5),
        "exit_status": status,
        "unhealthy_reason": reason,
        "finish_reason": "finished" if status == 0 else "shutdown",
        "job": job,
    }


@pytest.mark.parametrize(
    ("blog", "jobs", "rows", "failed", "overdue", "says"),
    [
        (NIGHTLY, [], [], False, True, "never crawled"),
        (NIGHTLY, [], [_row(30)], False, False, "last crawl c30"),
        (NIGHTLY, [], [_row(40)], False, True, "last healthy crawl 40 h ago (nightly: at most 36 h)"),
        (WEEKLY, [], [_row(40)], False, False, "healthy"),
        (WEEKLY, [], [_row(200)], False, True, "(weekly: at most 192 h)"),
        (NIGHTLY, [_job(2)], [_row(30), _row(1.9)], False, False, "last crawl c1.9 (job b.x on http://n1:6800"),
        (NIGHTLY, [_job(2)], [_row(30), _row(1.9, 1, "the crawl stopped early (shutdown)")], True, False, "exit 1: the crawl stopped early (shutdown)"),
        # a finished job with no row of its own: killed, whatever older rows say
        (NIGHTLY, [_job(2)], [_row(30)], True, False, "ended without a crawl log row"),
        # the row after a later job belongs to that one
        (NIGHTLY, [_job(3), _job(1, "running")], [_row(30), _row(0.5)], True, False, "job b.x running"),
        (NIGHTLY, [_job(1, "pending")], [_row(3)], False, False, "job b.x pending on http://n1:6800"),
        # a row naming the job is its row, even when the node's clock is behind
        (NIGHTLY, [_job(2)], [_row(30), _row(2.1, job="b.x")], False, False, "last crawl c2.1 (job b.x on"),
        (NIGHTLY, [_job(2)], [_row(2.1, job="b.x"), _row(1.9)], False, False, "last crawl c2.1 (job b.x on"),
        (NIGHTLY, [_job(2)], [_row(1.9, 1, "no posts", job="b.x"), _row(1.8)], True, False, "c1.9 (job b.x on http://n1:6800, finished"),
        # a row naming another job is not this job's, whatever its time
        (NIGHTLY, [_job(2)], [_row(30), _row(1.9, job="b.y")], True, False, "ended without a crawl log row"),
    ],
)  # fmt: skip
def test_a_blogs_status(  # noqa: PLR0917 - one parameter per column of the table
    blog: Blog, jobs: list[Job], rows: list[dict], failed: bool, overdue: bool, says: str
) -> None:
    status = blog_status(blog, "http://n1:6800", jobs, rows, NOW)
    assert (status.failed, status.overdue) == (failed, overdue)
    assert says in status.line(NOW)


def test_the_last_attempt_is_the_later_of_job_and_crawl() -> None:
    assert last_attempt("b", [], []) is None
    assert last_attempt("b", [_job(5)], [_row(8)]) == NOW - timedelta(hours=5)
    assert last_attempt("b", [_job(9)], [_row(8)]) == NOW - timedelta(hours=8)
    other = Job("http://n1:6800", "c.x", "c", NOW, "finished")
    assert last_attempt("b", [other], []) is None


def test_scrapyds_own_options_are_accepted_and_the_job_kept() -> None:
    args = {
        "site": "b",
        "base_url": "https://b.example/",
        "_job": "b.20261128T031705Z",
        "_version": "3",
    }
    parsed = parse_arguments("wordpress", ("base_url", "site", "full"), None, args)
    assert parsed.job == "b.20261128T031705Z"
    assert parse_arguments("materna", ("base_url", "full"), "materna", {}).job == ""


def test_profiles_are_read_from_a_zipped_package(tmp_path: Path) -> None:
    egg = tmp_path / "project.egg"
    with zipfile.ZipFile(egg, "w") as archive:
        for path in (REPO / "pipelines").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(REPO))
    code = (
        "import pipelines.profile as p; print(p.__file__);"
        " print(p.load_profile('materna').base_url, p.profile_names())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(egg), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported_from, profile = result.stdout.splitlines()
    assert imported_from.startswith(str(egg))
    assert profile == "https://blog.materna.de/ ['default', 'materna']"


def test_the_http_cache_needs_no_scrapy_cfg(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no scrapy.cfg here or above, as under Scrapyd
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    storage = SiteCacheStorage(Settings({"ARCHIVE_DIR": "archive", "HTTPCACHE_GZIP": True}))
    assert storage.archive_dir == tmp_path / "archive"
    assert not (tmp_path / ".scrapy").exists()


def test_an_archive_uri_pyarrow_cannot_open_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    uri = "ftp://example.invalid/archive"
    result = subprocess.run(
        [SCRAPY, "crawl", "materna", "-s", f"ARCHIVE_DIR={uri}"],
        cwd=tmp_path,
        env={"SCRAPY_SETTINGS_MODULE": "crawler.settings", "PATH": "", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: cannot use the archive store {uri}: Unrecognized filesystem type in URI: {uri}"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("uri", ["s3://bucket/prefix", "file:///tmp/archive"])
def test_commands_that_read_a_folder_refuse_an_archive_uri(uri: str) -> None:
    with pytest.raises(
        ArchiveUnusable, match="only scrapy crawl, scrapy compact, scrapy fleet and scrapy report"
    ):
        archive_root(uri)


def test_the_fleet_report_of_a_store_is_the_report_of_the_same_folder(tmp_path: Path) -> None:
    """``file://`` stands for any store: the copy holds what the report reads."""
    folder = tmp_path / "store" / "blogs"
    write_archive(folder / "materna", posts=30, seed=3)
    write_archive(folder / "other", posts=20, seed=4, with_history=False)
    write_archive(folder / "new", posts=0, with_history=False)  # a crawl log, no posts yet
    (folder / "no-blog").mkdir()  # not a blog's folder: counted by neither
    with fleet_report_folder(folder.as_uri()) as copy:
        assert copy != folder
        assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*.parquet")) == [
            "materna/posts.parquet",
            "new/posts.parquet",
            "other/posts.parquet",
        ]
        from_store = build_fleet_report(copy)
    assert not copy.exists()
    assert from_store == build_fleet_report(folder)
    assert "Archive report: 3 blogs" in from_store


def _fleet(tmp_path: Path, archive: str) -> Fleet:
    """A fleet of one blog, ``materna``, with ``ARCHIVE_DIR=archive`` and a node that
    does not answer (so the crawl log alone speaks)."""
    fleet = tmp_path / "fleet.toml"
    fleet.write_text('[[blog]]\nname = "materna"\nbase_url = "https://blog.materna.de/"\n')
    node = f"http://127.0.0.1:{free_port()}"
    settings = {"FLEET_FILE": str(fleet), "FLEET_NODES": node, "ARCHIVE_DIR": archive}
    return Fleet.from_settings(Settings(settings))


def test_fleet_status_reads_the_crawl_logs_from_a_store_as_from_a_folder(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "store" / "blogs" / "materna", posts=3, with_history=False)
    assert archive.crawls is not None
    last = archive.crawls.to_pylist()[-1]
    store = _fleet(tmp_path, (tmp_path / "store" / "blogs").as_uri())
    assert store.logs.archive == (tmp_path / "store" / "blogs").as_uri()  # what the jobs get
    store.check_archive()
    lines, well = store.status(NOW)
    assert not well
    assert lines[0].startswith("error: Scrapyd at http://127.0.0.1:")
    assert lines[1].startswith(f"materna: OVERDUE; last crawl {last['crawl_id']} (finished ")
    assert f"{last['finished_at']:%Y-%m-%d %H:%M} UTC) healthy" in lines[1]
    folder = _fleet(tmp_path, str(tmp_path / "store" / "blogs"))
    assert folder.status(NOW)[0][1:] == lines[1:]


def test_the_jobs_get_a_folder_made_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _fleet(tmp_path, "data").logs.archive == str(tmp_path / "data")


def test_an_archive_uri_pyarrow_cannot_open_is_refused_by_the_fleet(tmp_path: Path) -> None:
    uri = "ftp://example.invalid/archive"
    with pytest.raises(StoreUnusable) as error:
        _fleet(tmp_path, uri)
    assert str(error.value) == (
        f"cannot use the archive store {uri}: Unrecognized filesystem type in URI: {uri}"
    )


@pytest.mark.slow  # pyarrow retries a refused connection for about 6 s
def test_fleet_status_says_a_store_it_cannot_reach_in_one_line_and_exits_2(
    tmp_path: Path,
) -> None:
    fleet = tmp_path / "fleet.toml"
    fleet.write_text('[[blog]]\nname = "materna"\nbase_url = "https://blog.materna.de/"\n')
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    uri = "s3://archive/blogs"
    result = subprocess.run(
        [SCRAPY, "fleet", "status", "-s", f"FLEET_FILE={fleet}", "-s", f"ARCHIVE_DIR={uri}"],
        cwd=REPO,
        env={
            **os.environ,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot use the archive store {uri}: ")
    assert "Could not connect to server" in line
    assert result.stdout == ""
