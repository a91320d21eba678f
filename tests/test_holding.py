"""When a fetched page may go on to the pipelines, on plain data: after the REST
API's answers, and after the author archives it links to where the API names no
authors; each archive asked for once, a failed one not waited for."""

from __future__ import annotations

from datetime import UTC, datetime

from blog.page import FetchedPage
from crawler.holding import Holding

BASE = "https://blog.example.de/"
ANNA, BEN = BASE + "author/anna/", BASE + "author/ben/"
USERS = {3: {"name": "Anna Berg", "slug": "anna", "url": ANNA, "bio": "Schreibt."}}


def _page(url: str) -> FetchedPage:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return FetchedPage(url, url, 200, [], b"<html></html>", "utf-8", at, "s", "link")


def test_a_page_fetched_before_the_api_answered_waits_for_its_last_answer() -> None:
    holding = Holding(rest_pending=2)
    page = _page(BASE + "a/")
    assert holding.hold(page, []) == ([], [])
    assert holding.rest_answered(USERS) == ([], [])
    assert holding.rest_answered() == ([page], [])


def test_authors_the_api_names_need_no_archive() -> None:
    holding = Holding(rest_pending=1)
    page = _page(BASE + "a/")
    holding.hold(page, [ANNA])
    assert holding.rest_answered(USERS) == ([page], [])
    assert page.companions == []
    assert page.hints["rest_users"] == USERS


def test_a_page_leaves_with_what_the_api_said_of_its_post_or_what_the_archive_knew() -> None:
    listed, unlisted = _page(BASE + "a/"), _page(BASE + "b/")
    facts = {"author": 3, "modified_gmt": "2026-01-02T10:00:00"}
    holding = Holding(posts={listed.url: facts}, known_modified={unlisted.url: "2025-05-01"}.get)
    assert holding.hold(listed, []) == ([listed], [])
    assert holding.hold(unlisted, []) == ([unlisted], [])
    assert (listed.hints, unlisted.hints) == ({"rest": facts}, {"known_modified": "2025-05-01"})


def test_without_the_api_a_page_waits_for_its_author_archives_asked_for_once() -> None:
    holding = Holding()
    first, second = _page(BASE + "a/"), _page(BASE + "b/")
    assert holding.hold(first, [ANNA, BEN]) == ([], [ANNA, BEN])
    assert holding.hold(second, [ANNA]) == ([], [])  # asked for already
    anna = _page(ANNA)
    assert holding.author_answered(ANNA, anna) == ([second], [])
    assert second.companions == [anna]
    assert holding.author_answered(BEN, None) == ([first], [])  # failed: not waited for
    assert first.companions == [anna]
    third = _page(BASE + "c/")
    assert holding.hold(third, [ANNA]) == ([third], [])
    assert third.companions == [anna]


def test_when_no_answer_can_come_every_waiting_page_goes_on() -> None:
    holding = Holding(rest_pending=1)
    pages = [_page(BASE + "a/"), _page(BASE + "b/")]
    for page in pages:
        holding.hold(page, [ANNA])
    assert holding.release_all() == pages
    assert holding.waiting == []
