"""Body extraction benchmark: our ``extract_post`` against trafilatura.

Run ``python -m benchmarks.extraction [--bench-dir DIR] [--repeat N] [--clock cpu]``
(``cpu``: CPU time instead of elapsed time, for a machine other work shares).  Prints
two markdown tables: quality on scrapinghub's article-extraction-benchmark
(181 pages, metric below), speed on blog post pages (the replica blog's four
themes, fetched over HTTP from a local replica server, and the real WordPress
fixture's three default themes, installed and served as the tests do, unless
``--skip-wordpress`` or it cannot run here; ``extract`` with the profile the
crawl uses, every field) and how many field values each layer supplied there.

Metric (as the benchmark defines it): tokens are ``\\w+`` runs; a text becomes
the multiset of its 4-token shingles (1–3 tokens: one shorter shingle); per
page TP/FP/FN are multiset intersections/differences, page precision
TP/(TP+FP) and recall TP/(TP+FN), both 1 when FP = FN = 0; overall precision is
the mean over pages with a non-empty prediction, recall the mean over pages
with a non-empty truth, F1 = 2PR/(P+R) of those means; accuracy is the share of
pages whose token sequences are equal.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(r"\w+")
SHINGLE = 4
DEFAULT_BENCH = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench"
BENCH_NAME = "article-extraction-benchmark"
Extractor = Callable[[str, str], str]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


@dataclass(frozen=True)
class PageScore:
    precision: float
    recall: float
    predicted: bool
    expected: bool
    exact: bool


def score_page(prediction: str, truth: str) -> PageScore:
    pred, gold = shingles(prediction), shingles(truth)
    tp = sum((pred & gold).values())
    fp, fn = sum(pred.values()) - tp, sum(gold.values()) - tp
    if fp == fn == 0:
        precision = recall = 1.0
    else:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
    exact = tokens(prediction) == tokens(truth)
    return PageScore(precision, recall, bool(pred), bool(gold), exact)


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float
    accuracy: float


def overall(pages: Sequence[PageScore]) -> Score:
    """The benchmark's overall figures from per-page scores."""
    precisions = [p.precision for p in pages if p.predicted]
    recalls = [p.recall for p in pages if p.expected]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p.exact for p in pages) / len(pages) if pages else 0.0
    return Score(f1, precision, recall, accuracy)


def bootstrap_std(pages: Sequence[PageScore], rounds: int = 1000, seed: int = 0) -> Score:
    rng = random.Random(seed)
    samples = [overall(rng.choices(pages, k=len(pages))) for _ in range(rounds)]
    return Score(
        *(statistics.pstdev(getattr(s, f) for s in samples) for f in Score.__dataclass_fields__)
    )


def load_bench(bench_dir: Path) -> list[tuple[str, str, str]]:
    """(html, url, truth) for every page of the benchmark."""
    root = bench_dir / BENCH_NAME if (bench_dir / BENCH_NAME).is_dir() else bench_dir
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, item in sorted(truth.items()):
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append((html, item["url"], item["articleBody"]))
    return pages


#: ``wall``: elapsed time; ``cpu``: this thread's CPU time, which other work on a
#: shared machine does not inflate (both extractors run in one thread, no I/O)
Clock = Callable[[], float]
CLOCKS: dict[str, Clock] = {"wall": time.perf_counter, "cpu": time.thread_time}


def timed(
    extractor: Extractor, html: str, url: str, repeat: int, clock: Clock = time.perf_counter
) -> tuple[str, float]:
    """The extractor's output and its median time in ms over ``repeat`` runs."""
    times, out = [], ""
    for _ in range(repeat):
        start = clock()
        out = extractor(html, url) or ""
        times.append((clock() - start) * 1000)
    return out, statistics.median(times)


def ours(html: str, url: str) -> str:
    from pipelines.extract import extract_post

    return str(extract_post(html, url)["body_text"])


