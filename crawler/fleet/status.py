"""Each blog's last crawl, from the nodes' job lists and the blog's crawl log.

Scrapyd lists a job that failed or was killed as "finished", like one that
succeeded; the crawl's own verdict is its row in ``crawls.parquet``.  Since
schema 3 that row names its Scrapyd job (the ``job`` column), and the job's row
is the one with its id: this holds whatever the nodes' clocks say.  Older rows,
and crawls run outside Scrapyd, have no job; for them the match is by time: a
fleet job's id carries the time it was scheduled (:mod:`crawler.fleet.nodes`),
and a blog never has two jobs at once, so the job's row is the first row without
a job that started after it was scheduled (and before the blog's next job).  A
finished job without a row was killed, or failed before its crawl began (a bad
option, an unusable ARCHIVE_DIR): that is a failure too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.fleet.blogs import Blog
from crawler.fleet.nodes import Job


@dataclass(frozen=True)
class BlogStatus:
    """What ``fleet status`` says of one blog: ``failed`` and ``overdue`` make it exit
    non-zero; ``last`` describes the last crawl, ``active`` a job pending or running."""

    blog: Blog
    node: str
    last: str
    failed: bool
    overdue: bool
    active: Job | None = None
    last_healthy: datetime | None = None

    @property
    def ok(self) -> bool:
        return not (self.failed or self.overdue)

    def line(self, now: datetime) -> str:
        """One line: the blog, its verdict and why."""
        verdict = "FAILED" if self.failed else "OVERDUE" if self.overdue else "ok"
        parts = [f"{self.blog.name}: {verdict}", self.last]
        if self.overdue:
            parts.append(_overdue_text(self, now))
        if self.active is not None:
            parts.append(f"job {self.active.id} {self.active.state} on {self.active.node}")
        return "; ".join(parts)


def blog_status(
    blog: Blog, node: str, jobs: list[Job], crawls: list[dict[str, Any]], now: datetime
) -> BlogStatus:
    """``blog``'s status from its ``jobs`` (every node's) and its crawl log's rows."""
    mine = sorted((j for j in jobs if j.blog == blog.name), key=lambda j: j.scheduled_at)
    active = next((j for j in mine if j.active), None)
    finished = [j for j in mine if not j.active]
    healthy = [r["finished_at"] for r in crawls if r["exit_status"] == 0]
    last_healthy = max(healthy, default=None)
    failed, last = _last_crawl(finished[-1] if finished else None, active, crawls)
    overdue = last_healthy is None or now - last_healthy > blog.timing.overdue
    return BlogStatus(blog, node, last, failed, overdue, active, last_healthy)


def last_attempt(blog: str, jobs: list[Job], crawls: list[dict[str, Any]]) -> datetime | None:
    """When ``blog`` was last scheduled or crawled: whichever is later."""
    times = [j.scheduled_at for j in jobs if j.blog == blog]
    times += [r["started_at"] for r in crawls]
    return max(times, default=None)


def _last_crawl(
    job: Job | None, active: Job | None, crawls: list[dict[str, Any]]
) -> tuple[bool, str]:
    """(failed, description) of the last finished crawl."""
    if job is None:  # Scrapyd forgot it (restarted, or past finished_to_keep): the log tells
        return _row_outcome(crawls[-1], "") if crawls else (False, "never crawled")
    row = _row_of(job, active, crawls)
    if row is None:
        where = f" (log: {job.log_url})" if job.log_url else ""
        return True, (
            f"job {job.id} on {job.node} ended without a crawl log row: killed, or failed"
            f" before the crawl began{where}"
        )
    return _row_outcome(row, f"job {job.id} on {job.node}, ")


def _row_of(job: Job, active: Job | None, crawls: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``job``'s row in the crawl log: the one naming it, else (rows without a job)
    the first that started after it was scheduled and before the ``active`` job."""
    named = next((r for r in crawls if r.get("job") == job.id), None)
    if named is not None:
        return named
    until = active.scheduled_at if active is not None else None
    return next(
        (
            r
            for r in sorted(crawls, key=lambda r: r["started_at"])
            if not r.get("job")
            and r["started_at"] >= job.scheduled_at
            and (until is None or r["started_at"] < until)
        ),
        None,
    )


def _row_outcome(row: dict[str, Any], job: str) -> tuple[bool, str]:
    finished = f"{row['finished_at']:%Y-%m-%d %H:%M} UTC"
    if row["exit_status"] == 0:
        return False, f"last crawl {row['crawl_id']} ({job}finished {finished}) healthy"
    reason = row["unhealthy_reason"] or row["finish_reason"]
    return True, (
        f"last crawl {row['crawl_id']} ({job}finished {finished}) exit"
        f" {row['exit_status']}: {reason}"
    )


def _overdue_text(status: BlogStatus, now: datetime) -> str:
    limit = _hours(status.blog.timing.overdue.total_seconds())
    if status.last_healthy is None:
        return f"no healthy crawl yet ({status.blog.schedule}: due within {limit})"
    age = _hours((now - status.last_healthy).total_seconds())
    return f"last healthy crawl {age} ago ({status.blog.schedule}: at most {limit})"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.0f} h"
