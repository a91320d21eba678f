"""End to end: replica blogs archived through two real Scrapyd nodes by ``scrapy fleet``.

Two Scrapyd servers on loopback (one with ``items_dir`` set, which makes Scrapyd
set FEEDS), the project's egg deployed to both with ``scrapyd-deploy``, replica
blogs on their own ports, ``scrapy fleet schedule`` until every blog is crawled,
then ``scrapy fleet status``; and a blog that cannot be reached, a job stopped
with cancel.json (SIGINT) and one killed (SIGKILL), which status must report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crawler.fleet.nodes import ScrapydNode
from crawler.fleet.pinning import pinned_node
from tests.replica import expected_posts
from tests.support.crawl import REPO, SCRAPY, read_posts
from tests.support.scrapyd import ScrapydServer, deploy, free_port, missing
from tests.support.truth import mismatches

pytestmark = pytest.mark.slow

PROJECT = "blog-archiver"
README = (REPO / "README.md").read_text(encoding="utf-8")
#: politeness off for the loopback replicas (the fleet passes them to every job)
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "1",
    "DOWNLOAD_TIMEOUT": "10",
}
#: slow enough (about 25 s a blog) to stop a crawl in the middle
SLOW = {**FAST, "DOWNLOAD_DELAY": "0.5", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
THEMES = ("classic", "block", "builder", "jsonld", "classic")
CANDIDATES = tuple(f"blog{n}" for n in range(30))


def _names(nodes: list[ScrapydServer]) -> list[str]:
    """Five blog names, at least two pinned to each node (the ports, and so the pins,
    change every run), so both nodes crawl, node 1 with items_dir set."""
    urls = [n.url for n in nodes]
    pins = {name: pinned_node(name, urls) for name in CANDIDATES}
    per_node = [[name for name in CANDIDATES if pins[name] == url] for url in urls]
    assert all(len(chosen) >= 3 for chosen in per_node), pins
    return per_node[0][:3] + per_node[1][:2]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ScrapydServer]]:
    """Two Scrapyd nodes with the project deployed; node 1 has items_dir set."""
    why = missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Scrapyd: {why}")
        pytest.skip(f"Scrapyd: {why}")
    root = tmp_path_factory.mktemp("scrapyd")
    servers = [
        ScrapydServer(root / "node1", max_proc=3, items=True),
        ScrapydServer(root / "node2", max_proc=3),
    ]
    try:
        for server in servers:
            server.start()
        answers = [json.loads(line) for line in deploy(servers, root)]
        assert [(a["status"], a["project"], a["spiders"]) for a in answers] == [
            ("ok", PROJECT, 2)
        ] * 2
        for server in servers:  # as an operator checks a deploy (and Scrapyd caches the list)
            assert server.get(f"listspiders.json?project={PROJECT}")["spiders"] == [
                "materna",
                "wordpress",
            ]
        assert _code_seen_by_the_runner(servers[0]).startswith(str(servers[0].home / "eggs"))
        yield servers
    finally:
        for server in servers:
            server.stop()


def _code_seen_by_the_runner(node: ScrapydServer) -> str:
    """Where ``crawler`` comes from in a job's Python: the node's egg, not the checkout."""
    code = (
        "from scrapyd.runner import project_environment\n"
        f"with project_environment({PROJECT!r}):\n"
        "    import crawler; print(crawler.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=node.home,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def _fleet_command(
    block_line: str, fleet_file: Path, archive: Path, nodes: list[ScrapydServer], **settings: str
) -> list[str]:
    """A README line ``.venv/bin/scrapy fleet …``, run with the test's fleet and nodes."""
    command = block_line.replace(".venv/bin/scrapy", SCRAPY).split()
    overrides = {
        "FLEET_FILE": str(fleet_file),
        "FLEET_NODES": ",".join(n.url for n in nodes),
        "ARCHIVE_DIR": str(archive),
        "FLEET_MAX_PROC": "2",
        "FLEET_JOB_SETTINGS": json.dumps(FAST),
        **settings,
    }
    return command + [arg for name, value in overrides.items() for arg in ("-s", f"{name}={value}")]


