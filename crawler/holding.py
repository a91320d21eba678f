"""Pages that wait for the documents their rows depend on.

A post's facts must not depend on which response came first: a page fetched
while the REST API's answers are outstanding waits for them, and where the API
names no authors, a page waits for the author archives it links to (where themes
print the bio).  A page leaves with what the API said of its post and authors in
its hints and those archives attached (``FetchedPage.companions``), so the
pipelines read bios from pages the crawl fetched and archived, and never
download anything themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blog.page import FetchedPage

#: (pages ready to go on, author archives to ask for)
Release = tuple[list[FetchedPage], list[str]]


@dataclass
class Waiting:
    page: FetchedPage
    authors: tuple[str, ...] = ()


@dataclass
class Holding:
    #: REST documents asked for and not answered yet
    rest_pending: int = 0
    #: ``/wp/v2/users``: the blog's authors by id (then no archive is needed)
    users: dict[int, dict[str, str]] = field(default_factory=dict)
    #: ``/wp/v2/posts``: post URL to its author id and dates
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the archived modification of a post the API did not list this crawl
    known_modified: Callable[[str], str | None] = lambda url: None
    #: author archives asked for: the fetched page, or None while outstanding or failed
    authors: dict[str, FetchedPage | None] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)
    waiting: list[Waiting] = field(default_factory=list)

    def hold(self, page: FetchedPage, author_links: list[str]) -> Release:
        """Take a fetched page: (pages ready to go on, author archives to ask for)."""
        self.waiting.append(Waiting(page, tuple(author_links)))
        return self._ready()

    def rest_answered(self, users: dict[int, dict[str, str]] | None = None) -> Release:
        self.rest_pending -= 1
        self.users |= users or {}
        return self._ready()

    def author_answered(self, url: str, page: FetchedPage | None) -> Release:
        self.authors[url] = page
        self.answered.add(url)
        return self._ready()

    def release_all(self) -> list[FetchedPage]:
        """Everything still waiting (the crawl is quiet: no answer will come)."""
        waiting, self.waiting = self.waiting, []
        return [self._complete(entry) for entry in waiting]

    def _ready(self) -> Release:
        if self.rest_pending > 0:
            return [], []
        wanted = [url for entry in self.waiting for url in self._needs(entry)]
        asked = list(dict.fromkeys(url for url in wanted if url not in self.authors))
        self.authors.update((url, None) for url in asked)
        ready = [entry for entry in self.waiting if not self._needs(entry)]
        self.waiting = [entry for entry in self.waiting if self._needs(entry)]
        return [self._complete(entry) for entry in ready], asked

    def _needs(self, entry: Waiting) -> list[str]:
        if self.users:
            return []
        return [url for url in entry.authors if url not in self.answered]

    def _complete(self, entry: Waiting) -> FetchedPage:
        page = entry.page
        if self.users:
            page.hints["rest_users"] = self.users
        else:
            found = (self.authors.get(url) for url in entry.authors)
            page.companions = [archive for archive in found if archive is not None]
        if page.url in self.posts:
            page.hints["rest"] = self.posts[page.url]
        elif (since := self.known_modified(page.url)) is not None:
            page.hints["known_modified"] = since
        return page
