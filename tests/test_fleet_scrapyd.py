"""End to end: replica blogs archived by ``scrapy fleet`` through two real Scrapyd nodes
into object storage.

The store is a moto server on loopback holding the README's bucket; the nodes are two
Scrapyd servers on loopback, each started with the store's ``AWS_*`` variables and its
own ``XDG_STATE_HOME`` (where its local copies live), as a node's service would be, one
with ``items_dir`` set (which makes Scrapyd set FEEDS).  The project's egg goes to both
with ``scrapyd-deploy``; replica blogs run on their own ports; the README's cron lines
(``scrapy fleet schedule|status -s ARCHIVE_DIR=s3://…``) run until every blog is crawled.
Every blog's rows are read back from the store, one blog's also against a plain local
crawl of it; and a blog that cannot be reached, a job stopped with cancel.json (SIGINT)
and one killed (SIGKILL) are what ``fleet status`` must report, reading the store.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest
from parsel import Selector

from crawler.fleet.nodes import ScrapydNode
from crawler.fleet.pinning import pinned_node
from pipelines.schema import COLUMN_NAMES
from tests.replica import expected_posts
from tests.support.crawl import REPO, SCRAPY, read_posts, run_crawl
from tests.support.objectstore import S3Server, moto_server
from tests.support.scrapyd import ScrapydServer, deploy, free_port, missing
from tests.support.truth import mismatches

pytestmark = pytest.mark.slow

PROJECT = "blog-archiver"
README = (REPO / "README.md").read_text(encoding="utf-8")
FLEET_SECTION = README.split("## Many blogs", 1)[1].split("\n## ", 1)[0]
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
def s3() -> Iterator[S3Server]:
    """The store: a moto server holding the README's (empty) bucket."""
    with moto_server() as server:
        server.create_bucket(BUCKET)
        yield server


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory, s3: S3Server) -> Iterator[list[ScrapydServer]]:
    """Two Scrapyd nodes with the project deployed, each with the store's credentials
    and its own state folder in its environment; node 1 has items_dir set."""
    why = missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Scrapyd: {why}")
        pytest.skip(f"Scrapyd: {why}")
    root = tmp_path_factory.mktemp("scrapyd")
    servers = [
        ScrapydServer(root / "node1", max_proc=3, items=True, env=_node_env(s3, root / "node1")),
        ScrapydServer(root / "node2", max_proc=3, env=_node_env(s3, root / "node2")),
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


def _node_env(s3: S3Server, home: Path) -> dict[str, str]:
    return {**s3.env, "XDG_STATE_HOME": str(home / "state")}


def _local_copy(node: ScrapydServer, blog: str) -> Path:
    """Where a node keeps its copy of ``blog``'s archive: the README's default,
    ``$XDG_STATE_HOME/blog-archiver/s3/<bucket>/<prefix>/<blog>``."""
    return node.home / "state" / "blog-archiver" / "s3" / BUCKET / PREFIX / blog


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
    readme_command: str, fleet_file: Path, nodes: list[ScrapydServer], **settings: str
) -> list[str]:
    """A README command ``.venv/bin/scrapy fleet … -s ARCHIVE_DIR=s3://…``, run with the
    test's fleet and nodes (and the README's store)."""
    command = readme_command.replace(".venv/bin/scrapy", SCRAPY).split()
    assert f"ARCHIVE_DIR={STORE}" in command
    overrides = {
        "FLEET_FILE": str(fleet_file),
        "FLEET_NODES": ",".join(n.url for n in nodes),
        "FLEET_MAX_PROC": "2",
        "FLEET_JOB_SETTINGS": json.dumps(FAST),
        **settings,
    }
    return command + [arg for name, value in overrides.items() for arg in ("-s", f"{name}={value}")]


def _readme_cron_command(action: str) -> str:
    """The command of the README's cron line that runs ``scrapy fleet ACTION``."""
    (block,) = re.findall(r"```cron\n(.*?)```", FLEET_SECTION, flags=re.DOTALL)
    line = next(line for line in block.splitlines() if f" fleet {action} " in line)
    return line.split(" && ", 1)[1]


#: the README's store, which both cron lines name
STORE = re.findall(r"-s ARCHIVE_DIR=(s3://\S+)", _readme_cron_command("schedule"))[0]
BUCKET, PREFIX = urlsplit(STORE).netloc, urlsplit(STORE).path.strip("/")
#: Columns that differ between any two crawls of the same pages, whatever the archive:
#: the crawl's own id, when it fetched each page, and when it first saw each post (a
#: first crawl's start). Every other column must match a local crawl's.
PER_CRAWL = {"crawl_id", "fetched_at", "first_seen_at"}
#: What a blog may leave in the store: finished tables, parts and WARCs, nothing hidden
#: (``.name.tmp``, ``.store-sync.json``), open (``.open``), locked or cached.
FINISHED_OBJECT = re.compile(
    r"^\w+/(posts\.parquet|crawls\.parquet|(versions|events)/[^./][^/]*\.parquet"
    r"|warc/[^./][^/]*\.warc\.gz)$"
)
#: a killed crawl's parts, uploaded while it ran: whole objects out of readers' sight
#: (``_staging``), published by the blog's next crawl
STAGED_OBJECT = re.compile(r"^\w+/(versions|events)/_staging/[^/]+/part-\d{5}\.parquet$")


