"""Patterns seen on real German WordPress blogs, each in a handwritten page.

classic_site_h1.html: an old classic theme with the site name as the only
``<h1>`` (a link home), the post title in a ``rel=bookmark`` ``<h3>``, a date
header with a two-digit year ("5.3.12") and a "posted by … at 09:41" byline.
date_byline.html: the date, time and author in one line after the headline
("02.06.2014, 18:45 von stadtmaus"), a commenter's name in the sidebar.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pipelines.extract import extract, page_kind
from pipelines.extract.authors import split_names
from pipelines.extract.dates import find_dates, parse_date

PAGES = Path(__file__).with_name("pages")
CLASSIC_URL = "https://kanzlei.example/2012/03/klarnamen-im-forum.html"
BYLINE_URL = "https://stadtblog.example/2014/06/02/kleine-freuden/"


def _post(name: str, url: str) -> dict:
    extraction = extract((PAGES / name).read_text(encoding="utf-8"), url)
    assert extraction.kind == "post"
    assert extraction.post is not None
    return extraction.post


def test_site_name_h1_is_not_the_headline() -> None:
    assert (
        page_kind((PAGES / "classic_site_h1.html").read_text(encoding="utf-8"), CLASSIC_URL)
        == "post"
    )
    post = _post("classic_site_h1.html", CLASSIC_URL)
    assert post["title"] == "Darf ein Forum Klarnamen verlangen?"


def test_two_digit_year_date_header() -> None:
    post = _post("classic_site_h1.html", CLASSIC_URL)
    # 5 March 2012, midnight in Berlin (CET, UTC+1)
    assert post["published_at"] == datetime(2012, 3, 4, 23, 0, tzinfo=UTC)


def test_posted_by_byline_without_time() -> None:
    post = _post("classic_site_h1.html", CLASSIC_URL)
    assert [a["name"] for a in post["authors"]] == ["Brandt"]


def test_date_time_and_author_in_one_line() -> None:
    post = _post("date_byline.html", BYLINE_URL)
    assert post["title"] == "Kleine Freuden"
    # 18:45 in Berlin summer time (UTC+2)
    assert post["published_at"] == datetime(2014, 6, 2, 16, 45, tzinfo=UTC)
    assert [a["name"] for a in post["authors"]] == ["stadtmaus"]
    assert post["tags"] == ["Balkon", "Kunst"]


def test_visible_date_keeps_its_time() -> None:
    assert find_dates("am 3. März 2020 um 14:05 Uhr von Anna") == ["3. März 2020 um 14:05 Uhr"]
    assert find_dates("11.09.2011, 16:20 von x") == ["11.09.2011, 16:20"]


def test_two_digit_years_are_this_century_and_need_a_boundary() -> None:
    assert parse_date("17.7.11") == datetime(2011, 7, 16, 22, 0, tzinfo=UTC)
    assert find_dates("Version 1.2.3.4 und 10.20.300") == []


def test_byline_names_after_a_date_or_before_a_time() -> None:
    labels = ["Von", "Posted by"]
    assert split_names("11.09.2011, 16:20 von Ursula von der Leyen", labels) == [
        "Ursula von der Leyen"
    ]
    assert split_names("posted by Stadler at 12:53", labels) == ["Stadler"]


def test_a_count_is_no_byline_date() -> None:
    """ "2 von 5" is no byline ("5" is nobody), and the whole count is no name either."""
    assert split_names("Teil 2 von 5", ["Von"]) == []


OLD_COMMENTS = """<html lang="de"><head><title>Ein Beitrag | Altblog</title></head><body>
<div id="content"><article class="post">
<h1 class="entry-title">Ein Beitrag über Archive</h1>
<p class="meta">12. März 2013 von Erika Muster</p>
<div class="entry-content"><p>Archive bewahren, was sonst verloren ginge. Das gilt auch für
Blogs, deren Beiträge nach Jahren verschwinden.</p><p>Darum lohnt es sich, sie zu sichern.</p></div>
</article>
<h3 id="comments">2 Kommentare</h3>
<ol id="commentlist">
<li class="comment"><p>Kommentar von Max Leser am 1. April 2020</p><p>Sehr richtig, danke!</p></li>
<li class="comment"><p>Kommentar von Jana Beispiel am 2. April 2020</p><p>Gut geschrieben.</p></li>
</ol></div></body></html>"""


def test_an_old_themes_id_commentlist_is_neither_body_nor_byline() -> None:
    post = extract(OLD_COMMENTS, "https://altblog.example/2013/03/ein-beitrag/").post
    assert post is not None
    assert post["comment_count"] == 2
    assert "Sehr richtig" not in post["body_text"]
    assert [a["name"] for a in post["authors"]] == ["Erika Muster"]
    assert post["published_at"] == datetime(2013, 3, 11, 23, 0, tzinfo=UTC)
