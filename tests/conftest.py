"""Shared fixtures: the replica blog served on 127.0.0.1, one crawl of it, a real
WordPress, and the synthetic archive the report tests read.

The suite runs on every core (``-n auto`` in pyproject.toml, pytest-xdist).  A session
fixture is built once per worker, so the tests that share a costly one carry the same
``xdist_group`` mark and run on one worker (``--dist loadgroup``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.archive_factory import SyntheticArchive, write_archive
from tests.replica import ReplicaConfig, ReplicaServer
from tests.support.crawl import ReplicaCrawl, run_crawl
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


@pytest.fixture(scope="session")
def replica_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaCrawl]:
    """One real crawl of the default replica (classic, edition 1), for the tests that only
    read its archive; a test that writes copies it first.  Its server is never changed.
    Tests using it carry ``xdist_group("replica-crawl")``, so one worker crawls."""
    server = ReplicaServer(ReplicaConfig(theme="classic")).start()
    archive_dir = tmp_path_factory.mktemp("replica-crawl")
    result = run_crawl(archive_dir, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    yield ReplicaCrawl(server, archive_dir)
    server.stop()


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


@pytest.fixture(scope="session")
def report_archive(tmp_path_factory: pytest.TempPathFactory) -> SyntheticArchive:
    """The 400-post archive (with history and crawls) that the report's tests recompute
    numbers from: built once for the session, since none of them writes to it.  Tests
    using it carry ``xdist_group("report-archive")``, so one worker builds it."""
    return write_archive(tmp_path_factory.mktemp("report-archive") / "materna", posts=400, seed=7)


@pytest.fixture(scope="session")
def report_html(report_archive: SyntheticArchive) -> str:
    """The report of :func:`report_archive`, built once: its build is what costs."""
    from pipelines.report import build_report

    return build_report(report_archive.site_dir, "materna")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end tests first, the rest in their order: on several workers the long tests
    start early and the quick ones fill the gaps, so no worker runs a long one alone at
    the end while the others idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
