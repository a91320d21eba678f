"""The crawl's ``-a`` options: what is accepted, and the one line for what is not."""

from __future__ import annotations

import pytest

from blog.errors import BadSpiderArgument
from crawler.arguments import CrawlArguments, parse_arguments

WORDPRESS = ("wordpress", ("base_url", "site", "full"), None)
MATERNA = ("materna", ("base_url", "full"), "materna")


@pytest.mark.parametrize(
    ("spider", "args", "expected"),
    [
        (WORDPRESS, {"base_url": "https://b.example/", "site": "b"}, CrawlArguments("b", "https://b.example/", False)),
        (WORDPRESS, {"base_url": "http://b.example/blog/", "site": "b_2", "full": "yes"}, CrawlArguments("b_2", "http://b.example/blog/", True)),
        (MATERNA, {}, CrawlArguments("materna", None, False)),
        (MATERNA, {"full": "TRUE"}, CrawlArguments("materna", None, True)),
    ],
)  # fmt: skip
def test_good_options(spider: tuple, args: dict, expected: CrawlArguments) -> None:
    assert parse_arguments(*spider, args) == expected


@pytest.mark.parametrize(
    ("spider", "args", "message"),
    [
        (WORDPRESS, {"site": "b"}, "wordpress needs -a base_url=URL"),
        (WORDPRESS, {"base_url": "https://b.example/"}, "wordpress needs -a site=NAME"),
        (WORDPRESS, {"base_url": "https://b.example/", "site": "../etc"}, "bad site name '../etc'"),
        (WORDPRESS, {"base_url": "mailto:x@b.example", "site": "b"}, "base_url 'mailto:x@b.example' is not an http(s) URL"),
        (MATERNA, {"site": "other"}, "unknown option -a site=…; materna accepts: -a base_url=…, -a full=…"),
        (MATERNA, {"full": "maybe"}, "-a full= takes true or false"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line(spider: tuple, args: dict, message: str) -> None:
    with pytest.raises(
        BadSpiderArgument, match="^" + message.replace("(", r"\(").replace(")", r"\)")
    ):
        parse_arguments(*spider, args)
