"""The benchmark metric on tiny texts whose scores are worked out by hand."""

from __future__ import annotations

import pytest

from benchmarks.extraction import overall, score_page, shingles


def test_shingles() -> None:
    # 5 tokens -> 2 shingles of 4; punctuation dropped, case kept
    assert sorted(shingles("A b, c. d e")) == [("A", "b", "c", "d"), ("b", "c", "d", "e")]
    assert shingles("one two") == {("one", "two"): 1}
    assert shingles("") == {}


def test_page_scores_by_hand() -> None:
    # truth: abcd bcde cdef; prediction: abcd bcde cdex -> TP 2, FP 1, FN 1
    page = score_page("a b c d e x", "a b c d e f")
    assert page.precision == pytest.approx(2 / 3)
    assert page.recall == pytest.approx(2 / 3)
    assert not page.exact


def test_repeated_shingles_count_as_multiset() -> None:
    page = score_page("a b c d a b c d", "a b c d")
    # shingles of prediction: abcd bcda cdab dabc abcd -> TP 1, FP 4
    assert page.precision == pytest.approx(1 / 5)
    assert page.recall == 1.0


def test_empty_prediction_and_exact_match() -> None:
    assert score_page("", "a b c d").precision == 0.0
    assert score_page("", "a b c d").recall == 0.0
    same = score_page("Hello, world again today!", "Hello world again today")
    assert (same.precision, same.recall, same.exact) == (1.0, 1.0, True)


def test_overall_means_then_f1() -> None:
    pages = [
        score_page("a b c d e x", "a b c d e f"),  # P 2/3, R 2/3
        score_page("a b c d", "a b c d"),  # P 1, R 1
        score_page("", "a b c d"),  # no prediction: only in recall (0)
    ]
    score = overall(pages)
    precision = (2 / 3 + 1) / 2
    recall = (2 / 3 + 1 + 0) / 3
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert score.accuracy == pytest.approx(1 / 3)
