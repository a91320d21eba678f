"""Capacity of one Scrapyd node, measured: N replica blogs crawled at once, full and incremental.

``python -m benchmarks.capacity --blogs 1,4,8 [--posts 200] [--runs 1]`` starts one real
Scrapyd node per N (``max_proc = N``), deploys the project's egg, serves N replica blogs
(each in its own process), schedules all N ``wordpress`` crawls at once (``schedule.json``),
then again on the unchanged blogs (incremental), and prints per N and mode: posts, requests
per job, the node's wall time and posts per second, CPU seconds per post and per job, and
the peak memory of one job.  Politeness is off (the loopback replicas): what is measured is
the node's own cost per post.  From those figures and the politeness defaults of
``crawler/settings.py`` it then prints the capacity on paper (README "Many blogs",
"Capacity").

Where each figure comes from:

- posts and requests: each blog's ``posts.parquet`` and the crawl's row of ``crawls.parquet``
  (found by its ``job`` column; a crawl that did not exit 0 stops the benchmark); posts are
  the posts archived, which an incremental crawl keeps up to date while it fetches only its
  canaries again (``--jobs`` prints each job's posts fetched);
- a job's seconds: Scrapyd's ``listjobs.json`` (start to end of the process, imports included);
- CPU: the node's ``/proc/<scrapyd>/stat`` children time (``cutime + cstime``) before and
  after the batch, which the kernel adds up exactly as Scrapyd reaps each job (and each job
  its extraction worker);
- memory: the crawl process's peak, Scrapy's ``memusage/max`` (from the job's stats,
  checked every second; the larger of it and ``VmHWM`` sampled every 0.2 s, which also
  sees the end of the crawl), plus its extraction worker's peak (``VmHWM``).

The machine may be shared: wall time and posts per second move with its load (printed at
start and end); CPU seconds per post and memory per job are what stays meaningful.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow.parquet as pq

from benchmarks.crawl import POLITENESS_OFF, replica
from benchmarks.crawl_once import children, peak_rss_kb
from crawler import settings as defaults
from crawler.fleet.fleet import SPIDER
from crawler.fleet.nodes import ScrapydNode, job_id
from tests.support.scrapyd import ScrapydServer, deploy

PROJECT = "blog-archiver"
TICKS = os.sysconf("SC_CLK_TCK")
#: settings every measured job gets: politeness off, and the stats in the job's log
JOB_SETTINGS = {
    **dict(setting.split("=", 1) for setting in POLITENESS_OFF),
    "LOG_LEVEL": "INFO",
    "MEMUSAGE_CHECK_INTERVAL_SECONDS": "1",
}
COLUMNS = (
    "N",
    "mode",
    "posts",
    "requests per job",
    "wall s (node)",
    "posts/s (node)",
    "CPU s per post",
    "CPU s per job",
    "job s (median)",
    "peak RSS MB per job",
)
NIGHT_S = 8 * 3600
PAPER_COLUMNS = (
    "blog size",
    "full crawl",
    "incremental crawl",
    "blogs per node per night: full",
    "incremental",
    "jobs at once before CPU bites: full / incremental",
)


class Figures(NamedTuple):
    """One row of the measured table (after N and mode): a batch's, or the medians of
    several batches'."""

    posts: float
    requests_per_job: float
    wall_s: float
    posts_per_s: float
    cpu_s_per_post: float
    cpu_s_per_job: float
    job_s: float
    rss_mb_per_job: float


@dataclass
class Job:
    """One measured crawl: its blog's posts, its crawl-log row, its seconds and memory."""

    blog: str
    id: str
    posts: int = 0
    fetched: int = 0
    requests: int = 0
    seconds: float = 0.0
    crawl_rss_mb: float = 0.0
    worker_rss_mb: float = 0.0

    @property
    def rss_mb(self) -> float:
        return self.crawl_rss_mb + self.worker_rss_mb


@dataclass
class Batch:
    """N jobs scheduled at once on one node, and what the node spent on them."""

    n: int
    mode: str
    jobs: list[Job]
    wall_s: float
    cpu_s: float

    @property
    def posts(self) -> int:
        return sum(job.posts for job in self.jobs)

    def figures(self) -> Figures:
        return Figures(
            self.posts,
            statistics.median(job.requests for job in self.jobs),
            self.wall_s,
            self.posts / self.wall_s,
            self.cpu_s / self.posts,
            self.cpu_s / self.n,
            statistics.median(job.seconds for job in self.jobs),
            max(job.rss_mb for job in self.jobs),
        )


