"""The Scrapy project: settings, spiders and commands.

It finds and fetches pages; it knows nothing about fields.
"""
