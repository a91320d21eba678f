"""What the crawler and the pipelines share: a fetched page, the post contract, the
URL normaliser, the crawl's identity, its signals and its errors.

``crawler`` finds and fetches, ``pipelines`` turns pages into rows and files; both
depend on this package, it depends on neither, and ``pipelines`` never imports
``crawler``.
"""
