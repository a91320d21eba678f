"""Real Scrapyd servers on loopback for the fleet tests, and the project's egg on them.

Each server has its own directory holding ``scrapyd.conf`` (Scrapyd reads it from
its working directory) and its eggs, logs, queues and items.  It runs with the
tests' own Python (the project's venv), so the egg's dependencies are there; its
working directory has no ``scrapy.cfg`` and no project code, so the crawls run
from the egg as on a real node.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.crawl import REPO

SCRAPYD_DEPLOY = str(Path(sys.executable).with_name("scrapyd-deploy"))
#: how long a test waits for one answer of Scrapyd's API
ANSWER_S = 90


def missing() -> str:
    """Why Scrapyd cannot run here ("" when it can)."""
    for module in ("scrapyd", "scrapyd_client"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed: pip install -e '.[fleet]'"
    return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ScrapydServer:
    """``python -m scrapyd`` in ``home`` on a free loopback port."""

    home: Path
    max_proc: int = 2
    items: bool = False
    #: added to the node's environment (the store's AWS_* variables, its XDG_STATE_HOME)
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ScrapydServer:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "scrapyd.conf").write_text(self._config(), encoding="utf-8")
        with (self.home / "scrapyd.out").open("wb") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"],
                cwd=self.home,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**_node_environment(), **self.env},
            )
        self._wait_ready()
        return self

    def _config(self) -> str:
        return "\n".join(
            [
                "[scrapyd]",
                "bind_address = 127.0.0.1",
                f"http_port = {self.port}",
                f"eggs_dir = {self.home / 'eggs'}",
                f"logs_dir = {self.home / 'logs'}",
                f"dbs_dir = {self.home / 'dbs'}",
                f"items_dir = {self.home / 'items' if self.items else ''}",
                f"max_proc = {self.max_proc}",
                "poll_interval = 0.5",
                "",
            ]
        )

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"scrapyd exited: {self.output()}")
            try:
                self.get("daemonstatus.json")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"scrapyd did not answer within {timeout} s: {self.output()}")

    def get(self, endpoint: str) -> dict[str, Any]:
        # listspiders.json starts a Python process that imports the egg: on a loaded
        # 2-core machine that alone can take tens of seconds
        with urllib.request.urlopen(f"{self.url}/{endpoint}", timeout=ANSWER_S) as response:
            answer: dict[str, Any] = json.load(response)
            return answer

    def text(self, path: str) -> str:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=ANSWER_S) as response:
            return str(response.read().decode("utf-8", "replace"))

    def output(self) -> str:
        return (self.home / "scrapyd.out").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _node_environment() -> dict[str, str]:
    """The node's environment: no PYTHONPATH into the checkout, so code comes from the egg."""
    return {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")
    }


def deploy(servers: list[ScrapydServer], workdir: Path) -> list[str]:
    """``scrapyd-deploy`` of the checkout to every server; the answers it printed.

    The egg is built once (``--build-egg``) and sent to every target (``-a --egg``):
    the checkout's ``scrapy.cfg`` plus one ``[deploy:nodeN]`` section per server, in a
    copy of the files the egg is built from (the servers' ports change every run)."""
    source = workdir / "source"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "setup.py", "README.md", "scrapy.cfg"):
        shutil.copy(REPO / name, source / name)
    for package in ("blog", "crawler", "pipelines"):
        shutil.copytree(
            REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    with (source / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        for n, server in enumerate(servers, 1):
            cfg.write(f"\n[deploy:node{n}]\nurl = {server.url}/\n")
    egg = workdir / "blog-archiver.egg"
    _deploy_command(source, "--build-egg", str(egg))
    output = _deploy_command(source, "-a", "--egg", str(egg), "--version", "1")
    return [line for line in output.splitlines() if line.strip().startswith("{")]


def _deploy_command(source: Path, *args: str) -> str:
    result = subprocess.run(
        [SCRAPYD_DEPLOY, *args],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=_node_environment(),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
