"""The HTTP server: a ThreadingHTTPServer on 127.0.0.1 in a daemon thread.

Every request goes through :func:`fault_response` first, then the router.
Successful GET/HEAD answers carry ``ETag`` and ``Last-Modified`` and are
answered with 304 when ``If-None-Match`` (preferred) or ``If-Modified-Since``
says the client already has them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, urlsplit

from tests.replica.config import ReplicaConfig
from tests.replica.markup import Ctx
from tests.replica.routes import Response, route, text
from tests.replica.site import site_for


@dataclass
class Request:
    """One incoming request as the fault hook sees it.  ``normal()`` renders
    the answer the replica would give without faults."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    normal: Callable[[], Response] = field(repr=False)


def fault_response(request: Request, config: ReplicaConfig) -> Response | None:
    """The fault hook, called at the start of every request.

    Returns None to let the normal handler answer.  With ``config.faults``
    non-empty it delegates to ``tests.replica.faults.respond(request, config)``
    (same signature and contract), which may return any :class:`Response`,
    including delayed, truncated or raw ones, or call ``request.normal()`` and
    alter the result.
    """
    if not config.faults:
        return None
    from tests.replica import faults  # type: ignore[attr-defined]  # added later

    return faults.respond(request, config)  # type: ignore[no-any-return]


class ReplicaServer:
    """Serves the replica for ``config`` (read anew on every request)."""

    def __init__(self, config: ReplicaConfig | None = None, port: int = 0) -> None:
        self.config = config or ReplicaConfig()
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.config.path_prefix}"

    def start(self) -> ReplicaServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def answer(self, method: str, target: str, headers: dict[str, str]) -> Response:
        config = self.config
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        request = Request(
            method, parts.path, query, headers, lambda: self._normal(parts.path, query)
        )
        response = fault_response(request, config) or request.normal()
        return _conditional(response, headers) if method in ("GET", "HEAD") else response

    def _normal(self, path: str, query: dict[str, str]) -> Response:
        config = self.config
        ctx = Ctx(self.base_url, site_for(config.edition, config.n_posts), config)
        prefix = config.path_prefix
        if path.startswith(prefix):
            return route(ctx, path[len(prefix) :], query)
        if path == "/robots.txt":
            return route(ctx, "robots.txt", query)
        return text(404, "<!DOCTYPE html><title>Not Found</title><h1>Not Found</h1>")


def _conditional(response: Response, headers: dict[str, str]) -> Response:
    if response.status != 200 or response.raw is not None:
        return response
    etag = '"' + hashlib.sha1(response.body, usedforsecurity=False).hexdigest()[:20] + '"'
    response.headers["ETag"] = etag
    if response.last_modified:
        moment = response.last_modified.astimezone(UTC)
        response.headers["Last-Modified"] = format_datetime(moment, usegmt=True)
    if _not_modified(response, headers, etag):
        return Response(304, b"", response.content_type, response.headers)
    return response


def _not_modified(response: Response, headers: dict[str, str], etag: str) -> bool:
    if "if-none-match" in headers:
        return etag in [t.strip() for t in headers["if-none-match"].split(",")] or (
            headers["if-none-match"].strip() == "*"
        )
    since = headers.get("if-modified-since")
    if not since or response.last_modified is None:
        return False
    try:
        return response.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _handler_for(server: ReplicaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else delayed ACKs cap keep-alive at ~25 req/s
        server_version = "Apache"
        sys_version = ""

        def do_GET(self) -> None:
            self._serve()

        def do_HEAD(self) -> None:
            self._serve()

        def _serve(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = server.answer(self.command, self.path, headers)
            server.record(self.command, self.path, response.status)
            _send(self, response)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _send(handler: BaseHTTPRequestHandler, response: Response) -> None:
    if response.delay_s:
        time.sleep(response.delay_s)
    if response.raw is not None:
        handler.wfile.write(response.raw)
        handler.close_connection = True
        return
    handler.send_response(response.status)
    handler.send_header("Content-Type", response.content_type)
    handler.send_header("Content-Length", str(len(response.body)))
    for name, value in response.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    body = response.body if response.truncate_at is None else response.body[: response.truncate_at]
    if handler.command != "HEAD" and response.status != 304:
        handler.wfile.write(body)
    if response.truncate_at is not None:
        handler.close_connection = True
