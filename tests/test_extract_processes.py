"""Extraction in worker processes: the same results as in the crawl's process,
and a failing or dead worker costs a page nothing but time."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

import pytest

from pipelines.extract.processes import ExtractorProcesses, WorkerGone, run_extraction
from pipelines.profile import load_profile

PAGES = sorted((Path(__file__).parent / "pages").glob("*.html"))
PROFILE = load_profile("materna")


def test_workers_give_what_the_crawls_own_process_gives() -> None:
    async def in_workers() -> list[object]:
        workers = ExtractorProcesses(2)
        try:
            jobs = [
                workers.extract(p.read_bytes(), "utf-8", f"https://b/{p.stem}/", PROFILE, None)
                for p in PAGES
            ]
            return [result for result, _ in await asyncio.gather(*jobs)]
        finally:
            await workers.close()

    here = [
        run_extraction(p.read_bytes(), "utf-8", f"https://b/{p.stem}/", PROFILE, None)[0]
        for p in PAGES
    ]
    assert len(PAGES) >= 5
    assert asyncio.run(in_workers()) == here
    assert any(result.kind == "post" for result in here)


def test_a_page_the_worker_fails_on_is_handed_back() -> None:
    broken = PROFILE.with_overrides(timezone="Nowhere/Atlantis")
    page = PAGES[0].read_bytes()
    with pytest.raises(ZoneInfoNotFoundError):
        run_extraction(page, "utf-8", "https://b/x/", broken, None)

    async def in_worker() -> tuple[str, object]:
        workers = ExtractorProcesses(1)
        try:
            with pytest.raises(WorkerGone, match="ZoneInfoNotFoundError") as failed:
                await workers.extract(page, "utf-8", "https://b/x/", broken, None)
            result, _ = await workers.extract(page, "utf-8", "https://b/x/", PROFILE, None)
            return str(failed.value), result.kind
        finally:
            await workers.close()

    message, kind = asyncio.run(in_worker())
    assert "Atlantis" in message
    assert kind == "post"  # the worker lives on after a failed page


def test_a_dead_worker_is_counted_and_its_pages_handed_back() -> None:
    page = PAGES[0].read_bytes()

    async def kill_worker() -> int:
        workers = ExtractorProcesses(1)
        try:
            await workers.extract(page, "utf-8", "https://b/x/", PROFILE, None)
            (worker,) = workers._workers
            os.kill(worker.process.pid, signal.SIGKILL)
            await worker.process.wait()
            with pytest.raises(WorkerGone):
                await workers.extract(page, "utf-8", "https://b/x/", PROFILE, None)
            with pytest.raises(WorkerGone):
                await workers.extract(page, "utf-8", "https://b/y/", PROFILE, None)
            return workers.lost
        finally:
            await workers.close()

    assert asyncio.run(kill_worker()) == 1


def test_no_worker_that_can_start_means_every_page_is_handed_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")

    async def without_python() -> None:
        workers = ExtractorProcesses(1)
        try:
            for url in ("https://b/x/", "https://b/y/"):
                with pytest.raises(WorkerGone, match="cannot start"):
                    await workers.extract(PAGES[0].read_bytes(), "utf-8", url, PROFILE, None)
        finally:
            await workers.close()

    asyncio.run(without_python())
