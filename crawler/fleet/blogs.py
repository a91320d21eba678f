"""The fleet file (``fleet.toml``): the blogs, read and checked in one place.

::

    [[blog]]
    name = "materna"                        # the archive's folder, as -a site=
    base_url = "https://blog.materna.de/"
    schedule = "nightly"                    # or "weekly"; default nightly
    profile = "materna"                     # optional: "default" or the blog's name
                                            # (default: its own profile if there is one)

A bad file is the person's mistake: :class:`FleetFileError` says what is wrong in
one line, and the command exits 2.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from blog.errors import BadSpiderArgument, UserFacingError
from crawler.arguments import parse_arguments
from pipelines.profile import DEFAULT, profile_names


@dataclass(frozen=True)
class Schedule:
    """How often a blog is crawled: ``due`` after its last attempt it is scheduled
    again; ``overdue`` after its last healthy crawl ``fleet status`` fails."""

    due: timedelta
    overdue: timedelta


SCHEDULES = {
    # a few hours less than the period, so a cron that runs at the same hour is never late
    "nightly": Schedule(due=timedelta(hours=20), overdue=timedelta(hours=36)),
    "weekly": Schedule(due=timedelta(days=6, hours=20), overdue=timedelta(days=8)),
}
KEYS = ("name", "base_url", "schedule", "profile", "full_crawl")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: when a job is a full crawl (``-a full=true``): the weekly check that sees what an
#: incremental crawl cannot (navigation that moved, posts edited without a new date)
FULL_CRAWLS = (*WEEKDAYS, "always", "never")
#: a nightly blog gets its full crawl on Sundays, as the README's cron does; a weekly
#: blog's one crawl a week is that check
DEFAULT_FULL_CRAWL = {"nightly": "sunday", "weekly": "always"}


class FleetFileError(UserFacingError):
    """The fleet file cannot be read or says something we cannot work with."""


@dataclass(frozen=True)
class Blog:
    """One blog of the fleet: its archive's name, root URL, schedule class and the
    site profile its crawl reads (``pipelines/profiles/<profile>.toml``)."""

    name: str
    base_url: str
    schedule: str = "nightly"
    profile: str = DEFAULT
    full_crawl: str = ""  # a weekday (in UTC), "always" or "never"; "": the schedule's default

    @property
    def timing(self) -> Schedule:
        return SCHEDULES[self.schedule]

    def is_full_crawl(self, at: datetime) -> bool:
        """Whether a job scheduled ``at`` (aware) fetches every post again."""
        when = self.full_crawl or DEFAULT_FULL_CRAWL[self.schedule]
        return when == "always" or when == WEEKDAYS[at.astimezone(UTC).weekday()]

    def crawl_args(self, at: datetime) -> dict[str, str]:
        """The ``-a`` options of this blog's crawl scheduled ``at``."""
        full = {"full": "true"} if self.is_full_crawl(at) else {}
        return {"site": self.name, "base_url": self.base_url, **full}


def load_fleet(path: Path) -> list[Blog]:
    """The blogs of the fleet file at ``path``, in file order."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FleetFileError(f"cannot read the fleet file {path}: {error.strerror}") from error
    return parse_fleet(text, str(path))


def parse_fleet(text: str, source: str = "fleet.toml") -> list[Blog]:
    """The blogs in ``text``; :class:`FleetFileError` naming ``source`` when it is bad."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FleetFileError(f"{source}: not TOML: {error}") from error
    unknown = sorted(set(data) - {"blog"})
    if unknown:
        raise FleetFileError(f"{source}: unknown table {unknown[0]!r}; list blogs as [[blog]]")
    entries = data.get("blog", [])
    if not isinstance(entries, list) or not entries:
        raise FleetFileError(f"{source}: no blogs; list each one as a [[blog]] table")
    blogs = [_blog(entry, f"{source}: blog {n}") for n, entry in enumerate(entries, 1)]
    _check_unique(blogs, source)
    return blogs


def _blog(entry: Any, where: str) -> Blog:
    if not isinstance(entry, dict):
        raise FleetFileError(f"{where}: not a table")
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        raise FleetFileError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(KEYS)})")
    values = {key: entry[key] for key in KEYS if key in entry}
    if not all(isinstance(value, str) for value in values.values()):
        raise FleetFileError(f"{where}: every value is a string")
    for key in ("name", "base_url"):
        if not values.get(key):
            raise FleetFileError(f"{where}: {key} is missing")
    where = f"{where} ({values['name']})"
    try:  # the same checks as the crawl's own -a site= and -a base_url=
        parse_arguments("wordpress", ("site", "base_url"), None, _as_options(values))
    except BadSpiderArgument as error:
        raise FleetFileError(f"{where}: {error}") from error
    if "profile" not in values:  # what the crawl reads when the file says nothing
        values["profile"] = values["name"] if values["name"] in profile_names() else DEFAULT
    blog = Blog(**values)
    _check_schedule_and_profile(blog, where)
    return blog


def _as_options(values: dict[str, str]) -> dict[str, str]:
    return {"site": values["name"], "base_url": values["base_url"]}


def _check_schedule_and_profile(blog: Blog, where: str) -> None:
    if blog.schedule not in SCHEDULES:
        raise FleetFileError(f"{where}: schedule {blog.schedule!r}: use {' or '.join(SCHEDULES)}")
    if blog.profile not in (DEFAULT, blog.name):
        # the crawl reads the profile named after the site (-a site=)
        raise FleetFileError(
            f"{where}: profile {blog.profile!r}: a blog's profile is {DEFAULT!r} or its own name"
        )
    if blog.profile not in profile_names():
        raise FleetFileError(f"{where}: no site profile {blog.profile!r} in pipelines/profiles")
    if blog.full_crawl and blog.full_crawl not in FULL_CRAWLS:
        raise FleetFileError(
            f"{where}: full_crawl {blog.full_crawl!r}: use a weekday (monday … sunday),"
            " always or never"
        )


def _check_unique(blogs: list[Blog], source: str) -> None:
    seen: set[str] = set()
    for blog in blogs:
        if blog.name in seen:
            raise FleetFileError(f"{source}: blog {blog.name!r} is listed twice")
        seen.add(blog.name)
