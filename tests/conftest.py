"""Shared fixtures: the replica blog served on 127.0.0.1, and a real WordPress."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.replica import ReplicaConfig, ReplicaServer
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
