"""Charts as inline SVG strings: matplotlib's Agg-free SVG backend, deterministic output.

Every chart is drawn inside one ``rc_context`` (fixed hash salt, text kept as
text so umlauts render with the reader's fonts and stay searchable, no date in
the metadata), so the same archive always gives byte-identical SVG.  The SVG is
stripped of its XML prologue and metadata and every ``id`` is prefixed with the
chart's name, so many charts can live in one HTML page without id clashes.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
from cycler import cycler

mpl.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "blog-archiver-report",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": cycler(color=["#1f5f8b", "#e07b39", "#3a923a", "#c03d3e", "#7b5ea7"]),
}
WIDTH = 9.0
LABEL_CHARS = 48
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_ID = re.compile(r'(id="|href="#|url\(#)')
_MONTH = re.compile(r"\d{4}-\d{2}")


@contextmanager
def figure(height: float, rows: int = 1) -> Iterator[tuple[Figure, list[Axes]]]:
    with mpl.rc_context(RC):
        fig, axes = plt.subplots(rows, 1, figsize=(WIDTH, height), squeeze=False)
        try:
            yield fig, [ax for row in axes for ax in row]
        finally:
            plt.close(fig)


def to_svg(fig: Figure, name: str) -> str:
    """The figure as an SVG element with ids prefixed by ``name``."""
    buffer = io.StringIO()
    with mpl.rc_context(RC):
        fig.tight_layout()
        fig.set_layout_engine(None)  # laid out: an engine left set makes savefig draw twice
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1))
    svg = _ID.sub(lambda m: f"{m.group(1)}{name}-", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def monthly_bars(
    name: str, title: str, months: Sequence[str], series: dict[str, Sequence[int]], ylabel: str
) -> str:
    """Stacked bars per ``YYYY-MM`` month, labelled by year."""
    with figure(3.2) as (fig, (ax,)):
        bottom = [0] * len(months)
        for label, values in series.items():
            ax.bar(range(len(months)), values, bottom=bottom, width=0.85, label=label)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        _year_ticks(ax, months)
        ax.set(title=title, ylabel=ylabel, xlabel="Month")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if len(series) > 1:
            ax.legend(frameon=False, loc="upper left")
        return to_svg(fig, name)


def _year_ticks(ax: Axes, months: Sequence[str]) -> None:
    januaries = [i for i, m in enumerate(months) if m.endswith("-01")] or [0]
    every = max(1, len(januaries) // 14)
    ticks = januaries[::every]
    ax.set_xticks(ticks, [months[i][:4] if months[i].endswith("-01") else months[i] for i in ticks])
    ax.set_xlim(-0.7, len(months) - 0.3)
    ax.grid(axis="x", visible=False)


def ranked_bars(
    name: str, title: str, labels: Sequence[str], values: Sequence[int], xlabel: str
) -> str:
    """Horizontal bars, largest on top."""
    with figure(0.6 + 0.26 * max(len(labels), 3)) as (fig, (ax,)):
        positions = range(len(labels))[::-1]
        ax.barh(list(positions), values, height=0.7)
        ax.set_yticks(list(positions), [short(label) for label in labels])
        for y, value in zip(positions, values, strict=True):
            ax.annotate(
                f"{value}", (value, y), xytext=(3, 0), textcoords="offset points", va="center"
            )
        ax.set(title=title, xlabel=xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
        return to_svg(fig, name)


def heatmap(
    name: str,
    title: str,
    labels: Sequence[str],
    columns: Sequence[int | str],
    matrix: Sequence[Sequence[int]],
    *,
    xlabel: str = "Year",
) -> str:
    """Rows = terms, columns = years (or quarters), colour = posts; cells annotated
    when it stays legible; the colour bar counts whole posts."""
    with figure(0.9 + 0.26 * len(labels)) as (fig, (ax,)):
        image = ax.imshow(matrix, aspect="auto", cmap="Blues", interpolation="nearest")
        ax.set_yticks(range(len(labels)), [short(label) for label in labels])
        ax.set_xticks(*_column_ticks([str(c) for c in columns]))
        if len(columns) <= 20:
            _annotate_cells(ax, matrix)
        ax.grid(visible=False)
        ax.set(title=title, xlabel=xlabel)
        bar = fig.colorbar(image, ax=ax, label="Posts", pad=0.01)
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
        return to_svg(fig, name)


def _column_ticks(columns: list[str]) -> tuple[list[int], list[str]]:
    """At most 16 x ticks; quarters (``YYYY-Qn``) and months (``YYYY-MM``) are
    labelled by year, at each Q1 or January."""
    start = _year_start(columns)
    if start is not None:
        firsts = [i for i, c in enumerate(columns) if c.endswith(start)] or [0]
        every = max(1, len(firsts) // 16)
        return firsts[::every], [columns[i][:4] for i in firsts[::every]]
    every = max(1, len(columns) // 16)
    return list(range(0, len(columns), every)), columns[::every]


def _year_start(columns: list[str]) -> str | None:
    """How a year's first column ends, when the columns are quarters or months."""
    if columns and all("-Q" in c for c in columns):
        return "-Q1"
    if columns and all(_MONTH.fullmatch(c) for c in columns):
        return "-01"
    return None


