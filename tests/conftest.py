"""Shared fixtures: the replica blog served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.replica import ReplicaConfig, ReplicaServer


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
