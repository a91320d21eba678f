"""Extraction in worker processes, so that a crawl uses more than one core.

Scrapy runs everything on one thread, and extraction is most of a fast crawl's
CPU time.  :class:`ExtractorProcesses` hands pages to ``count`` worker
processes (``python -m pipelines.extract.processes``) and awaits their
:class:`~pipelines.extract.Extraction` results.

Plain pipes, not :mod:`concurrent.futures`: a worker reads its jobs from
stdin and exits when stdin closes, which also happens when the crawl is
killed with ``SIGKILL``, so no worker outlives its crawl.  A message is a
4-byte length and a pickle; both ends are this code.

A worker that fails on a page, or dies, costs nothing but time: the caller
extracts that page in its own process (:class:`WorkerGone`), where the
error, if any, is raised as it would have been without workers.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import signal
import struct
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from pipelines.extract import Extraction, extract
from pipelines.extract.page import decode_page
from pipelines.profile import SiteProfile

_LENGTH = struct.Struct(">I")


def run_extraction(
    body: bytes, encoding: str | None, url: str, profile: SiteProfile | None, now: datetime | None
) -> tuple[Extraction, float]:
    """Decode and extract one fetched page; return the result and the seconds it took."""
    started = time.perf_counter()
    result = extract(decode_page(body, encoding), url, profile=profile, now=now)
    return result, time.perf_counter() - started


class WorkerGone(RuntimeError):
    """No worker gave a result for this page: extract it in this process instead."""


@dataclass
class _Worker:
    process: asyncio.subprocess.Process
    pending: dict[int, asyncio.Future[tuple[Extraction, float]]] = field(default_factory=dict)
    alive: bool = True
    reader: asyncio.Task[None] | None = None


class ExtractorProcesses:
    """``count`` extraction workers, started on the first :meth:`extract`."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.lost = 0  # workers that died during the crawl
        self._workers: list[_Worker] = []
        self._jobs = itertools.count()
        self._turn = itertools.count()
        self._started: asyncio.Task[None] | None = None

    async def extract(
        self,
        body: bytes,
        encoding: str | None,
        url: str,
        profile: SiteProfile | None,
        now: datetime | None,
    ) -> tuple[Extraction, float]:
        """What :func:`run_extraction` returns, computed by a worker; or WorkerGone."""
        if self._started is None:
            self._started = asyncio.ensure_future(self._start())
        try:
            await self._started
        except OSError as exc:  # no worker could be started: every page is extracted here
            raise WorkerGone(f"cannot start an extraction worker: {exc}") from exc
        worker = self._next_worker()
        job = next(self._jobs)
        future: asyncio.Future[tuple[Extraction, float]] = (
            asyncio.get_running_loop().create_future()
        )
        worker.pending[job] = future
        message = pickle.dumps((job, body, encoding, url, profile, now), pickle.HIGHEST_PROTOCOL)
        stdin = worker.process.stdin
        assert stdin is not None
        try:
            stdin.write(_LENGTH.pack(len(message)) + message)
            await stdin.drain()
        except (ConnectionError, RuntimeError) as exc:
            worker.pending.pop(job, None)
            self._lose(worker)
            raise WorkerGone(str(exc)) from exc
        return await future

    async def close(self) -> None:
        """Close the workers' stdin and wait for them to exit."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if worker.process.stdin is not None:
                worker.process.stdin.close()
        for worker in workers:
            await worker.process.wait()
            if worker.reader is not None:
                await worker.reader

    async def _start(self) -> None:
        env = {**os.environ, "PYTHONPATH": _import_path()}
        for _ in range(self.count):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                __name__,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
            worker = _Worker(process)
            worker.reader = asyncio.ensure_future(self._read(worker))
            self._workers.append(worker)

    def _next_worker(self) -> _Worker:
        alive = [worker for worker in self._workers if worker.alive]
        if not alive:
            raise WorkerGone("no extraction worker is running")
        return alive[next(self._turn) % len(alive)]

    async def _read(self, worker: _Worker) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        try:
            while True:
                length = _LENGTH.unpack(await stdout.readexactly(_LENGTH.size))[0]
                job, result = pickle.loads(await stdout.readexactly(length))
                future = worker.pending.pop(job)
                if isinstance(result, str):
                    future.set_exception(WorkerGone(result))
                else:
                    future.set_result(result)
        except (asyncio.IncompleteReadError, ConnectionError):
            self._lose(worker)

    def _lose(self, worker: _Worker) -> None:
        # after close() (no workers listed) a worker's end is expected, not a loss
        if worker.alive and self._workers:
            self.lost += 1
        worker.alive = False
        pending, worker.pending = worker.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerGone("the extraction worker exited"))


def _import_path() -> str:
    """PYTHONPATH for a worker: the directory this package was imported from first."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH")
    return os.pathsep.join([here, rest] if rest else [here])


def serve(jobs: BinaryIO, results: BinaryIO) -> None:
    """The worker's loop: a job in, a result out, until ``jobs`` ends.

    A page the extractor fails on answers with the error's text; the crawl
    then extracts it itself and sees the error there.
    """
    while len(header := jobs.read(_LENGTH.size)) == _LENGTH.size:
        job, body, encoding, url, profile, now = pickle.loads(jobs.read(_LENGTH.unpack(header)[0]))
        try:
            result: object = run_extraction(body, encoding, url, profile, now)
        except Exception as exc:  # noqa: BLE001 - reported, and raised again by the crawl
            result = f"{type(exc).__name__}: {exc}"
        message = pickle.dumps((job, result), pickle.HIGHEST_PROTOCOL)
        results.write(_LENGTH.pack(len(message)) + message)
        results.flush()


def main() -> None:
    """Serve jobs on stdin; results go to the real stdout, anything printed to stderr."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, results)


if __name__ == "__main__":
    main()
