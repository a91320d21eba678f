"""Shared fixtures: the replica blog served on 127.0.0.1, one crawl of it, a real
WordPress, and the synthetic archive the report tests read.

The suite runs on every core (pytest-xdist, configured in pyproject.toml), a module per
worker at a time, so a module's fixtures are built once.  A session fixture would be
built once per worker: the costly ones that several modules read are built once for the
whole run instead (:func:`_built_once`)."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.archive_factory import SyntheticArchive, write_archive
from tests.replica import ReplicaConfig, ReplicaServer
from tests.support.crawl import run_crawl
from tests.wordpress import WordPress, missing


def _replica_factory() -> Iterator[Callable[..., ReplicaServer]]:
    servers: list[ReplicaServer] = []

    def start(theme: str = "classic", **fields: Any) -> ReplicaServer:
        server = ReplicaServer(ReplicaConfig(theme=theme, **fields)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def replica() -> Iterator[Callable[..., ReplicaServer]]:
    """Factory: ``replica(theme="classic", **ReplicaConfig fields)`` returns a
    started :class:`ReplicaServer`; every server started is stopped at teardown."""
    yield from _replica_factory()


@pytest.fixture(scope="module")
def replica_module() -> Iterator[Callable[..., ReplicaServer]]:
    """The same factory, for module-scoped fixtures (one server shared by a module)."""
    yield from _replica_factory()


def _built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """``build(path)`` once for the whole run: the first worker to ask builds, the others
    wait for it (a file lock) and get the same path, in the temp folder they share."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's basetemp is a folder of the run's
    path, done = shared / name, shared / f"{name}.done"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(path, ignore_errors=True)  # a build that failed half way
            build(path)
            done.touch()
    return path


def _crawl_the_replica(archive_dir: Path) -> None:
    with ReplicaServer(ReplicaConfig(theme="classic")) as server:
        result = run_crawl(archive_dir, base_url=server.base_url)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def replica_crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``ARCHIVE_DIR`` of one real crawl of the default replica (classic, edition 1),
    for the tests that only read an archive (a test that writes copies it first); built
    once for the run.  Its server is stopped: no test of it needs the site."""
    return _built_once(tmp_path_factory, "replica-crawl", _crawl_the_replica)


@pytest.fixture
def replica_classic(replica: Callable[..., ReplicaServer]) -> ReplicaServer:
    """The default replica: classic theme at ``/``, edition 1."""
    return replica()


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPress]:
    """The session's real WordPress (Debian's packages): one MariaDB, each site installed
    on first use and kept for the session.  Skips with what to install on a machine
    without the packages; fails under ``CI=true``, where ``.ci/run`` installs them."""
    why = missing()
    if why:
        message = f"real WordPress: {why}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    site = WordPress(tmp_path_factory.mktemp("wordpress")).start()
    yield site
    site.stop()


REPORT_ARCHIVE = {"posts": 400, "seed": 7}


@pytest.fixture(scope="session")
def report_archive(tmp_path_factory: pytest.TempPathFactory) -> SyntheticArchive:
    """The 400-post archive (with history and crawls) that the report's tests recompute
    numbers from, shared since none of them writes to it (writing it takes 0.1 s)."""
    site_dir = tmp_path_factory.mktemp("report-archive") / "materna"
    return write_archive(site_dir, **REPORT_ARCHIVE)


def _write_report_of_the_archive(folder: Path) -> None:
    from pipelines.report import build_report

    archive = write_archive(folder / "materna", **REPORT_ARCHIVE)
    html = build_report(archive.site_dir, "materna")
    (folder / "report.html").write_text(html, encoding="utf-8")


@pytest.fixture(scope="session")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report of :func:`report_archive`'s archive (``write_archive`` is the same for
    the same seed), built once for the run: the build is what costs (about 10 s)."""
    folder = _built_once(tmp_path_factory, "report-archive", _write_report_of_the_archive)
    return (folder / "report.html").read_text(encoding="utf-8")


#: The end-to-end modules that take longest, longest first (about 130 down to 65 s on one
#: worker of a 2-core machine, from ``--durations=0``).  A rough order is enough: it only
#: decides when each starts.
LONGEST_MODULES = (
    "test_crawl.py",
    "test_faults.py",
    "test_wordpress.py",
    "test_store_crawl.py",
    "test_fleet_scrapyd.py",
    "test_interrupt.py",
    "test_compaction.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest end-to-end modules first, then the other end-to-end ones, then the
    rest, each in its order: on several workers the long ones start early and the quick
    ones fill the gaps, so no worker runs a long one alone at the end while the others
    idle."""

    def start_order(item: pytest.Item) -> tuple[bool, int]:
        module = item.path.name
        rank = LONGEST_MODULES.index(module) if module in LONGEST_MODULES else len(LONGEST_MODULES)
        return item.get_closest_marker("slow") is None, rank

    items.sort(key=start_order)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the cores this process may use.  The end-to-end
    tests spend part of their time waiting (for servers, signals, retry pauses), and the
    extra worker fills those waits."""
    return len(os.sched_getaffinity(0)) + 1
