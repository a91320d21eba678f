"""The URL normaliser decides what counts as the same page: a table of cases."""

from __future__ import annotations

import pytest

from blog.urls import is_within, normalise_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://blog.example.de/post/", "https://blog.example.de/post/"),
        ("https://blog.example.de/post", "https://blog.example.de/post/"),
        ("HTTPS://Blog.Example.DE/post/", "https://blog.example.de/post/"),
        ("https://blog.example.de/post/#comments", "https://blog.example.de/post/"),
        (
            "https://blog.example.de/post/?utm_source=feed&utm_medium=rss",
            "https://blog.example.de/post/",
        ),
        ("https://blog.example.de/post/?fbclid=abc", "https://blog.example.de/post/"),
        ("https://blog.example.de/post/?replytocom=12#respond", "https://blog.example.de/post/"),
        ("https://blog.example.de:443/post/", "https://blog.example.de/post/"),
        ("http://blog.example.de:80/post/", "http://blog.example.de/post/"),
        ("http://127.0.0.1:8000/blog/post", "http://127.0.0.1:8000/blog/post/"),
        ("https://blog.example.de/?p=123", "https://blog.example.de/?p=123"),
        ("https://blog.example.de/?b=2&a=1", "https://blog.example.de/?a=1&b=2"),
        (
            "https://blog.example.de/wp-content/uploads/bild.jpg",
            "https://blog.example.de/wp-content/uploads/bild.jpg",
        ),
        ("https://blog.example.de/gr%C3%BC%C3%9Fe/", "https://blog.example.de/gr%C3%BC%C3%9Fe/"),
        ("https://blog.example.de/grüße/", "https://blog.example.de/gr%C3%BC%C3%9Fe/"),
        ("https://blog.example.de", "https://blog.example.de/"),
    ],
)
def test_normalise_url(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


def test_relative_links_resolve_against_the_page() -> None:
    assert normalise_url("../andere/", "http://h.test/blog/eins/") == "http://h.test/blog/andere/"


@pytest.mark.parametrize(
    ("url", "base", "inside"),
    [
        ("http://h.test/blog/x/", "http://h.test/blog/", True),
        ("http://h.test/other/x/", "http://h.test/blog/", False),
        ("http://evil.test/blog/x/", "http://h.test/blog/", False),
        ("http://h.test:8001/blog/x/", "http://h.test:8000/blog/", False),
        ("https://h.test/x/", "https://h.test/", True),
        ("http://h.test.evil.test/x/", "http://h.test/", False),
    ],
)
def test_is_within(url: str, base: str, inside: bool) -> None:
    assert is_within(url, base) is inside