def bars(
    name: str, title: str, labels: Sequence[str], values: Sequence[int], *, axes: tuple[str, str]
) -> str:
    """Vertical bars in the order given, each labelled with its value; ``axes`` are
    the x and y labels."""
    with figure(3.0) as (fig, (ax,)):
        ax.bar(range(len(labels)), values, width=0.75)
        ax.set_xticks(range(len(labels)), labels)
        for x, value in enumerate(values):
            ax.annotate(
                f"{value}", (x, value), xytext=(0, 2), textcoords="offset points", ha="center"
            )
        ax.set(title=title, xlabel=axes[0], ylabel=axes[1])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
        return to_svg(fig, name)


def link_graph(
    name: str, title: str, incoming: Sequence[int], edges: Sequence[tuple[int, int]]
) -> str:
    """Posts as numbered nodes on a circle (area = links received), links as arrows
    from the linking post to the linked one."""
    count = len(incoming)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    xs, ys = [math.cos(a) for a in angles], [math.sin(a) for a in angles]
    with figure(8.0) as (fig, (ax,)):
        for source, target in edges:
            ax.annotate(
                "",
                xy=(xs[target], ys[target]),
                xytext=(xs[source], ys[source]),
                arrowprops={"arrowstyle": "-|>", "color": "#1f5f8b", "alpha": 0.35, "lw": 0.7},
            )
        sizes = [30 + 25 * n for n in incoming]
        ax.scatter(xs, ys, s=sizes, color="#e07b39", zorder=3, edgecolors="white")
        for i in range(count):
            ax.annotate(
                str(i + 1), (xs[i] * 1.09, ys[i] * 1.09), ha="center", va="center", fontsize=7
            )
        ax.set(title=title, xlim=(-1.2, 1.2), ylim=(-1.2, 1.2), aspect="equal")
        ax.axis("off")
        return to_svg(fig, name)


def _errors(ax: Axes, when: Any, counts: Sequence[int]) -> None:
    """Errors per crawl as bars, or the words "no errors" when every crawl had none
    (an empty chart with a -0.045…0.045 axis said nothing)."""
    ax.set(title="Errors per crawl", ylabel="Errors")
    if any(counts):
        ax.bar(when, counts, width=2, color="#c03d3e")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        return
    ax.plot(when, counts, alpha=0)  # the shared time axis still spans every crawl
    ax.text(0.5, 0.5, "no errors", transform=ax.transAxes, ha="center", va="center", fontsize=11)
    ax.set_yticks([])


def _annotate_cells(ax: Axes, matrix: Sequence[Sequence[int]]) -> None:
    peak = max((v for row in matrix for v in row), default=0)
    for y, row in enumerate(matrix):
        for x, value in enumerate(row):
            if value:
                colour = "white" if value > peak * 0.6 else "#222222"
                ax.text(x, y, str(value), ha="center", va="center", fontsize=7, color=colour)


def words(
    name: str,
    bins: Sequence[tuple[int, int | None, int]],
    yearly: Sequence[tuple[int, int, float, float, float]],
) -> str:
    """Two panels: the distribution of words per post, and median words per year."""
    with figure(6.0, rows=2) as (fig, (hist, trend)):
        labels = [f"{lo}–{hi - 1}" if hi else f"≥{lo}" for lo, hi, _n in bins]
        hist.bar(range(len(bins)), [n for *_r, n in bins], width=0.9)
        every = max(1, len(bins) // 12)
        hist.set_xticks(range(0, len(bins), every), labels[::every], rotation=30, ha="right")
        hist.set(title="Words per post", xlabel="Words", ylabel="Posts")
        years = [y for y, *_r in yearly]
        trend.fill_between(
            years,
            [r[2] for r in yearly],
            [r[4] for r in yearly],
            alpha=0.25,
            label="25th–75th percentile",
        )
        trend.plot(years, [r[3] for r in yearly], marker="o", label="Median")
        trend.set(title="Words per post by year", xlabel="Year", ylabel="Words")
        trend.xaxis.set_major_locator(MaxNLocator(integer=True))
        trend.legend(frameon=False, loc="upper left")
        return to_svg(fig, name)


def crawl_health(name: str, rows: Sequence[dict[str, Any]]) -> str:
    """Three panels over crawl start time: posts new/changed/relinked/gone, errors, field
    coverage."""
    when = np.array([r["started"].replace(tzinfo=None) for r in rows], dtype="datetime64[s]")
    with figure(7.0, rows=3) as (fig, (posts, errors, coverage)):
        kinds = ("new", "changed", "relinked", "gone")
        for key in kinds:
            posts.plot(when, [r[key] for r in rows], marker="o", markersize=3, label=f"Posts {key}")
        peak = max((r[k] for r in rows for k in kinds), default=0)
        posts.set(title="Posts per crawl", ylabel="Posts", ylim=(0, peak * 1.35 + 1))
        posts.legend(frameon=False, ncols=4, loc="upper left")
        _errors(errors, when, [r["errors"] for r in rows])
        for key, label in (("coverage_mean", "Mean"), ("coverage_min", "Lowest field")):
            # a crawl without coverage (logged before it was kept for small crawls)
            # is left out, not drawn as a gap in the line
            known = [i for i, r in enumerate(rows) if r[key] is not None]
            coverage.plot(
                when[known],
                [rows[i][key] for i in known],
                marker="o",
                markersize=3,
                label=label,
                gid=key.replace("_", "-"),
            )
        coverage.set(
            title="Field coverage per crawl",
            ylabel="Share of posts",
            ylim=(0, 1.15),
            xlabel="Crawl started",
        )
        coverage.legend(frameon=False, ncols=2, loc="lower left")
        posts.yaxis.set_major_locator(MaxNLocator(integer=True))
        coverage.yaxis.set_major_locator(MaxNLocator())
        fig.autofmt_xdate()
        return to_svg(fig, name)
