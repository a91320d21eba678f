"""Real German blog pages: our ``extract_post`` beside trafilatura and htmldate.

Run ``python -m benchmarks.real_pages [--bench-dir DIR] [--body-losses]``.  The
pages, their annotations and the scorer live outside the project, in
``../shared/bench/real-german-blogs`` (third-party pages, never shipped): the
scorer's own functions are loaded from its ``score.py``, so this table and
that script's always agree.  Prints one markdown table, ours and the anchors
from the same run (body F1 over with/without snippets, date accuracy at day
level in Europe/Berlin, exact title, author, tags, categories); with
``--body-losses``, every page where our body scores below trafilatura's, with
both snippet counts, which is where the body rules come from.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_BENCH = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "real-german-blogs"
)
FIELDS = ("date", "title", "author", "tags", "categories")
Extractor = Callable[[str, str], dict[str, Any]]


@dataclass(frozen=True)
class Snippets:
    """A page's body snippets found: ``with`` ones (wanted) and ``without`` ones (leaks)."""

    found: int
    wanted: int
    leaked: int
    leaks: int

    @property
    def net(self) -> int:
        return self.found - self.leaked


def snippets(body: str, row: dict[str, Any], norm: Callable[[str], str]) -> Snippets:
    """How many of ``row``'s with/without snippets ``body`` holds (both normalised)."""
    text = norm(body)
    with_, without = row.get("with", []), row.get("without", [])
    found = sum(norm(s) in text for s in with_) if text else 0
    leaked = sum(norm(s) in text for s in without) if text else 0
    return Snippets(found, len(with_), leaked, len(without))


def body_f1(counts: Sequence[Snippets]) -> float:
    """F1 = 2TP / (2TP + FP + FN), summed over pages (the scorer's metric)."""
    tp = sum(c.found for c in counts)
    fp = sum(c.leaked for c in counts)
    fn = sum(c.wanted - c.found for c in counts)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def load_scorer(bench_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_pages_score", bench_dir / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: no score.py in {bench_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(scorer: ModuleType, extractor: Extractor, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per page the extractor's output (an exception counts as an empty answer)."""
    outputs = {}
    for row in rows:
        html = (scorer.HERE / "pages" / row["file"]).read_bytes().decode("utf-8", "replace")
        try:
            outputs[row["file"]] = extractor(html, row["url"])
        except Exception as exc:  # noqa: BLE001 - the scorer's rule: a crash is no answer
            outputs[row["file"]] = {"error": repr(exc)}
    return outputs


def table_row(
    label: str, scorer: ModuleType, rows: list[dict[str, Any]], outputs: dict[str, Any]
) -> str:
    counts = [snippets(outputs[r["file"]].get("body") or "", r, scorer.norm)
              for r in rows if "with" in r]  # fmt: skip
    cells = [f"{body_f1(counts):.3f}"]
    for field in FIELDS:
        gold = [r for r in rows if r.get(field)]
        right = sum(scorer.right(field, r[field], outputs[r["file"]].get(field)) for r in gold)
        cells.append(f"{right / len(gold):.3f}" if gold else "-")
    return f"| {label} | " + " | ".join(cells) + " |"


def body_losses(
    scorer: ModuleType, rows: list[dict[str, Any]], ours: dict[str, Any], anchors: dict[str, Any]
) -> list[str]:
    """Pages where our body's net snippet count is below trafilatura's."""
    lines = []
    for row in (r for r in rows if "with" in r):
        mine = snippets(ours[row["file"]].get("body") or "", row, scorer.norm)
        theirs = snippets(anchors[row["file"]].get("body") or "", row, scorer.norm)
        if mine.net < theirs.net:
            lines.append(f"{row['url']}\n    ours with {mine.found}/{mine.wanted} without "
                         f"{mine.leaked}/{mine.leaks}; trafilatura with {theirs.found} without "
                         f"{theirs.leaked}")  # fmt: skip
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--body-losses", action="store_true")
    args = parser.parse_args(argv)
    scorer = load_scorer(args.bench_dir)
    lines = (args.bench_dir / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    ours, anchors = run(scorer, scorer.project, rows), run(scorer, scorer.anchors, rows)
    print(f"## Real German blog pages ({len(rows)} pages, {args.bench_dir})\n")
    print("| extractor | body F1 | date | title | author | tags | categories |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(table_row("`extract_post`", scorer, rows, ours))
    print(table_row("trafilatura / htmldate", scorer, rows, anchors))
    if args.body_losses:
        print("\n## Pages where our body loses against trafilatura's\n")
        print("\n".join(body_losses(scorer, rows, ours, anchors)) or "none")


if __name__ == "__main__":
    main()