def _run(command: list[str], s3: S3Server) -> subprocess.CompletedProcess[str]:
    """``command`` with the store's credentials, as on the machine that runs the fleet."""
    return subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **s3.env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _stored(s3: S3Server, blog: str) -> dict[str, int]:
    """Every object of ``blog`` in the store: key (below the prefix) to size."""
    selector = pafs.FileSelector(f"{BUCKET}/{PREFIX}/{blog}", recursive=True, allow_not_found=True)
    infos = s3.filesystem().get_file_info(selector)
    return {
        i.path.removeprefix(f"{BUCKET}/{PREFIX}/"): i.size or 0
        for i in infos
        if i.type == pafs.FileType.File
    }


def _read_stored(s3: S3Server, key: str, **options: list[str]) -> list[dict]:
    """The rows of the Parquet object (or folder of parts) ``key`` in the store."""
    table = pq.read_table(f"{BUCKET}/{PREFIX}/{key}", filesystem=s3.filesystem(), **options)
    return table.to_pylist()


def _only_finished_objects(s3: S3Server, blogs: list[str]) -> None:
    """The blogs left only finished objects in the store, each one readable whole."""
    for blog in blogs:
        keys = _stored(s3, blog)
        assert keys, f"{blog}: nothing in the store"
        assert [k for k in keys if not FINISHED_OBJECT.match(k)] == [], blog
        for key in (k for k in keys if k.endswith(".parquet")):
            with s3.filesystem().open_input_file(f"{BUCKET}/{PREFIX}/{key}") as file:
                pq.read_metadata(file)


def _per_page(rows: list[dict]) -> dict[str, dict]:
    """Rows by URL, without the columns that differ from crawl to crawl."""
    return {r["url"]: {k: v for k, v in r.items() if k not in PER_CRAWL} for r in rows}


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


def test_a_fleet_of_five_blogs_is_archived_through_two_scrapyd_nodes_into_the_store(
    nodes, s3, replica, tmp_path: Path
) -> None:
    names = _names(nodes)
    servers = {name: replica(theme) for name, theme in zip(names, THEMES, strict=True)}
    fleet_file = _write_fleet(tmp_path / "fleet.toml", {n: s.base_url for n, s in servers.items()})
    schedule = _fleet_command(_readme_cron_command("schedule"), fleet_file, nodes)
    pins = {name: pinned_node(name, [n.url for n in nodes]) for name in names}
    node_of = {name: next(n for n in nodes if n.url == pins[name]) for name in names}
    # the same blog crawled the plain way into a folder, beside the fleet
    beside, local = names[0], tmp_path / "local"
    with ThreadPoolExecutor(1) as pool:
        site, base_url = f"site={beside}", servers[beside].base_url
        plain = pool.submit(run_crawl, local, "-a", site, spider="wordpress", base_url=base_url)
        started = time.monotonic()
        rounds = _schedule_until_done(schedule, nodes, s3)
        elapsed = time.monotonic() - started
        assert plain.result().returncode == 0, plain.result().stderr
    assert rounds[-1].strip().splitlines()[-1] == (
        "fleet: 0 scheduled, 0 waiting for a slot, 0 running or pending, 5 not due"
    ), rounds
    for name, server in servers.items():
        rows = _read_stored(s3, f"{name}/posts.parquet")
        truth = expected_posts(server.base_url, server.config)
        assert mismatches(rows, truth) == [], name
        assert len({r["url"] for r in rows}) == len(rows) >= 40
        assert {r["site"] for r in rows} == {name}
        history = _read_stored(s3, f"{name}/versions", columns=["url"])
        assert sorted(r["url"] for r in history) == sorted(p["url"] for p in truth)  # once each
        assert any((_local_copy(node_of[name], name) / "httpcache").rglob("*")), (
            f"{name}: no HTTP cache on its node under Scrapyd"
        )
        assert not any(_local_copy(n, name).exists() for n in nodes if n is not node_of[name])
    on_disk = _per_page(read_posts(local, site=beside))
    in_store = _per_page(_read_stored(s3, f"{beside}/posts.parquet"))
    assert len(next(iter(in_store.values()))) == len(COLUMN_NAMES) - len(PER_CRAWL)
    assert in_store == on_disk  # every field as on local disk
    for node in nodes:
        jobs = ScrapydNode(node.url).jobs(PROJECT)
        assert {j.blog for j in jobs} == {b for b, n in pins.items() if n == node.url}
        assert all(j.state == "finished" for j in jobs)
        for job in jobs:  # each crawl's row, in the store, names the Scrapyd job that ran it
            crawls = _read_stored(s3, f"{job.blog}/crawls.parquet", columns=["job"])
            assert crawls == [{"job": job.id}]
    _only_finished_objects(s3, names)
    assert not list((nodes[0].home / "items").rglob("*.jl"))  # no item reaches a feed
    status = _run(_fleet_command(_readme_cron_command("status"), fleet_file, nodes), s3)
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.splitlines()[-1] == "fleet: 5 of 5 blogs well"
    assert all(f"{name}: ok; last crawl " in status.stdout for name in names)
    _the_fleet_report_reads_the_store(s3, tmp_path / "fleet.html", names)
    print(f"five blogs through two nodes into the store in {elapsed:.1f} s, {len(rounds)} rounds")


