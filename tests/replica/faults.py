"""Fault and hostile-content modes of the replica: ``ReplicaConfig.faults``.

Each name in ``config.faults`` switches one misbehaviour on; several can be
combined (``gzip`` compresses whatever the others answer).  A name may carry
an argument after ``=``, e.g. ``offsite=http://localhost:8001`` (the "other
host" that off-site links and redirects point to).

Network faults hit the *victims*: every :data:`VICTIM_EVERY`-th post, starting
at index :data:`VICTIM_START` of ``site.posts`` (newest first), on their first
one (or two) requests only, so a crawler that retries gets every post.

Every request a faulty replica answers is logged with its monotonic time
(:func:`log`), so tests can measure how long a crawler waited.
"""

from __future__ import annotations

import gzip
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import lxml.html

from tests.replica.config import ReplicaConfig
from tests.replica.markup import Ctx
from tests.replica.model import Post
from tests.replica.routes import Response, route
from tests.replica.server import Request
from tests.replica.site import Site, site_for

VICTIM_START = 3
VICTIM_EVERY = 7
#: Longer than the DOWNLOAD_TIMEOUT the timeout test sets.
SLOW_S = 2.5
RETRY_AFTER_S = 1
#: The post page of the ``huge`` fault is padded to this size.
HUGE_BYTES = 3 * 1024 * 1024
#: What the decompression bomb inflates to.
BOMB_BYTES = 1024 * 1024 * 1024
OLD_SLUG_PREFIX = "alter-"
NOT_HTML = {
    "whitepaper-cloud-souveraenitaet/": ("application/pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"),
    "infografik-ki-im-amt/": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    "daten-export-beitraege/": ("application/json", b'{"posts": [1, 2, 3]}'),
}
EVIL_PATHS = ("..%2F..%2F..%2Fetc%2Fpasswd/", "%2e%2e/%2e%2e/%2e%2e/etc/passwd/", "x" * 240 + "/")
HOSTILE_MARKUP = (
    "<script>document.title='pwned'</script>"
    "<style>body{display:none}</style>"
    '<p>Bild: <img src="x.png" onerror="alert(1)"> und '
    '<a href="javascript:alert(2)">Link eins</a> und '
    '<a href=" JaVaScRiPt:alert(3)">Link zwei</a></p>'
    '<iframe src="https://example.invalid/"></iframe>'
    '<svg onload="alert(4)"><circle r="1"></circle></svg>'
    '<p onclick="alert(5)" onmouseover="alert(6)">Klicktext</p>'
)


@dataclass
class Logged:
    """One request as the faulty replica answered it."""

    at: float
    path: str
    status: int
    fault: str


@dataclass
class FaultState:
    """Per-config memory: how often each path was asked, and the request log."""

    hits: dict[str, int] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, path: str) -> int:
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]


@dataclass
class Hit:
    """A request seen by the fault handlers: which post it asks for and how often."""

    request: Request
    config: ReplicaConfig
    site: Site
    rel: str  # path below the blog prefix
    count: int  # requests for this path so far, this one included
    args: dict[str, str]

    @property
    def post(self) -> Post | None:
        return self.site.by_slug.get(self.rel.strip("/")) if self.rel.count("/") == 1 else None

    @property
    def home(self) -> bool:
        return self.rel == "" and not self.request.query

    def url(self, rel: str) -> str:
        return self.args["base"] + rel


_STATES: dict[int, tuple[ReplicaConfig, FaultState]] = {}
_STATES_LOCK = threading.Lock()


def state_of(config: ReplicaConfig) -> FaultState:
    """The fault memory of the server serving ``config`` (created on first use)."""
    with _STATES_LOCK:
        entry = _STATES.get(id(config))
        if entry is None or entry[0] is not config:
            entry = _STATES[id(config)] = (config, FaultState())
        return entry[1]


def log(config: ReplicaConfig) -> list[Logged]:
    """Every request answered so far under ``config``'s faults, in order."""
    state = state_of(config)
    with state.lock:
        return list(state.log)


def victims(site: Site) -> list[Post]:
    """The posts network faults hit."""
    return site.posts[VICTIM_START::VICTIM_EVERY]


