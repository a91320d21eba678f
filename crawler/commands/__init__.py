"""Project commands: ``crawl`` (health, one-line errors), ``report``, ``rebuild``, ``reextract``."""
