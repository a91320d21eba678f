"""The real-pages benchmark's body metric on tiny cases worked out by hand
(no benchmark pages needed: they live outside the project)."""

from __future__ import annotations

import pytest

from benchmarks.real_pages import Snippets, body_f1, snippets


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_snippets_found_and_leaked() -> None:
    row = {"with": ["erster  Satz", "fehlt"], "without": ["Teilen", "Impressum"]}
    found = snippets("Der erster Satz steht da.\nTeilen", row, _norm)
    assert found == Snippets(found=1, wanted=2, leaked=1, leaks=2)
    assert found.net == 0


def test_an_empty_body_finds_nothing() -> None:
    assert snippets("", {"with": ["a"], "without": ["b"]}, _norm) == Snippets(0, 1, 0, 1)


def test_body_f1_sums_over_pages() -> None:
    # TP 3, FP 1, FN 1 -> 6 / (6 + 1 + 1)
    pages = [Snippets(2, 2, 1, 3), Snippets(1, 2, 0, 1)]
    assert body_f1(pages) == pytest.approx(6 / 8)
    assert body_f1([]) == 0.0
