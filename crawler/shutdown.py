"""Ctrl-C and SIGTERM: stop within seconds, keep what was fetched, never exit 0.

Scrapy's own handlers stop gracefully on the first signal, which waits for
every request already handed to the downloader (a polite crawl has a dozen of
them queued behind its delay: ~20 s of silence), and on the second one stop
the reactor at once: the spider never closes, nothing is flushed, no crawl-log
row is written, and ``scrapy crawl`` exits 0.  The ``crawl`` command installs
these handlers instead:

- the first signal says so on stderr at once, drops the requests still waiting
  for their turn in the downloader, and stops the crawl: the requests on the
  wire finish, the archive flushes, the crawl log gets its row (reason
  ``shutdown``) and the command exits 1;
- a second signal aborts: the :data:`crawl_aborted` signal lets the archive
  flush what it holds and the crawl log write its row (reason ``aborted``),
  then the command's ``on_abort`` ends the process without waiting for the
  requests on the wire.
"""

from __future__ import annotations

import inspect
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.ossignal import install_shutdown_handlers, signal_names
from twisted.python.failure import Failure

from blog.signals import ABORTED, crawl_aborted

if TYPE_CHECKING:
    from scrapy.crawler import AsyncCrawlerRunner, Crawler, CrawlerRunner


class Interrupts:
    """The signal handlers of one crawl; see the module docstring."""

    def __init__(
        self,
        process: CrawlerRunner | AsyncCrawlerRunner,
        crawler: Crawler,
        on_abort: Callable[[], None],
        stream: TextIO = sys.stderr,
    ) -> None:
        self.process = process
        self.crawler = crawler
        self.on_abort = on_abort
        self.stream = stream

    def install(self) -> None:
        install_shutdown_handlers(self._first)

    def _first(self, signum: int, _: FrameType | None) -> None:
        # Nothing but scheduling in a signal handler: the interrupted code may
        # hold the stream or the archive half-way through an operation.
        install_shutdown_handlers(self._second)
        _call_in_reactor(self.stop, signum)

    def _second(self, signum: int, _: FrameType | None) -> None:
        install_shutdown_handlers(signal.SIG_IGN)
        _call_in_reactor(self.abort, signum)

    def stop(self, signum: int) -> None:
        """Drop the queued downloads, say what is left, and close the crawl."""
        in_flight = drop_queued_downloads(self.crawler)
        self.stream.write(
            f"{_fresh_line(self.stream)}stopping: finishing {in_flight} requests in flight,"
            f" Ctrl-C again to abort ({signal_names.get(signum, signum)})\n"
        )
        self.stream.flush()
        stopping = self.process.stop()
        if inspect.isawaitable(stopping):  # AsyncCrawlerProcess.stop is a coroutine
            deferred_from_coro(stopping)

    def abort(self, signum: int) -> None:
        """Let the archive and the crawl log save what they can, then end the process."""
        self.stream.write(
            f"{_fresh_line(self.stream)}aborting ({signal_names.get(signum, signum)})\n"
        )
        self.crawler.signals.send_catch_log(signal=crawl_aborted, reason=ABORTED)
        self.on_abort()


def drop_queued_downloads(crawler: Crawler) -> int:
    """Fail every request waiting in a downloader slot (not yet sent) with
    IgnoreRequest; return how many are still on the wire.

    Scrapy's graceful stop has no such option, and a polite crawl's slot holds
    up to ``CONCURRENT_REQUESTS`` requests that leave one per ``DOWNLOAD_DELAY``.
    """
    engine = getattr(crawler, "engine", None)
    downloader = getattr(engine, "downloader", None)
    if downloader is None:
        return 0
    on_wire = 0
    for slot in list(downloader.slots.values()):
        while slot.queue:
            _, deferred = slot.queue.popleft()
            deferred.errback(Failure(IgnoreRequest("the crawl is stopping")))  # type: ignore[no-untyped-call]
        on_wire += len(slot.transferring)
    return on_wire


def _fresh_line(stream: TextIO) -> str:
    """A newline that ends a progress line redrawn in place on a terminal."""
    return "\n" if getattr(stream, "isatty", lambda: False)() else ""


def _call_in_reactor(function: Callable[..., Any], *args: Any) -> None:
    from twisted.internet import reactor

    reactor.callFromThread(function, *args)
