"""A Scrapyd node's HTTP API, as the fleet uses it (``urllib``; no client library).

Scrapyd answers errors with HTTP 200 and ``{"status": "error", "message": …}``;
every answer is checked, and anything but ``"ok"`` is a :class:`NodeError`.

The fleet names its jobs ``<blog>.<UTC time it was scheduled>``
(``materna.20261128T031700Z``): Scrapyd's job list gives a finished job's id but
not its arguments, so the id itself says whose job it is and since when.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from blog.errors import UserFacingError
from crawler.fleet.pinning import node_key

JOB_TIME = "%Y%m%dT%H%M%SZ"
STATES = ("pending", "running", "finished")


class NodeError(UserFacingError):
    """A node did not answer, or answered with an error."""


@dataclass(frozen=True)
class Job:
    """A fleet job on a node: ``state`` is pending, running or finished (Scrapyd's
    word: a job that failed or was killed is finished too)."""

    node: str
    id: str
    blog: str
    scheduled_at: datetime
    state: str
    log_url: str = ""

    @property
    def active(self) -> bool:
        return self.state != "finished"


def job_id(blog: str, at: datetime) -> str:
    """The id of ``blog``'s job scheduled at ``at``."""
    return f"{blog}.{at.astimezone(UTC):{JOB_TIME}}"


def parse_job_id(value: str) -> tuple[str, datetime] | None:
    """(blog, scheduled_at) of a fleet job id; None for ids the fleet did not give."""
    blog, dot, stamp = value.rpartition(".")
    if not dot or not blog:
        return None
    try:
        return blog, datetime.strptime(stamp, JOB_TIME).replace(tzinfo=UTC)
    except ValueError:
        return None


class ScrapydNode:
    """One Scrapyd server at ``url`` (``http://host:6800``)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = node_key(url)
        self.timeout = timeout

    def jobs(self, project: str) -> list[Job]:
        """The fleet's jobs of ``project`` on this node, in every state."""
        answer = self._call("listjobs.json", {"project": project})
        return [
            job
            for state in STATES
            for entry in answer.get(state, [])
            if (job := self._job(entry, state)) is not None
        ]

    def busy_slots(self) -> int:
        """Jobs running or waiting on this node (``daemonstatus.json``), all projects."""
        answer = self._call("daemonstatus.json")
        return int(answer.get("running", 0)) + int(answer.get("pending", 0))

    def schedule(
        self, project: str, spider: str, job: str, args: dict[str, str], settings: dict[str, str]
    ) -> None:
        """Queue ``spider`` with ``-a`` ``args`` and ``-s`` ``settings`` as job ``job``."""
        form = [("project", project), ("spider", spider), ("jobid", job), *args.items()]
        form += [("setting", f"{name}={value}") for name, value in settings.items()]
        self._call("schedule.json", form=form)

    def cancel(self, project: str, job: str, signal: str = "INT") -> str | None:
        """Stop ``job`` (SIGINT: our crawl stops gracefully); its previous state."""
        form = [("project", project), ("job", job), ("signal", signal)]
        prevstate: str | None = self._call("cancel.json", form=form).get("prevstate")
        return prevstate

    def _job(self, entry: dict[str, Any], state: str) -> Job | None:
        parsed = parse_job_id(str(entry.get("id", "")))
        if parsed is None:
            return None
        log_url = entry.get("log_url") or ""
        return Job(self.url, entry["id"], *parsed, state, f"{self.url}{log_url}" if log_url else "")

    def _call(
        self,
        endpoint: str,
        query: dict[str, str] | None = None,
        form: list[tuple[str, str]] | None = None,
    ) -> dict[str, Any]:
        url = f"{self.url}/{endpoint}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with urllib.request.urlopen(url, data=data, timeout=self.timeout) as response:
                answer: dict[str, Any] = json.load(response)
        except (OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise NodeError(f"Scrapyd at {self.url} did not answer {endpoint}: {reason}") from error
        if answer.get("status") != "ok":
            message = str(answer.get("message", answer)).strip()
            raise NodeError(f"Scrapyd at {self.url} refused {endpoint}: {message}")
        return answer