def _the_fleet_report_reads_the_store(s3: S3Server, output: Path, names: list[str]) -> None:
    command = [SCRAPY, "report", "--fleet", "-o", str(output), "-s", f"ARCHIVE_DIR={STORE}"]
    result = _run(command, s3)
    assert result.returncode == 0, result.stderr
    page = Selector(text=output.read_text(encoding="utf-8"))
    assert page.css("h1::text").get() == f"Archive report: {len(names)} blogs"
    cells = [
        r.css("td::text").getall() for r in page.css('table[data-table="most-active"] tbody tr')
    ]
    posts = {name: len(_read_stored(s3, f"{name}/posts.parquet")) for name in names}
    assert {row[0]: int(row[2]) for row in cells} == posts


def _schedule_until_done(
    schedule: list[str], nodes: list[ScrapydServer], s3: S3Server
) -> list[str]:
    """Run ``fleet schedule`` until it queues nothing, waiting for the nodes after each
    round (a round queues what the nodes have room for); what each round printed."""
    urls = [n.url for n in nodes]
    rounds = []
    for _ in range(5):
        result = _run(schedule, s3)
        assert result.returncode == 0, result.stderr
        rounds.append(result.stdout)
        scheduled = re.findall(
            r"^(\w+): scheduled on (\S+) as job", result.stdout, flags=re.MULTILINE
        )
        for node in {n for _, n in scheduled}:
            assert sum(n == node for _, n in scheduled) <= 2, result.stdout  # FLEET_MAX_PROC
        assert all(pinned_node(blog, urls) == node for blog, node in scheduled), scheduled
        if not scheduled:
            break
        _wait_idle(nodes)
    return rounds


def test_a_blog_that_fails_and_jobs_stopped_or_killed_fail_fleet_status(
    nodes, s3, replica, tmp_path: Path
) -> None:
    down = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    sites = {"stopped": replica("classic"), "killed": replica("block")}
    blogs = {"down": down, **{name: site.base_url for name, site in sites.items()}}
    fleet_file = _write_fleet(tmp_path / "fleet.toml", blogs)
    settings = {"FLEET_MAX_PROC": "3", "FLEET_JOB_SETTINGS": json.dumps(SLOW)}
    result = _run(
        _fleet_command(_readme_cron_command("schedule"), fleet_file, nodes, **settings), s3
    )
    assert result.returncode == 0, result.stderr
    jobs = dict(
        re.findall(r"^(\w+): scheduled on \S+ as job (\S+)$", result.stdout, flags=re.MULTILINE)
    )
    assert set(jobs) == set(blogs), result.stdout
    pins = {name: pinned_node(name, [n.url for n in nodes]) for name in blogs}
    for name, signal in (("stopped", "INT"), ("killed", "KILL")):
        # its first request: the store is synced and the crawl is under way
        _wait_for(lambda name=name: bool(sites[name].requests), f"{name}'s crawl to begin")
        assert ScrapydNode(pins[name]).cancel(PROJECT, jobs[name], signal) == "running"
    _wait_idle(nodes)
    status = _run(_fleet_command(_readme_cron_command("status"), fleet_file, nodes), s3)
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
    assert "killed/crawls.parquet" not in _stored(s3, "killed")
    _only_finished_objects(s3, ["down", "stopped"])
    killed = _stored(s3, "killed")
    assert [k for k in killed if not (FINISHED_OBJECT.match(k) or STAGED_OBJECT.match(k))] == []
    for key in (k for k in killed if k.endswith(".parquet")):
        with s3.filesystem().open_input_file(f"{BUCKET}/{PREFIX}/{key}") as file:
            pq.read_metadata(file)


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.2)