def _readme_fleet_line(action: str) -> str:
    section = README.split("## Many blogs", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return next(
        line
        for b in blocks
        for line in b.splitlines()
        if line.startswith(f".venv/bin/scrapy fleet {action}")
    )


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


def _wait_idle(nodes: list[ScrapydServer], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(
            n.get("daemonstatus.json")["running"] + n.get("daemonstatus.json")["pending"] == 0
            for n in nodes
        ):
            return
        time.sleep(0.5)
    raise AssertionError("the Scrapyd jobs did not finish in time")


def _write_fleet(path: Path, blogs: dict[str, str]) -> Path:
    path.write_text(
        "".join(f'[[blog]]\nname = "{n}"\nbase_url = "{u}"\n\n' for n, u in blogs.items())
    )
    return path


def test_a_fleet_of_five_blogs_is_archived_through_two_scrapyd_nodes(
    nodes, replica, tmp_path: Path
) -> None:
    names = _names(nodes)
    servers = {name: replica(theme) for name, theme in zip(names, THEMES, strict=True)}
    fleet_file = _write_fleet(tmp_path / "fleet.toml", {n: s.base_url for n, s in servers.items()})
    archive = tmp_path / "archive"
    schedule = _fleet_command(_readme_fleet_line("schedule"), fleet_file, archive, nodes)
    pins = {name: pinned_node(name, [n.url for n in nodes]) for name in names}
    started = time.monotonic()
    rounds = []
    for _ in range(5):  # each round queues what the nodes have room for
        result = _run(schedule)
        assert result.returncode == 0, result.stderr
        rounds.append(result.stdout)
        scheduled = re.findall(
            r"^(\w+): scheduled on (\S+) as job", result.stdout, flags=re.MULTILINE
        )
        for node in {n for _, n in scheduled}:
            assert sum(n == node for _, n in scheduled) <= 2, result.stdout  # FLEET_MAX_PROC
        assert all(pins[blog] == node for blog, node in scheduled), (pins, scheduled)
        if not scheduled:
            break
        _wait_idle(nodes)
    elapsed = time.monotonic() - started
    assert rounds[-1].strip().splitlines()[-1] == (
        "fleet: 0 scheduled, 0 waiting for a slot, 0 running or pending, 5 not due"
    ), rounds
    for name, server in servers.items():
        rows = read_posts(archive, site=name)
        assert mismatches(rows, expected_posts(server.base_url, server.config)) == [], name
        assert len({r["url"] for r in rows}) == len(rows) >= 40
        assert {r["site"] for r in rows} == {name}
        assert any((archive / name / "httpcache").rglob("*")), (
            f"{name}: no HTTP cache under Scrapyd"
        )
    for node in nodes:
        jobs = ScrapydNode(node.url).jobs(PROJECT)
        assert {j.blog for j in jobs} == {b for b, n in pins.items() if n == node.url}
        assert all(j.state == "finished" for j in jobs)
        for job in jobs:  # each crawl's row names the Scrapyd job that ran it
            crawls = pq.read_table(archive / job.blog / "crawls.parquet").column("job")
            assert crawls.to_pylist() == [job.id]
    assert not list((nodes[0].home / "items").rglob("*.jl"))  # no item reaches a feed
    status = _run(_fleet_command(_readme_fleet_line("status"), fleet_file, archive, nodes))
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.splitlines()[-1] == "fleet: 5 of 5 blogs well"
    assert all(f"{name}: ok; last crawl " in status.stdout for name in names)
    print(f"five blogs through two nodes in {elapsed:.1f} s, {len(rounds)} schedule rounds")


def test_a_blog_that_fails_and_jobs_stopped_or_killed_fail_fleet_status(
    nodes, replica, tmp_path: Path
) -> None:
    down = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    blogs = {
        "down": down,
        "stopped": replica("classic").base_url,
        "killed": replica("block").base_url,
    }
    fleet_file = _write_fleet(tmp_path / "fleet.toml", blogs)
    archive = tmp_path / "archive"
    settings = {"FLEET_MAX_PROC": "3", "FLEET_JOB_SETTINGS": json.dumps(SLOW)}
    result = _run(
        _fleet_command(_readme_fleet_line("schedule"), fleet_file, archive, nodes, **settings)
    )
    assert result.returncode == 0, result.stderr
    jobs = dict(
        re.findall(r"^(\w+): scheduled on \S+ as job (\S+)$", result.stdout, flags=re.MULTILINE)
    )
    assert set(jobs) == set(blogs), result.stdout
    pins = {name: pinned_node(name, [n.url for n in nodes]) for name in blogs}
    for name, signal in (("stopped", "INT"), ("killed", "KILL")):
        _wait_for(lambda name=name: (archive / name / ".lock").exists(), f"{name}'s crawl to begin")
        assert ScrapydNode(pins[name]).cancel(PROJECT, jobs[name], signal) == "running"
    _wait_idle(nodes)
    status = _run(_fleet_command(_readme_fleet_line("status"), fleet_file, archive, nodes))
    assert status.returncode == 1, status.stdout + status.stderr
    lines = {line.split(":", 1)[0]: line for line in status.stdout.splitlines()}
    assert lines["down"].startswith("down: FAILED; last crawl "), lines
    assert "cannot reach" in lines["down"]
    assert lines["stopped"].startswith("stopped: FAILED; last crawl "), lines
    assert "exit 1: the crawl stopped early (shutdown)" in lines["stopped"]
    assert lines["killed"].startswith(
        f"killed: FAILED; job {jobs['killed']} on {pins['killed']} ended without a crawl log row"
    )
    assert lines["fleet"] == "fleet: 0 of 3 blogs well"


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.2)
