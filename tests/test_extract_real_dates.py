"""Where real German blogs state a post's date, each in a small handwritten page.

A dated permalink (a day, a month or a year), a classic theme's link to the day
archive, markup only htmldate reads: the layer that answers is checked too
(``field_sources``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.extract import extract_post
from pipelines.extract.page import clean_text

HEAD = '<html lang="de"><head><title>Ein Beitrag</title>{meta}</head>'
BODY = "<body><h1>Ein Beitrag</h1>{meta}<p>Ein Absatz ohne jedes Datum.</p>{after}</body></html>"


def _page(head: str = "", meta: str = "", after: str = "") -> str:
    return HEAD.format(meta=head) + BODY.format(meta=meta, after=after)


# midnight in Berlin: 22:00 UTC the day before in summer, 23:00 in winter
CASES = [
    pytest.param(
        _page(), "https://blog.example/2014/05/18/ein-beitrag/",
        datetime(2014, 5, 17, 22, 0, tzinfo=UTC), "generic", id="only-the-permalink-has-it",
    ),
    pytest.param(
        _page(meta="<p>18.05.2014, 09:30 Uhr</p>"), "https://blog.example/2014/05/18/ein-beitrag/",
        datetime(2014, 5, 18, 7, 30, tzinfo=UTC), "generic", id="byline-agrees-keeps-its-time",
    ),
    pytest.param(
        _page(meta="<p>Aktualisiert am 3. Juni 2016</p>"),
        "https://blog.example/2014/05/18/ein-beitrag/",
        datetime(2014, 5, 17, 22, 0, tzinfo=UTC), "generic", id="permalink-beats-another-day",
    ),
    pytest.param(
        _page(meta="<p>Zuletzt geändert am 1. Juni 2010</p>",
              after="<p>Geschrieben am 3. Dezember 2011 in Berlin.</p>"),
        "https://blog.example/news/2011/12/ein-beitrag/",
        datetime(2011, 12, 2, 23, 0, tzinfo=UTC), "generic", id="permalink-month-bounds-the-date",
    ),
    pytest.param(
        _page(meta="<p>12.03.2016, 14:05 Uhr</p>"), "https://blog.example/2016/ein-beitrag/",
        datetime(2016, 3, 12, 13, 5, tzinfo=UTC), "generic", id="permalink-year-keeps-the-byline",
    ),
    pytest.param(
        _page(meta='<div class="post-meta"><a href="/2017/08/08/">08/08/2017</a></div>'),
        "https://blog.example/fall-in-love/",
        datetime(2017, 8, 7, 22, 0, tzinfo=UTC), "wordpress", id="link-to-the-day-archive",
    ),
    pytest.param(
        _page(head='<meta name="date" content="2016-03-01">'), "https://blog.example/beitrag/",
        datetime(2016, 2, 29, 23, 0, tzinfo=UTC), "generic", id="dublin-core-meta-via-htmldate",
    ),
    pytest.param(
        _page(after='<div id="comments"><p>Kommentar vom 6. Mai 2021</p></div>'
              '<aside class="widget"><a href="/2019/01/02/">2. Januar 2019</a></aside>'),
        "https://blog.example/beitrag/", None, None, id="comment-and-sidebar-dates-never",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "url", "expected", "layer"), CASES)
def test_published_at_and_its_layer(
    html: str, url: str, expected: datetime | None, layer: str | None
) -> None:
    post = extract_post(html, url)
    assert post["published_at"] == expected
    assert post["field_sources"].get("published_at") == layer


def test_a_link_to_another_sites_day_archive_is_not_the_posts_date() -> None:
    html = _page(meta='<p><a href="https://other.example/2017/08/08/">Damals</a></p>')
    post = extract_post(html, "https://blog.example/beitrag/")
    # htmldate, the last resort, may still guess from the link; the WordPress layer does not
    assert post["field_sources"].get("published_at") != "wordpress"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wein\u00adberg", "Weinberg"),  # &shy; hyphenation hint
        ("Zero\u200bwidth  space", "Zerowidth space"),
        ("\ufeffBOM vorne", "BOM vorne"),
        ("ganz normal", "ganz normal"),
    ],
)
def test_invisible_characters_leave_the_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_soft_hyphens_leave_the_body() -> None:
    html = _page(meta="<p>Die Wein&shy;berge ober&shy;halb Bozens sind steil und sonnig.</p>")
    assert (
        "Die Weinberge oberhalb Bozens" in extract_post(html, "https://x.example/b/")["body_text"]
    )