def latin1_cases(site: Site) -> dict[str, list[Post]]:
    """The ``latin1`` victims by case: ``header``, ``meta`` and ``wrong`` (declared UTF-8)."""
    hit = victims(site)
    return {"header": hit[0::3], "meta": hit[1::3], "wrong": hit[2::3]}


def huge_post(site: Site) -> Post:
    return victims(site)[0]


def hostile_post(site: Site) -> Post:
    return site.posts[1]


def respond(request: Request, config: ReplicaConfig) -> Response | None:
    """The server's fault hook (see :func:`tests.replica.server.fault_response`)."""
    names = dict(_split(name) for name in config.faults)
    prefix = config.path_prefix
    if not request.path.startswith(prefix) and request.path != "/robots.txt":
        return None
    arrived = time.monotonic()
    rel = "robots.txt" if request.path == "/robots.txt" else request.path[len(prefix) :]
    state = state_of(config)
    site = site_for(config.edition, config.n_posts)
    hit = Hit(request, config, site, rel, state.count(request.path), names)
    hit.args["base"] = _base(request, config)
    response, fault = _first_fault(hit, names)
    if "gzip" in names:
        response = _gzipped(response or request.normal(), request)
        fault = fault or ("gzip" if "Content-Encoding" in response.headers else "")
    with state.lock:
        status = response.status if response else 200
        state.log.append(Logged(arrived, request.path, status, fault))
    return response


def _split(name: str) -> tuple[str, str]:
    key, _, arg = name.partition("=")
    return key, arg


def _base(request: Request, config: ReplicaConfig) -> str:
    host = request.headers.get("host", "127.0.0.1")
    return f"http://{host}{config.path_prefix}"


def _first_fault(hit: Hit, names: dict[str, str]) -> tuple[Response | None, str]:
    for name in sorted(names):
        handler = HANDLERS.get(name)
        response = handler(hit) if handler else None
        if response is not None:
            return response, name
    return None, ""


# -- network faults -------------------------------------------------------------------


def _is_victim(hit: Hit) -> bool:
    post = hit.post
    return post is not None and post in victims(hit.site)


def _server_error(hit: Hit) -> Response | None:
    if not _is_victim(hit):
        return None
    assert hit.post is not None
    failures = 1 + hit.site.index[hit.post.post_id] % 2
    if hit.count > failures:
        return None
    return Response(500 if hit.count == 1 else 502, b"<h1>Internal Server Error</h1>")


def _timeout(hit: Hit) -> Response | None:
    if not _is_victim(hit) or hit.count > 1:
        return None
    response = hit.request.normal()
    response.delay_s = SLOW_S
    return response


def _retry_after(status: int) -> Callable[[Hit], Response | None]:
    def fault(hit: Hit) -> Response | None:
        if not _is_victim(hit) or hit.count > 1:
            return None
        headers = {"Retry-After": str(RETRY_AFTER_S)}
        return Response(status, b"<h1>Slow down</h1>", headers=headers)

    return fault


def _reset(hit: Hit) -> Response | None:
    if not _is_victim(hit) or hit.count > 1:
        return None
    return Response(200, raw=b"HTTP/1.1 200 OK\r\nContent-Type: text/ht")


# -- content faults -------------------------------------------------------------------


def _old_slug(hit: Hit) -> Response | None:
    old = {f"{OLD_SLUG_PREFIX}{p.slug}/": p for p in victims(hit.site)}
    if hit.rel in old:
        return Response(301, b"", headers={"Location": hit.url(old[hit.rel].path)})
    return _with_home_links(hit, list(old)) if hit.home else None


def _truncated(hit: Hit) -> Response | None:
    if not _is_victim(hit):
        return None
    response = hit.request.normal()
    response.body = response.body[: _middle_of_body(response.body)]
    return response


def _middle_of_body(html: bytes) -> int:
    """A cut in the middle of the post's third paragraph (inside its text)."""
    start = max(html.find(b"entry-content"), html.find(b"<body"))
    cut = start
    for _ in range(3):
        cut = html.find(b"<p>", cut + 1)
    end = html.find(b"</p>", cut)
    return (cut + end) // 2 if 0 < cut < end else len(html) // 2


