"""Render sections into one self-contained HTML page.

The page makes no request of any kind: CSS is inline, charts are inline SVG,
fonts are the reader's own, there is no script, and a Content-Security-Policy
of ``default-src 'none'`` makes the browser refuse anything that slips in.

Markup contract (tests and analysts' scripts rely on it): every section is
``<section id="…" data-status="shown|missing">``; a missing one holds
``<p class="missing">`` with its one line; a shown one holds its chart in
``<figure>`` and its numbers in ``<table data-table="<section id>">`` (inside
``<details>`` except for the latest posts), one ``<td>`` per value, numbers
unformatted.  Headline numbers are ``<div class="metric" data-metric="…"
data-value="…">``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from pipelines.report.sections import DataTable, Headline, Link, Section

CSS = """
:root { color-scheme: light; --ink: #1d2530; --muted: #5b6675; --line: #dde3ea; --accent: #1f5f8b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--ink); background: #f6f8fa; }
header, main { max-width: 1040px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 10px; }
.metric { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.metric .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
                 letter-spacing: .04em; }
.metric .value { font-size: 22px; font-weight: 600; }
.metric.text { grid-column: span 2; }
.metric.text .value { font-size: 16px; padding-top: 4px; white-space: nowrap; }
.metric .detail { color: var(--muted); font-size: 12px; }
nav { margin: 16px 0 0; font-size: 13px; }
nav a { color: var(--accent); margin-right: 12px; white-space: nowrap; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
          margin: 18px 0; padding: 14px 18px; }
h2 { margin: 0 0 8px; font-size: 18px; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
.missing { color: var(--muted); font-style: italic; margin: 0; }
.note { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
details { margin-top: 8px; font-size: 13px; }
summary { cursor: pointer; color: var(--accent); }
.scroll { max-height: 420px; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
th { position: sticky; top: 0; background: #fff; }
a { color: var(--accent); }
footer { max-width: 1040px; margin: 0 auto 30px; padding: 0 20px; color: var(--muted);
         font-size: 12px; }
"""
#: cells that hold a date (or a date and time) never wrap
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def render_page(
    site: str, freshness: str, headlines: list[Headline], sections: list[Section]
) -> str:
    title = f"Archive report: {site}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            _header(title, freshness, headlines, sections),
            "<main>",
            *(_section(s) for s in sections),
            "</main>",
            _footer(site, freshness),
            "</body>",
            "</html>",
            "",
        ]
    )


def _footer(site: str, freshness: str) -> str:
    text = f"Generated from the archive of {site}. {freshness}"
    return f"<footer>{escape(text)}</footer>"


def _header(title: str, freshness: str, headlines: list[Headline], sections: list[Section]) -> str:
    metrics = "".join(_metric(h) for h in headlines)
    links = " ".join(f'<a href="#{s.id}">{escape(s.title)}</a>' for s in sections)
    return (
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(freshness)}</p>'
        f'<div class="metrics">{metrics}</div><nav>{links}</nav></header>'
    )


def _metric(headline: Headline) -> str:
    value = f"{headline.value:,}" if isinstance(headline.value, int) else headline.value
    detail = f'<div class="detail">{escape(headline.detail)}</div>' if headline.detail else ""
    kind = "metric" if isinstance(headline.value, int) else "metric text"
    raw = escape(str(headline.value))
    return (
        f'<div class="{kind}" data-metric="{headline.key}" data-value="{raw}">'
        f'<div class="label">{escape(headline.label)}</div>'
        f'<div class="value">{escape(value)}</div>{detail}</div>'
    )


def _section(section: Section) -> str:
    status = "missing" if section.missing else "shown"
    parts = [
        f'<section id="{section.id}" data-status="{status}">',
        f"<h2>{escape(section.title)}</h2>",
    ]
    if section.missing:
        parts.append(f'<p class="missing">{escape(section.missing_line)}</p>')
    if section.svg:
        parts.append(f"<figure>{section.svg}</figure>")
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    if section.table and section.table_only:
        parts.append(_table(section.id, section.table))
    elif section.table:
        rows = len(section.table.rows)
        parts.append(f"<details><summary>Data ({rows} rows)</summary>")
        parts.append(f'<div class="scroll">{_table(section.id, section.table)}</div></details>')
    parts.append("</section>")
    return "\n".join(parts)


def _table(name: str, table: DataTable) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in table.rows)
    return f'<table data-table="{name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(value: Any) -> str:
    if isinstance(value, Link) and value.href.startswith(("https://", "http://")):
        return f'<td><a href="{escape(value.href)}">{escape(value.text)}</a></td>'
    if isinstance(value, Link):
        return f"<td>{escape(value.text)}</td>"
    if value is None:
        return "<td></td>"
    if isinstance(value, int | float):
        return f'<td class="num">{value}</td>'
    if isinstance(value, str) and _DATE.fullmatch(value):
        return f'<td class="date">{value}</td>'
    return f"<td>{escape(str(value))}</td>"
