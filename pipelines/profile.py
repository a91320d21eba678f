"""Site profiles: a site's own markup and wording, kept as data.

A profile is ``pipelines/profiles/<name>.toml`` laid over ``default.toml``:
every top-level key and every key of ``[selectors]`` / ``[labels]`` that the
site's file sets replaces the default's; the rest is inherited.  Profiles are
package data, read with :mod:`importlib.resources`, so they are found inside a
zipped egg too (Scrapyd runs the project from one).  Selectors are
CSS, tried in order; labels are visible texts (``"Schlagwörter:"``,
``"Autoreninfo"``) that let extraction read themes it was never written for.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

logger = logging.getLogger(__name__)

PROFILE_DIR: Traversable = files("pipelines") / "profiles"
DEFAULT = "default"


@dataclass(frozen=True)
class SiteProfile:
    """How one site marks up its posts.

    ``timezone`` is an IANA name used for date-only and offset-less dates;
    ``language`` an ISO 639-1 code used when the page declares none (``""``:
    unknown); ``selectors`` maps a field to CSS selectors; ``labels`` maps a
    role (``tags``, ``categories``, ``author_box``, ``by``, ``site_name``,
    ``comment_form``, ``previous``, ``next``, ``related``) to visible texts.
    """

    name: str
    base_url: str = ""
    timezone: str = "Europe/Berlin"
    language: str = ""
    selectors: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()

    def label(self, role: str) -> list[str]:
        return self.labels.get(role, [])

    def selector(self, name: str) -> list[str]:
        return self.selectors.get(name, [])

    def with_overrides(self, **changes: Any) -> SiteProfile:
        """A copy with ``changes``; ``selectors``/``labels`` are merged per key."""
        for key in ("selectors", "labels"):
            if key in changes:
                changes[key] = {**getattr(self, key), **changes[key]}
        return replace(self, **changes)

    def __hash__(self) -> int:
        return hash((self.name, self.base_url, self.timezone, self.language))


def load_profile(name: str) -> SiteProfile:
    """The profile ``name``; an unknown name gets the default profile under that name."""
    return _load(name)


@cache
def _load(name: str) -> SiteProfile:
    default = _read(PROFILE_DIR / f"{DEFAULT}.toml")
    path = PROFILE_DIR / f"{name}.toml"
    site = _read(path) if name != DEFAULT and path.is_file() else {}
    if name != DEFAULT and not site:
        logger.debug("no profile %r, using the default one", name)
    merged = {**default, **site}
    for key in ("selectors", "labels"):
        merged[key] = {**default.get(key, {}), **site.get(key, {})}
    merged["name"] = name
    merged["date_formats"] = tuple(merged.get("date_formats", ()))
    return SiteProfile(**merged)


def _read(path: Traversable) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def profile_names() -> list[str]:
    """The names of the packaged site profiles (``default`` among them)."""
    names = (path.name for path in PROFILE_DIR.iterdir())
    return sorted(name.removesuffix(".toml") for name in names if name.endswith(".toml"))