def _latin1(hit: Hit) -> Response | None:
    post = hit.post
    cases = latin1_cases(hit.site)
    case = next((name for name, posts in cases.items() if post in posts), None)
    if case is None:
        return None
    response = hit.request.normal()
    html = response.body.decode("utf-8")
    declared = 'charset="ISO-8859-1"' if case == "meta" else ""
    html = html.replace('<meta charset="UTF-8">', f"<meta {declared}>" if declared else "", 1)
    response.body = _latin1_bytes(html)
    response.content_type = {
        "header": "text/html; charset=ISO-8859-1",
        "meta": "text/html",
        "wrong": "text/html; charset=UTF-8",
    }[case]
    return response


_SCRIPT = re.compile(r"(<script\b.*?</script>)", re.DOTALL | re.IGNORECASE)


def _latin1_bytes(html: str) -> bytes:
    """``html`` in ISO-8859-1; characters it lacks become ``&#…;`` in markup and
    ``\\uXXXX`` inside scripts (JSON-LD), where character references mean nothing."""
    parts = _SCRIPT.split(html)
    for i in range(1, len(parts), 2):
        parts[i] = "".join(c if ord(c) < 256 else f"\\u{ord(c):04x}" for c in parts[i])
    return "".join(parts).encode("latin-1", errors="xmlcharrefreplace")


def _gzipped(response: Response, request: Request) -> Response:
    accepts = "gzip" in request.headers.get("accept-encoding", "")
    if response.raw is not None or not response.body or not accepts:
        return response
    response.body = gzip.compress(response.body, mtime=0)
    response.headers["Content-Encoding"] = "gzip"
    return response


