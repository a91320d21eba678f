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

mpl.use("Agg")

import matplotlib.pyplot as plt
from cycler import cycler
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
            ax.legend(frameon=False)
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
    years: Sequence[int],
    matrix: Sequence[Sequence[int]],
) -> str:
    """Rows = terms, columns = years, colour = posts; cells annotated when it stays legible."""
    with figure(0.9 + 0.26 * len(labels)) as (fig, (ax,)):
        image = ax.imshow(matrix, aspect="auto", cmap="Blues", interpolation="nearest")
        ax.set_yticks(range(len(labels)), [short(label) for label in labels])
        every = max(1, len(years) // 16)
        ax.set_xticks(range(0, len(years), every), [str(y) for y in years[::every]])
        if len(years) <= 20:
            _annotate_cells(ax, matrix)
        ax.grid(visible=False)
        ax.set(title=title, xlabel="Year")
        fig.colorbar(image, ax=ax, label="Posts", pad=0.01)
        return to_svg(fig, name)


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
        trend.legend(frameon=False)
        return to_svg(fig, name)


def crawl_health(name: str, rows: Sequence[dict[str, Any]]) -> str:
    """Three panels over crawl start time: posts new/changed/gone, errors, field coverage."""
    when = np.array([r["started"].replace(tzinfo=None) for r in rows], dtype="datetime64[s]")
    with figure(7.0, rows=3) as (fig, (posts, errors, coverage)):
        for key in ("new", "changed", "gone"):
            posts.plot(when, [r[key] for r in rows], marker="o", markersize=3, label=f"Posts {key}")
        peak = max((r[k] for r in rows for k in ("new", "changed", "gone")), default=0)
        posts.set(title="Posts per crawl", ylabel="Posts", ylim=(0, peak * 1.35 + 1))
        posts.legend(frameon=False, ncols=3, loc="upper left")
        errors.bar(when, [r["errors"] for r in rows], width=2, color="#c03d3e")
        errors.set(title="Errors per crawl", ylabel="Errors")
        for key, label in (("coverage_mean", "Mean"), ("coverage_min", "Lowest field")):
            values = [math.nan if r[key] is None else r[key] for r in rows]
            coverage.plot(when, values, marker="o", markersize=3, label=label)
        coverage.set(
            title="Field coverage per crawl",
            ylabel="Share of posts",
            ylim=(0, 1.15),
            xlabel="Crawl started",
        )
        coverage.legend(frameon=False, ncols=2, loc="lower left")
        for ax in (posts, errors, coverage):
            ax.yaxis.set_major_locator(MaxNLocator(integer=ax is not coverage))
        fig.autofmt_xdate()
        return to_svg(fig, name)
