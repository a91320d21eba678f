"""The replica's switches: which theme, prefix, edition and size it serves."""

from __future__ import annotations

from dataclasses import dataclass, field

THEMES = ("classic", "block", "builder", "jsonld")
DEFAULT_PREFIX = {"classic": "/", "block": "/blog/", "builder": "/", "jsonld": "/"}
SOURCES = ("wp-sitemap", "yoast-sitemap", "robots-sitemaps", "feed", "rest", "archives")


@dataclass
class ReplicaConfig:
    """Mutable on purpose: a running server reads it on every request.

    theme: one of :data:`THEMES`.  prefix: URL path the blog lives under
    (``/`` or ``/blog/``); None means the theme's default.  edition: 1, or 2 for
    the blog after an update (3 new posts, 2 edited, 1 removed).  n_posts: serve
    this many posts in edition 1 (hand-written plus synthetic; edition 2 then
    has two more); None for the hand-written ones only.  sources_off: names from :data:`SOURCES` to switch
    off.  faults: names handled by ``tests/replica/faults.py`` (see
    :func:`tests.replica.server.fault_response`).
    """

    theme: str = "classic"
    prefix: str | None = None
    edition: int = 1
    n_posts: int | None = None
    sources_off: set[str] = field(default_factory=set)
    faults: set[str] = field(default_factory=set)
    #: Yoast's sitemaps as ``.xml.gz`` files: robots.txt and the index name those.
    gzip_sitemaps: bool = False

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}, expected one of {THEMES}")
        unknown = set(self.sources_off) - set(SOURCES)
        if unknown:
            raise ValueError(f"unknown sources {sorted(unknown)}, expected some of {SOURCES}")

    @property
    def path_prefix(self) -> str:
        """The prefix normalised to ``/…/`` (always starts and ends with a slash)."""
        prefix = self.prefix if self.prefix is not None else DEFAULT_PREFIX[self.theme]
        return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"

    def is_on(self, source: str) -> bool:
        return source not in self.sources_off
