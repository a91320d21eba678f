"""The ``-a`` options of a crawl, checked before anything is fetched.

A bad option is the person's mistake, not the blog's: it ends the crawl with one
line and exit status 2 (:class:`blog.errors.BadSpiderArgument`).  Scrapyd adds
its own options to every crawl it starts (:data:`SCRAPYD_OPTIONS`); they are
accepted by every spider, and the job id is kept in the crawl's identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from blog.errors import BadSpiderArgument

TRUE = ("1", "true", "yes")
FALSE = ("0", "false", "no")
#: What ``scrapyd.runner`` passes as ``-a``: the job's id, and the egg's version when
#: schedule.json named one.
SCRAPYD_OPTIONS = ("_job", "_version")


@dataclass(frozen=True)
class CrawlArguments:
    """``site`` names the archive's folder and profile; ``base_url`` is the blog's root
    as given (None: the profile's); ``full`` asks for every post again; ``job`` is
    the Scrapyd job running the crawl (empty outside Scrapyd)."""

    site: str
    base_url: str | None
    full: bool
    job: str = ""


def parse_arguments(
    spider: str, options: tuple[str, ...], default_site: str | None, args: dict[str, Any]
) -> CrawlArguments:
    """The options of ``spider`` from ``args``; raise :class:`BadSpiderArgument`."""
    unknown = sorted(set(args) - set(options) - set(SCRAPYD_OPTIONS))
    if unknown:
        accepted = ", ".join(f"-a {o}=…" for o in options)
        raise BadSpiderArgument(f"unknown option -a {unknown[0]}=…; {spider} accepts: {accepted}")
    site = str(args.get("site") or default_site or "")
    if not site:
        raise BadSpiderArgument(f"{spider} needs -a site=NAME (the archive's folder name)")
    if not _is_safe_site_name(site):
        raise BadSpiderArgument(f"bad site name {site!r}: use letters, digits, '-' and '_'")
    base_url = None if args.get("base_url") is None else str(args["base_url"])
    if base_url is not None:
        _check_base_url(base_url)
    elif default_site is None:
        raise BadSpiderArgument(f"{spider} needs -a base_url=URL (the blog's root)")
    full = str(args.get("full", "false")).lower()
    if full not in (*TRUE, *FALSE):
        raise BadSpiderArgument("-a full= takes true or false")
    return CrawlArguments(site, base_url, full in TRUE, str(args.get("_job") or ""))


def _check_base_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadSpiderArgument(f"base_url {url!r} is not an http(s) URL with a host")


def _is_safe_site_name(name: str) -> bool:
    """A folder name that cannot leave the archive directory."""
    return name.replace("-", "").replace("_", "").isalnum() and name.isascii()
