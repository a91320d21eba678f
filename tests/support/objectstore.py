"""An S3-compatible server on loopback for the tests: moto's standalone server, run
as its own process (``python -m moto.server``) on a free port, as a node would
reach a real one over HTTP.

Credentials and endpoint reach pyarrow, polars and the crawl's subprocess through
the usual environment variables (``AWS_ENDPOINT_URL`` and friends).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyarrow.fs as pafs
import pytest

INSTALL = "S3-compatible server: pip install 'moto[server]'"


@dataclass(frozen=True)
class S3Server:
    """A running moto server: its endpoint and the environment that points at it."""

    endpoint: str

    @property
    def env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            # polars' object_store refuses plain http unless told
            "AWS_ALLOW_HTTP": "true",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def filesystem(self, *, allow_bucket_creation: bool = False) -> pafs.S3FileSystem:
        host = self.endpoint.removeprefix("http://")
        return pafs.S3FileSystem(
            access_key="testing",
            secret_key="testing",
            region="us-east-1",
            endpoint_override=host,
            scheme="http",
            allow_bucket_creation=allow_bucket_creation,
        )

    def create_bucket(self, name: str) -> None:
        self.filesystem(allow_bucket_creation=True).create_dir(name)

    def reset(self) -> None:
        """Forget every bucket and object (moto's reset API), as a new server would."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass


def require_moto() -> None:
    """Skip (fail under CI=true) when moto's server is not installed."""
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(INSTALL)
        pytest.skip(INSTALL)


@contextmanager
def moto_server() -> Iterator[S3Server]:
    require_moto()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server = S3Server(f"http://127.0.0.1:{port}")
        _wait_until_up(server.endpoint, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def store_env(server: S3Server) -> Iterator[None]:
    """The server's environment in this process too (pyarrow, polars, DuckDB read it)."""
    saved = {name: os.environ.get(name) for name in server.env}
    os.environ.update(server.env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto server at {endpoint} did not answer in 30 s")