@dataclass
class TreeWatch:
    """Samples the peak RSS (``VmHWM``) of every process under Scrapyd, by job: a job's
    crawl process is a child of Scrapyd whose command line holds ``_job=<id>``; its own
    children that run ``pipelines.extract.processes`` are its extraction workers."""

    scrapyd: int
    interval: float = 0.2
    crawl_kb: dict[str, int] = field(default_factory=dict)
    worker_kb: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    @contextmanager
    def running(self) -> Iterator[TreeWatch]:
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in children(self.scrapyd):
                job = _job_of(pid)
                if job:
                    _keep_max(self.crawl_kb, job, peak_rss_kb(pid))
                    for worker in children(pid):
                        if _is_worker(worker):
                            _keep_max(self.worker_kb, job, peak_rss_kb(worker))


def _keep_max(peaks: dict[str, int], key: str, value: int) -> None:
    peaks[key] = max(peaks.get(key, 0), value)


def _job_of(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    return next((a[5:].decode() for a in argv if a.startswith(b"_job=")), "")


def _is_worker(pid: int) -> bool:
    """Whether ``pid`` runs the extraction worker: between its fork and its ``exec`` a
    child still maps the whole crawl process, and its ``VmHWM`` says so (198 MB seen)."""
    try:
        return b"pipelines.extract.processes" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def children_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of ``pid``'s children that it has reaped, and theirs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / TICKS  # cutime, cstime (stat fields 16, 17)


def run_batch(server: ScrapydServer, blogs: dict[str, str], archive: Path, mode: str) -> Batch:
    """Schedule a crawl of every blog at once, wait for all of them, measure."""
    assert server.process is not None
    node = ScrapydNode(server.url, timeout=120)
    settings = {**JOB_SETTINGS, "ARCHIVE_DIR": str(archive)}
    cpu_before = children_cpu_s(server.process.pid)
    started = time.monotonic()
    with TreeWatch(server.process.pid).running() as watch:
        jobs = []
        for blog, url in blogs.items():
            job = Job(blog, job_id(blog, datetime.now(UTC)) + f"-{mode}")
            node.schedule(PROJECT, SPIDER, job.id, {"site": blog, "base_url": url}, settings)
            jobs.append(job)
        _wait_idle(server)
    wall = time.monotonic() - started
    cpu = children_cpu_s(server.process.pid) - cpu_before
    times = _job_seconds(server)
    for job in jobs:
        _read_job(job, server, archive, times)
        job.worker_rss_mb = watch.worker_kb.get(job.id, 0) / 1024
        job.crawl_rss_mb = max(job.crawl_rss_mb, watch.crawl_kb.get(job.id, 0) / 1024)
    return Batch(len(blogs), mode, jobs, wall, cpu)


def _wait_idle(server: ScrapydServer, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = server.get("daemonstatus.json")
        if status["running"] + status["pending"] == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the jobs on {server.url} did not finish within {timeout} s")


def _job_seconds(server: ScrapydServer) -> dict[str, float]:
    """Each finished job's seconds, from start to end of its process (``listjobs.json``)."""
    finished = server.get(f"listjobs.json?project={PROJECT}")["finished"]
    return {
        job["id"]: (_scrapyd_time(job["end_time"]) - _scrapyd_time(job["start_time"]))
        for job in finished
    }


def _scrapyd_time(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def _read_job(job: Job, server: ScrapydServer, archive: Path, times: dict[str, float]) -> None:
    """The job's crawl from its blog's crawl log, its memory from its log's stats."""
    site = archive / job.blog
    log = server.home / "logs" / PROJECT / SPIDER / f"{job.id}.log"
    rows = [r for r in _crawl_rows(site) if r["job"] == job.id]
    if len(rows) != 1 or rows[0]["exit_status"] != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
        raise RuntimeError(f"job {job.id} has no healthy crawl in {site}: {rows}\n{tail}")
    job.posts = pq.read_metadata(site / "posts.parquet").num_rows
    job.fetched = rows[0]["posts_fetched"]
    job.requests = rows[0]["requests"]
    job.seconds = times[job.id]
    job.crawl_rss_mb = _stat(log.read_text(errors="replace"), "memusage/max") / 2**20


def _crawl_rows(site: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(site / "crawls.parquet").to_pylist()
    return rows


def _stat(log: str, name: str) -> float:
    """A number from the stats Scrapy dumps into the job's log when it closes."""
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0.0


def measure(n: int, posts: int, runs: int, workdir: Path) -> list[Batch]:
    """``runs`` times a full then an incremental batch of ``n`` blogs on a fresh node."""
    batches = []
    with ExitStack() as stack:
        urls = [stack.enter_context(replica(posts)) for _ in range(n)]
        blogs = {f"blog{k}": url for k, url in enumerate(urls, 1)}
        server = ScrapydServer(workdir / f"node{n}", max_proc=n).start()
        stack.callback(server.stop)
        deploy([server], workdir / f"deploy{n}")
        for run in range(runs):
            archive = workdir / f"archive{n}-{run}"
            batches.append(run_batch(server, blogs, archive, "full"))
            batches.append(run_batch(server, blogs, archive, "incremental"))
    return batches


def medians(batches: list[Batch]) -> dict[tuple[int, str], Figures]:
    """Each figure's median over the runs, by N and mode."""
    keys = dict.fromkeys((b.n, b.mode) for b in batches)
    return {
        key: Figures(
            *(
                statistics.median(column)
                for column in zip(
                    *(b.figures() for b in batches if (b.n, b.mode) == key), strict=True
                )
            )
        )
        for key in keys
    }


def measured_table(rows: dict[tuple[int, str], Figures]) -> list[str]:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for (n, mode), figures in rows.items():
        cells = [str(n), mode, *(_cell(value) for value in figures)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def job_lines(batches: list[Batch]) -> list[str]:
    """One line per job: where a batch's median or maximum came from."""
    return [
        f"N={batch.n} {batch.mode} {job.id}: {job.posts} posts ({job.fetched} fetched),"
        f" {job.requests} requests,"
        f" {job.seconds:.1f} s, crawl {job.crawl_rss_mb:.0f} MB + worker {job.worker_rss_mb:.0f} MB"
        for batch in batches
        for job in batch.jobs
    ]


def _cell(value: float) -> str:
    if value >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.3f}" if value < 1 else f"{value:.1f}"


@dataclass(frozen=True)
class Costs:
    """What one job costs the node, from the measurements: requests beyond the posts
    (discovery documents) in a full crawl, requests of an incremental crawl, CPU seconds
    of an incremental job (start, discovery, canaries, rebuilding ``posts.parquet``) and
    per post fetched, seconds of a job without waits, and memory of one job."""

    full_extra_requests: float
    incremental_requests: float
    incremental_cpu_s: float
    cpu_per_post_s: float
    job_overhead_s: float
    rss_mb: float

    @classmethod
    def measured(cls, n: int, full: Figures, incremental: Figures, alone: Figures) -> Costs:
        """From a full and an incremental batch of ``n`` blogs (CPU, memory: the busiest
        node) and an incremental job alone on its node (how long a job takes besides its
        requests, when it does not wait for a core)."""
        posts_per_blog = full.posts / n
        return cls(
            full_extra_requests=full.requests_per_job - posts_per_blog,
            incremental_requests=incremental.requests_per_job,
            incremental_cpu_s=incremental.cpu_s_per_job,
            cpu_per_post_s=(full.cpu_s_per_job - incremental.cpu_s_per_job) / posts_per_blog,
            job_overhead_s=alone.job_s,
            rss_mb=max(full.rss_mb_per_job, incremental.rss_mb_per_job),
        )


@dataclass(frozen=True)
class Node:
    """A node: cores, memory for jobs (MB), Scrapyd's ``max_proc``."""

    cores: int
    memory_mb: float
    max_proc: int


def request_interval_s() -> float:
    """Seconds between two requests to one blog under the politeness defaults: the
    download delay (randomised 0.5-1.5x around it, so on average itself), which
    AutoThrottle never goes below; on a blog answering within it, the delay is the bound
    whatever ``CONCURRENT_REQUESTS_PER_DOMAIN`` allows."""
    return float(defaults.DOWNLOAD_DELAY)


def job_seconds(requests: float, costs: Costs) -> float:
    """One polite job: its requests one interval apart, and the job's own start and end."""
    return requests * request_interval_s() + costs.job_overhead_s


def blogs_per_night(job_s: float, job_cpu_s: float, costs: Costs, node: Node) -> tuple[int, str]:
    """How many such jobs one node runs in a night, and the bound that bites: its slots
    (``max_proc``, each job mostly waiting for its polite turn), its cores, or its memory
    (which caps how many jobs may run at once)."""
    by_memory = int(node.memory_mb // costs.rss_mb)
    slots = min(node.max_proc, by_memory)
    bounds = {
        "politeness" if slots == node.max_proc else "memory": slots * NIGHT_S / job_s,
        "CPU": node.cores * NIGHT_S / job_cpu_s,
    }
    bound = min(bounds, key=lambda name: bounds[name])
    return int(bounds[bound]), bound


def paper_table(costs: Costs, node: Node, sizes: tuple[int, ...]) -> list[str]:
    lines = ["| " + " | ".join(PAPER_COLUMNS) + " |", "|" + "---|" * len(PAPER_COLUMNS)]
    inc_s = job_seconds(costs.incremental_requests, costs)
    inc_n, inc_bound = blogs_per_night(inc_s, costs.incremental_cpu_s, costs, node)
    for posts in sizes:
        full_s = job_seconds(posts + costs.full_extra_requests, costs)
        full_cpu = costs.incremental_cpu_s + costs.cpu_per_post_s * posts
        full_n, full_bound = blogs_per_night(full_s, full_cpu, costs, node)
        at_once = [
            node.cores * s / cpu
            for s, cpu in ((full_s, full_cpu), (inc_s, costs.incremental_cpu_s))
        ]
        lines.append(
            f"| {posts:,} posts | {_duration(full_s)} | {_duration(inc_s)} "
            f"| {full_n:,} ({full_bound}) | {inc_n:,} ({inc_bound}) "
            f"| {at_once[0]:.0f} / {at_once[1]:.0f} |"
        )
    return lines


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blogs", default="1,4,8", help="comma list of N (blogs at once)")
    parser.add_argument("--posts", type=int, default=200, help="posts per replica blog")
    parser.add_argument("--runs", type=int, default=1, help="runs per N (the table: medians)")
    parser.add_argument("--max-proc", type=int, default=8, help="max_proc of the node on paper")
    parser.add_argument("--sizes", default="200,1000,5000", help="blog sizes on paper")
    parser.add_argument("--jobs", action="store_true", help="also print every job's figures")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load {_load()}")
    batches: list[Batch] = []
    with tempfile.TemporaryDirectory(prefix="capacity-") as tmp:
        for n in (int(value) for value in args.blogs.split(",")):
            batches += measure(n, args.posts, args.runs, Path(tmp))
    print(f"load at the end {_load()}\n")
    if args.jobs:
        print("\n".join(job_lines(batches)) + "\n")
    rows = medians(batches)
    print(f"## One Scrapyd node, N blogs of {args.posts} posts at once, politeness off\n")
    print("\n".join(measured_table(rows)))
    busiest, alone = max(n for n, _ in rows), min(n for n, _ in rows)
    costs = Costs.measured(
        busiest, rows[busiest, "full"], rows[busiest, "incremental"], rows[alone, "incremental"]
    )
    node = Node(os.cpu_count() or 1, _memory_mb(), args.max_proc)
    sizes = tuple(int(value) for value in args.sizes.split(","))
    print(f"\n## On paper: a node of {node.cores} cores, max_proc {node.max_proc}, polite\n")
    print("\n".join(paper_table(costs, node, sizes)))
    print(f"\n{costs}; memory allows max_proc {int(node.memory_mb // costs.rss_mb)}")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _memory_mb() -> float:
    """What jobs may take of the machine's memory (MB): four fifths, the rest for the
    system, Scrapyd and the page cache."""
    return 0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20


if __name__ == "__main__":
    main()
