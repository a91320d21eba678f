"""The URL normaliser: the one place that decides when two URLs name the same page.

Everything that compares, deduplicates or stores a URL passes it through
:func:`normalise_url` first, so a post reached as ``HTTP://Blog.Example/x?utm_source=feed#top``
and as ``http://blog.example/x/`` is fetched and archived once.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|"
    r"replytocom|share|amp|ref|ref_src|wt_mc|cmpid|hsa_\w+|_hs\w+|pk_\w+|mtm_\w+)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str, base: str | None = None) -> str:
    """Return the canonical form of ``url`` (resolved against ``base`` if relative).

    Scheme and host are lower-cased, default ports, fragments and tracking
    parameters (``utm_*``, ``fbclid``, ``replytocom`` …) are dropped, the
    remaining query is sorted, and a path whose last segment has no file
    extension gets a trailing slash (WordPress permalinks end in ``/``).
    """
    return _normalise(urljoin(base, url.strip()) if base is not None else url.strip())


@lru_cache(maxsize=4096)
def _normalise(url: str) -> str:
    """The work of :func:`normalise_url`, cached: sidebars and menus repeat the
    same links on every page of a blog.  A few thousand entries hold those; a
    bigger cache fills with links seen once (share buttons, other posts) and
    makes the crawl's memory grow with the blog."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    path = _with_trailing_slash(parts.path or "/")
    return canonicalize_url(urlunsplit((scheme, host, path, query, "")))


def _is_tracking(param: str) -> bool:
    return bool(_TRACKING_PARAMS.match(param))


def _with_trailing_slash(path: str) -> str:
    if path.endswith("/"):
        return path
    last = posixpath.basename(path)
    return path if "." in last else path + "/"


def same_host(url: str, base_url: str) -> bool:
    """True when ``url`` is on ``base_url``'s host and port (http and https on their
    default ports count as the same place, so an upgrade to https is allowed)."""
    target, base = urlsplit(url), urlsplit(base_url)
    if (target.hostname or "").lower() != (base.hostname or "").lower():
        return False
    return _port(target.scheme, target.port) == _port(base.scheme, base.port) or (
        target.port is None and base.port is None
    )


def _port(scheme: str, port: int | None) -> int | None:
    return port or _DEFAULT_PORTS.get(scheme)


def is_within(url: str, base_url: str) -> bool:
    """True when ``url`` is on ``base_url``'s host and under its path prefix."""
    return same_host(url, base_url) and (urlsplit(url).path or "/").startswith(
        urlsplit(base_url).path or "/"
    )
