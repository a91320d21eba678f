"""The fleet as a whole: its blogs, its nodes, and the two things done with them.

:meth:`Fleet.schedule` queues the due blogs, each on its pinned node, one job per
blog at most and no more than a node's free slots; :meth:`Fleet.status` tells
each blog's last crawl.  Both first ask every node for its jobs
(:meth:`Fleet.survey`): a blog's job may still sit on a node it was pinned to
before the fleet grew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from crawler.fleet.blogs import Blog, FleetFileError, load_fleet
from crawler.fleet.crawl_logs import CrawlLogs
from crawler.fleet.nodes import Job, NodeError, ScrapydNode, job_id
from crawler.fleet.pinning import node_key, pinned_node
from crawler.fleet.status import BlogStatus, blog_status, last_attempt

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

SPIDER = "wordpress"


@dataclass
class Survey:
    """What the nodes said: every fleet job, each node's busy slots, and the nodes
    that did not answer (with why)."""

    jobs: list[Job] = field(default_factory=list)
    busy: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Fleet:
    blogs: list[Blog]
    nodes: list[ScrapydNode]
    max_proc: int
    project: str
    logs: CrawlLogs
    job_settings: dict[str, str]

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Fleet:
        """The fleet the settings describe; FleetFileError when they cannot work."""
        urls = [url.strip() for url in settings.getlist("FLEET_NODES") if url.strip()]
        if not urls:
            raise FleetFileError("FLEET_NODES is empty: name at least one Scrapyd node")
        max_proc = settings.getint("FLEET_MAX_PROC", 4)
        if max_proc < 1:
            raise FleetFileError("FLEET_MAX_PROC must be at least 1")
        timeout = settings.getfloat("FLEET_TIMEOUT", 30.0)
        return cls(
            blogs=load_fleet(Path(settings.get("FLEET_FILE", "fleet.toml"))),
            nodes=[ScrapydNode(url, timeout) for url in urls],
            max_proc=max_proc,
            project=settings.get("FLEET_PROJECT", "blog-archiver"),
            logs=CrawlLogs.at(settings.get("ARCHIVE_DIR", "data")),
            job_settings={k: str(v) for k, v in settings.getdict("FLEET_JOB_SETTINGS").items()},
        )

    def node_of(self, blog: Blog) -> str:
        return pinned_node(blog.name, [node.url for node in self.nodes])

    def survey(self) -> Survey:
        survey = Survey()
        for node in self.nodes:
            try:
                survey.jobs += node.jobs(self.project)
                survey.busy[node.url] = node.busy_slots()
            except NodeError as error:
                survey.errors[node.url] = str(error)
        return survey

    def check_archive(self) -> None:
        """StoreUnusable (exit 2) when the archive store cannot be reached."""
        self.logs.check()

    def crawls(self, blog: Blog) -> list[dict[str, Any]]:
        """The rows of ``blog``'s crawl log (none before its first crawl)."""
        return self.logs.rows(blog.name)

    def schedule(self, now: datetime) -> tuple[list[str], bool]:
        """Queue every due blog that its node has room for; (lines to print, all well)."""
        survey = self.survey()
        lines = [f"error: {message}" for message in survey.errors.values()]
        counts = {"scheduled": 0, "waiting for a slot": 0, "running or pending": 0, "not due": 0}
        well = not survey.errors
        for blog in self.blogs:
            outcome, line = self._schedule_one(blog, survey, now)
            counts[outcome] = counts.get(outcome, 0) + 1
            well = well and outcome not in ("node unreachable", "refused")
            if line:
                lines.append(line)
        lines.append("fleet: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        return lines, well

    def _schedule_one(self, blog: Blog, survey: Survey, now: datetime) -> tuple[str, str]:
        node = self.node_of(blog)
        active = next((j for j in survey.jobs if j.blog == blog.name and j.active), None)
        if active is not None:
            return "running or pending", ""
        if node in survey.errors:
            return "node unreachable", f"{blog.name}: not scheduled, {node} did not answer"
        try:
            due = self._due(blog, survey.jobs, now)
        except (OSError, pa.ArrowException) as error:
            return "refused", f"error: {blog.name}: crawl log unreadable: {error}"
        if not due:
            return "not due", ""
        if survey.busy[node] >= self.max_proc:
            return "waiting for a slot", f"{blog.name}: waiting, {node} runs {self.max_proc} jobs"
        job = job_id(blog.name, now)
        try:
            self._node(node).schedule(
                self.project, SPIDER, job, blog.crawl_args(now), self._settings()
            )
        except NodeError as error:
            return "refused", f"error: {blog.name}: {error}"
        survey.busy[node] += 1
        return "scheduled", f"{blog.name}: scheduled on {node} as job {job}"

    def _due(self, blog: Blog, jobs: list[Job], now: datetime) -> bool:
        last = last_attempt(blog.name, jobs, self.crawls(blog))
        return last is None or now - last >= blog.timing.due

    def _settings(self) -> dict[str, str]:
        return {**self.job_settings, "ARCHIVE_DIR": self.logs.archive}

    def _node(self, url: str) -> ScrapydNode:
        return next(node for node in self.nodes if node.url == node_key(url))

    def status(self, now: datetime) -> tuple[list[str], bool]:
        """Each blog's line and whether every blog is well (no failure, none overdue)."""
        survey = self.survey()
        lines = [f"error: {message}" for message in survey.errors.values()]
        statuses = [self._status_one(blog, survey, now) for blog in self.blogs]
        lines += [status.line(now) for status in statuses]
        bad = sum(not status.ok for status in statuses)
        lines.append(f"fleet: {len(statuses) - bad} of {len(statuses)} blogs well")
        return lines, bad == 0 and not survey.errors

    def _status_one(self, blog: Blog, survey: Survey, now: datetime) -> BlogStatus:
        node = self.node_of(blog)
        try:
            crawls = self.crawls(blog)
        except (OSError, pa.ArrowException) as error:
            return BlogStatus(blog, node, f"crawl log unreadable: {error}", True, True)
        return blog_status(blog, node, survey.jobs, crawls, now)
