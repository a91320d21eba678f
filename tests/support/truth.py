"""Compare an archive's rows with the replica's ground truth, field by field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pipelines.schema import PAGE_FIELDS

#: body_html is sanitised markup, checked for safety and content, not byte for byte.
EXACT_FIELDS = tuple(f for f in PAGE_FIELDS if f != "body_html")
_UNSAFE_HTML = re.compile(r"<script|<style|<iframe|\son\w+\s*=|javascript:", re.IGNORECASE)


FieldCheck = Callable[[str, dict[str, Any], dict[str, Any]], list[str]]


def mismatches(
    actual: list[dict[str, Any]], expected: list[dict[str, Any]], check: FieldCheck | None = None
) -> list[str]:
    """Every difference, one line each: missing or extra posts, then what ``check``
    (by default the replica's field-by-field comparison) finds wrong in each post."""
    got = {row["url"]: row for row in actual}
    want = {row["url"]: row for row in expected}
    problems = [f"missing post {url}" for url in want.keys() - got.keys()]
    problems += [f"extra row {url}" for url in got.keys() - want.keys()]
    for url in sorted(want.keys() & got.keys()):
        problems += (check or _field_mismatches)(url, got[url], want[url])
    return sorted(problems)


def _field_mismatches(url: str, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    problems = [
        f"{url} {name}: got {got.get(name)!r}, expected {want[name]!r}"
        for name in EXACT_FIELDS
        if name in want and got.get(name) != want[name]
    ]
    html = got.get("body_html") or ""
    if _UNSAFE_HTML.search(html):
        problems.append(f"{url} body_html: unsafe markup survived sanitising")
    first_words = " ".join(want["body_text"].split()[:6])
    if first_words and first_words not in re.sub(r"<[^>]+>|\s+", " ", html).replace("  ", " "):
        problems.append(f"{url} body_html: does not contain {first_words!r}")
    return problems


def field_count(expected: list[dict[str, Any]]) -> int:
    """How many field values a comparison checks (for the closing note's numbers)."""
    return sum(1 for row in expected for name in (*EXACT_FIELDS, "body_html") if name in row)
