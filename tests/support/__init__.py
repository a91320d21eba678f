"""Helpers shared by the crawl tests: running the real `scrapy crawl`, comparing with truth."""
