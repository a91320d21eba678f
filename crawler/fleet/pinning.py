"""Which node crawls a blog: rendezvous (highest random weight) hashing.

Every blog runs on one node, always the same, so its lock and its HTTP cache
stay on that node's disk.  Rendezvous hashing keeps that true as the fleet
grows: adding a node moves only the blogs the new node wins (about 1/n of
them), and removing one moves only that node's blogs.
"""

from __future__ import annotations

import hashlib


def node_key(url: str) -> str:
    """A node's name in the hash: its URL without a trailing slash."""
    return url.rstrip("/")


def pinned_node(blog: str, nodes: list[str]) -> str:
    """The node among ``nodes`` (URLs) that crawls ``blog``."""
    if not nodes:
        raise ValueError("no Scrapyd nodes (FLEET_NODES is empty)")
    return max(nodes, key=lambda node: _weight(blog, node_key(node)))


def _weight(blog: str, node: str) -> int:
    digest = hashlib.sha256(f"{node}\n{blog}".encode()).digest()
    return int.from_bytes(digest[:8], "big")
