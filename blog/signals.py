"""The crawl's own Scrapy signal and close reasons, sent by ``crawler.shutdown``
and received by the archive and the crawl log."""

from __future__ import annotations

#: Sent on the second Ctrl-C / SIGTERM (argument ``reason``): receivers save what
#: they hold now, the process ends right after.
crawl_aborted = object()
ABORTED = "aborted"
#: Close reasons of a crawl that a person or the system interrupted.
INTERRUPTED = frozenset({"shutdown", ABORTED})