def trafilatura_extract(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


EXTRACTORS: dict[str, Extractor] = {
    "extract_post": ours,
    "trafilatura.extract": trafilatura_extract,
}


def quality_table(
    pages: list[tuple[str, str, str]], repeat: int, clock: Clock = time.perf_counter
) -> list[str]:
    rows = [
        "| extractor | F1 | P | R | accuracy | median ms/page |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, extractor in EXTRACTORS.items():
        scores, times = [], []
        for html, url, truth in pages:
            out, ms = timed(extractor, html, url, repeat, clock)
            scores.append(score_page(out, truth))
            times.append(ms)
        s, sd = overall(scores), bootstrap_std(scores)
        cells = [_pm(s.f1, sd.f1), _pm(s.precision, sd.precision), _pm(s.recall, sd.recall)]
        cells += [f"{s.accuracy:.3f}", f"{statistics.median(times):.1f}"]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows


def _pm(value: float, std: float) -> str:
    return f"{value:.3f} ± {std:.3f}"


def replica_pages() -> list[tuple[str, str, str]]:
    """(theme, url, html) of every post page the replica serves, for each theme."""
    import urllib.request

    from tests.replica import ReplicaConfig, ReplicaServer, expected_posts

    found = []
    for theme in ("classic", "block", "builder", "jsonld"):
        with ReplicaServer(ReplicaConfig(theme=theme)) as server:
            for post in expected_posts(server.base_url, server.config):
                with urllib.request.urlopen(post["url"]) as response:
                    found.append((theme, post["url"], response.read().decode("utf-8")))
    return found


def wordpress_pages() -> tuple[list[tuple[str, str, str]], str | None]:
    """(theme, url, html) of every post page of the real WordPress fixture
    (``tests/wordpress``: WordPress 6.1, its three default themes), and why
    there are none when it cannot run here."""
    import tempfile
    import urllib.request

    from tests.wordpress import PERMALINKS, WordPress, missing

    why = missing()
    if why is not None:
        return [], why
    found = []
    with tempfile.TemporaryDirectory(prefix="wordpress-bench-") as root:
        wordpress = WordPress(Path(root)).start()
        try:
            for theme in PERMALINKS:
                for post in wordpress.site(theme).truth["posts"]:
                    with urllib.request.urlopen(post["url"]) as response:
                        found.append((theme, post["url"], response.read().decode("utf-8")))
        finally:
            wordpress.stop()
    return found, None


def replica_extractor(theme: str) -> Extractor:
    """``extract`` with the crawl's profile for ``theme`` (every field, not only the
    body; the real WordPress themes have no profile of their own: the default one)."""
    from pipelines.extract import extract
    from pipelines.profile import load_profile

    profile = load_profile(REPLICA_PROFILES.get(theme, theme))

    def run(html: str, url: str) -> str:
        post = extract(html, url, profile).post
        return str(post["body_text"]) if post else ""

    return run


REPLICA_PROFILES = {"classic": "materna"}


def speed_table(
    pages: list[tuple[str, str, str]], repeat: int, clock: Clock = time.perf_counter
) -> list[str]:
    rows = ["| theme | pages | extract ms/page | trafilatura.extract ms/page | ratio |",
            "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for theme in dict.fromkeys(t for t, _, _ in pages):
        ours_ms, theirs_ms = [], []
        extractor = replica_extractor(theme)
        for _, url, html in (p for p in pages if p[0] == theme):
            ours_ms.append(timed(extractor, html, url, repeat, clock)[1])
            theirs_ms.append(timed(trafilatura_extract, html, url, repeat, clock)[1])
        a, b = statistics.median(ours_ms), statistics.median(theirs_ms)
        rows.append(f"| {theme} | {len(ours_ms)} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
    return rows


def layer_table(pages: list[tuple[str, str, str]]) -> list[str]:
    """How many field values each layer supplied on the replica, per theme."""
    from pipelines.extract import extract
    from pipelines.profile import load_profile

    layers = ("declared", "wordpress", "profile", "generic")
    counts: dict[str, Counter[str]] = {}
    for theme, url, html in pages:
        profile = load_profile(REPLICA_PROFILES.get(theme, theme))
        post = extract(html, url, profile).post or {}
        counts.setdefault(theme, Counter()).update(post.get("field_sources", {}).values())
    rows = ["| theme | " + " | ".join(layers) + " |", "| --- |" + " --- |" * len(layers)]
    for theme, counted in counts.items():
        rows.append(f"| {theme} | " + " | ".join(str(counted[name]) for name in layers) + " |")
    total = sum(counts.values(), Counter())
    rows.append("| all | " + " | ".join(str(total[name]) for name in layers) + " |")
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-replica", action="store_true")
    parser.add_argument("--skip-wordpress", action="store_true",
                        help="leave out the real WordPress fixture's pages")  # fmt: skip
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="cpu: CPU time, steadier on a machine other work shares")  # fmt: skip
    args = parser.parse_args(argv)
    print(f"## Article extraction benchmark ({args.bench_dir})\n")
    clock = CLOCKS[args.clock]
    print("\n".join(quality_table(load_bench(args.bench_dir), args.repeat, clock)))
    if args.skip_replica:
        return
    pages = replica_pages()
    if not args.skip_wordpress:
        real, why = wordpress_pages()
        if why is not None:
            print(f"\n(real WordPress pages left out: WordPress {why})")
        pages += real
    print("\n## Speed on blog post pages (replica themes, real WordPress themes)\n")
    print("\n".join(speed_table(pages, args.repeat, clock)))
    print("\n## Field values per layer on those pages (field_sources)\n")
    print("\n".join(layer_table(pages)))


if __name__ == "__main__":
    main()
