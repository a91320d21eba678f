"""A fleet of blogs crawled on Scrapyd nodes: ``scrapy fleet schedule|status``.

Scrapyd runs the crawls; this package only decides which blogs are due and on
which node each one runs (:mod:`crawler.fleet.pinning`), talks to the nodes'
HTTP API (:mod:`crawler.fleet.nodes`), and reads each blog's last crawl from
the nodes' job lists and the blog's crawl log (:mod:`crawler.fleet.status`),
read from the archive's folder or object store (:mod:`crawler.fleet.crawl_logs`).
The blogs are listed in one file (:mod:`crawler.fleet.blogs`).
"""