def _huge(hit: Hit) -> Response | None:
    if hit.post is not huge_post(hit.site):
        return None
    response = hit.request.normal()
    filler = b"<p>" + b"Lorem ipsum dolor sit amet. " * 40 + b"</p>\n"
    padding = filler * (HUGE_BYTES // len(filler) + 1)
    response.body = response.body.replace(b"</article>", padding + b"</article>", 1)
    return response


def _not_html(hit: Hit) -> Response | None:
    if hit.rel in NOT_HTML:
        content_type, body = NOT_HTML[hit.rel]
        return Response(200, body, content_type)
    return _with_home_links(hit, list(NOT_HTML)) if hit.home else None


def _unknown_theme(hit: Hit) -> Response | None:
    if hit.post is None:
        return None
    response = hit.request.normal()
    response.body = _without_authors_and_tags(response.body)
    return response


_BYLINE_XPATH = (
    "//script[@type='application/ld+json'] | //meta[@property='article:tag']"
    " | //meta[starts-with(@name, 'twitter:')] | //meta[@name='author']"
    " | //*[contains(@class, 'author') or contains(@class, 'byline')"
    " or contains(@class, 'tags-links') or contains(@class, 'cat-links')]"
    " | //a[contains(@rel, 'tag') or contains(@rel, 'author')]"
)


def _without_authors_and_tags(html: bytes) -> bytes:
    """The page as an unknown theme would show it: no byline, tag list or metadata."""
    doc = lxml.html.document_fromstring(html)
    for element in doc.xpath(_BYLINE_XPATH):
        element.drop_tree()
    for element in doc.xpath("//*[@class]"):
        kept = [c for c in element.get("class").split() if not c.startswith(("tag-", "author"))]
        element.set("class", " ".join(kept))
    return b"<!DOCTYPE html>\n" + lxml.html.tostring(doc, encoding="utf-8")


# -- hostile content ------------------------------------------------------------------


def _offsite(hit: Hit) -> Response | None:
    """Links, sitemap entries, robots lines and a redirect that lead to another host."""
    other = hit.args["offsite"].rstrip("/")
    if hit.rel == "weiterleitung/":
        return Response(301, b"", headers={"Location": f"{other}/ziel/"})
    if hit.rel == "robots.txt":
        response = hit.request.normal()
        response.body += f"\nSitemap: {other}/sitemap.xml\n".encode()
        return response
    if hit.home:
        return _with_home_links(hit, ["weiterleitung/", f"{other}/fremder-beitrag/"])
    if hit.rel.endswith(".xml"):
        return _with_sitemap_entry(hit, f"{other}/fremde-sitemap-seite/")
    return None


def _with_sitemap_entry(hit: Hit, url: str) -> Response | None:
    response = hit.request.normal()
    if b"</urlset>" in response.body:
        entry = f"<url><loc>{url}</loc></url></urlset>".encode()
        response.body = response.body.replace(b"</urlset>", entry)
    if b"</sitemapindex>" in response.body:
        entry = f"<sitemap><loc>{url}sitemap.xml</loc></sitemap></sitemapindex>".encode()
        response.body = response.body.replace(b"</sitemapindex>", entry)
    return response


_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def _xml_bomb(hit: Hit) -> Response | None:
    """Sitemaps and the feed with entity expansion and external entities."""
    other = hit.args["xml-bomb"].rstrip("/")
    external = (
        '<!DOCTYPE x [<!ENTITY file SYSTEM "file:///etc/passwd">'
        f'<!ENTITY net SYSTEM "{other}/xxe.dtd">]>'
    )
    if hit.rel == "wp-sitemap.xml":
        body = _LAUGHS + "<sitemapindex><sitemap><loc>&lol9;</loc></sitemap></sitemapindex>"
        return Response(200, body.encode(), "application/xml")
    if hit.rel == "sitemap_index.xml":
        body = f'<?xml version="1.0"?>{external}<urlset><url><loc>&net;</loc></url></urlset>'
        return Response(200, body.encode(), "application/xml")
    if hit.rel == "feed/":
        body = f'<?xml version="1.0"?>{external}<rss><channel><item><link>&file;</link>'
        body += "<title>&net;</title></item></channel></rss>"
        return Response(200, body.encode(), "application/rss+xml")
    return None


@cache
def gzip_bomb() -> bytes:
    """A gzip stream of :data:`BOMB_BYTES` zero bytes, about 4.5 MB: below
    DOWNLOAD_MAXSIZE, so only the inflated size can stop it."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))]
    return b"".join([*parts, packer.flush()])


def _gzip_bomb(hit: Hit) -> Response | None:
    if hit.rel == "bombe/":
        headers = {"Content-Encoding": "gzip"}
        return Response(200, gzip_bomb(), "text/html; charset=UTF-8", headers)
    return _with_home_links(hit, ["bombe/"]) if hit.home else None


def _hostile_body(hit: Hit) -> Response | None:
    if hit.post is not hostile_post(hit.site):
        return None
    response = hit.request.normal()
    html = response.body
    start = html.find(b"<p>", html.find(b"entry-content"))
    response.body = html[:start] + HOSTILE_MARKUP.encode() + html[start:]
    return response


def _evil_paths(hit: Hit) -> Response | None:
    """Post pages under URLs made to escape a directory or overflow a file name."""
    if hit.home:
        return _with_home_links(hit, list(EVIL_PATHS))
    raw = hit.request.path[len(hit.config.path_prefix) :]
    if raw not in EVIL_PATHS and hit.rel not in EVIL_PATHS:
        return None
    model = hit.site.posts[2]
    page = route(Ctx(hit.args["base"], hit.site, hit.config), model.path, {}).body
    real = hit.url(model.path).encode()
    return Response(200, page.replace(real, hit.url(raw).encode()))


def _with_home_links(hit: Hit, rels: list[str]) -> Response:
    response = hit.request.normal()
    links = "".join(f'<a href="{hit.url(r) if "://" not in r else r}">mehr</a>' for r in rels)
    response.body = response.body.replace(b"</body>", f"<p>{links}</p></body>".encode(), 1)
    return response


HANDLERS: dict[str, Callable[[Hit], Response | None]] = {
    "5xx": _server_error,
    "timeout": _timeout,
    "429": _retry_after(429),
    "503-retry-after": _retry_after(503),
    "reset": _reset,
    "old-slug": _old_slug,
    "truncated-html": _truncated,
    "latin1": _latin1,
    "huge": _huge,
    "not-html": _not_html,
    "unknown-theme": _unknown_theme,
    "offsite": _offsite,
    "xml-bomb": _xml_bomb,
    "gzip-bomb": _gzip_bomb,
    "hostile-body": _hostile_body,
    "evil-paths": _evil_paths,
}
