"""Pages that wait for the documents their rows depend on.

A post's facts must not depend on which response came first: a page fetched
while the REST API's answers are outstanding waits for them, and where the API
names no authors, a page waits for the author archives it links to (where themes
print the bio).  The pages leave with those archives attached
(``FetchedPage.companions``), so the pipelines read bios from pages the crawl
fetched and archived, never from a download of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    #: whether ``/wp/v2/users`` named the blog's authors (then no archive is needed)
    rest_users: bool = False
    #: author archives asked for: the fetched page, or None while outstanding or failed
    authors: dict[str, FetchedPage | None] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)
    waiting: list[Waiting] = field(default_factory=list)

    def hold(self, page: FetchedPage, author_links: list[str]) -> Release:
        """Take a fetched page: (pages ready to go on, author archives to ask for)."""
        needed = () if self.rest_users else tuple(author_links)
        self.waiting.append(Waiting(page, needed))
        return self._ready()

    def rest_answered(self, users: bool = False) -> Release:
        self.rest_pending -= 1
        self.rest_users = self.rest_users or users
        return self._ready()

    def author_answered(self, url: str, page: FetchedPage | None) -> list[FetchedPage]:
        self.authors[url] = page
        self.answered.add(url)
        return self._ready()[0]

    def release_all(self) -> list[FetchedPage]:
        """Everything still waiting (the crawl is quiet: no answer will come)."""
        waiting, self.waiting = self.waiting, []
        return [self._with_companions(entry) for entry in waiting]

    def _ready(self) -> Release:
        if self.rest_pending > 0:
            return [], []
        wanted = [url for entry in self.waiting for url in self._needs(entry)]
        asked = list(dict.fromkeys(url for url in wanted if url not in self.authors))
        self.authors.update((url, None) for url in asked)
        ready = [entry for entry in self.waiting if not self._needs(entry)]
        self.waiting = [entry for entry in self.waiting if self._needs(entry)]
        return [self._with_companions(entry) for entry in ready], asked

    def _needs(self, entry: Waiting) -> list[str]:
        if self.rest_users:
            return []
        return [url for url in entry.authors if url not in self.answered]

    def _with_companions(self, entry: Waiting) -> FetchedPage:
        if not self.rest_users:
            found = (self.authors.get(url) for url in entry.authors)
            entry.page.companions = [page for page in found if page is not None]
        return entry.page
