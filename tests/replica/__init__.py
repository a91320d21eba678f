"""A local replica of the Materna blog (WordPress 6) with its ground truth.

Usage::

    from tests.replica import ReplicaConfig, ReplicaServer, expected_posts
    with ReplicaServer(ReplicaConfig(theme="classic")) as server:
        truth = expected_posts(server.base_url, server.config)

``python -m tests.replica --port 0`` serves it for humans and benchmarks.
"""

from __future__ import annotations

from tests.replica.config import ReplicaConfig
from tests.replica.server import ReplicaServer
from tests.replica.truth import expected_non_posts, expected_posts

__all__ = ["ReplicaConfig", "ReplicaServer", "expected_non_posts", "expected_posts"]
