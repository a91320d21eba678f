"""A Scrapy response as the pipelines receive it: a :class:`blog.page.FetchedPage`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from scrapy.http import Response, TextResponse

from blog.page import FetchedPage
from blog.urls import normalise_url


def fetched_page(response: Response, site: str) -> FetchedPage:
    """The page with its final URL, the URL first asked for (an old slug's redirect
    differs), its headers in order and what discovery knew of it (``hints``)."""
    redirects = response.meta.get("redirect_urls") or [response.url]
    return FetchedPage(
        url=normalise_url(response.url),
        requested_url=normalise_url(redirects[0]),
        status=response.status,
        headers=_header_pairs(response),
        body=response.body,
        encoding=getattr(response, "encoding", "utf-8"),
        fetched_at=datetime.now(UTC),
        site=site,
        source=response.meta.get("source", "link"),
        hints=dict(response.meta.get("hints") or {}),
    )


def is_html(response: Response) -> bool:
    if not isinstance(response, TextResponse):
        return False
    content_type = cast(bytes, response.headers.get(b"Content-Type", b"text/html"))
    return "html" in content_type.decode("latin-1").lower()


def int_header(response: Response, name: bytes) -> int:
    value = response.headers.get(name)
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def error_text(failure_value: BaseException) -> str:
    """The last line of a network error, e.g. ``Connection was refused by other side``."""
    text = str(failure_value).strip().splitlines()
    return (text[-1] if text else type(failure_value).__name__).rstrip(".")


def _header_pairs(response: Response) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in response.headers.items()
        for value in values
    ]
