"""``scrapy crawl materna``: the WordPress spider with the Materna blog's profile."""

from __future__ import annotations

from typing import ClassVar

from crawler.spiders.wordpress import WordPressSpider


class MaternaSpider(WordPressSpider):
    """The Materna blog; its root comes from ``pipelines/profiles/materna.toml``."""

    name = "materna"
    default_site: ClassVar[str | None] = "materna"
    options: ClassVar[tuple[str, ...]] = ("base_url", "full")
