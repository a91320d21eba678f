"""Project commands: `scrapy crawl` with health and one-line errors, `report`, `rebuild`, `reextract`."""
