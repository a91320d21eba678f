"""Scrapy settings: every default of the project in one place.

Any of them can be overridden for one run with ``-s NAME=VALUE``.  Our own
settings are grouped by prefix: ``ARCHIVE_*`` (where and how the archive is
written), ``HEALTH_*`` (when a crawl counts as failed).
"""

from scrapy.settings import default_settings

BOT_NAME = "blog-archiver"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Politeness toward the live site.
USER_AGENT = (
    "blog-archiver/0.1 (archives public corporate blog posts; "
    "+https://github.com/blog-archiver/blog-archiver)"
)
ROBOTSTXT_OBEY = True
# A crawl talks to one host, so the per-host limit is the one that matters; the
# global one only must not cap it when that is raised (up to 16).
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = False
# Scrapy starts CONCURRENT_ITEMS tasks for every response's output, however
# little it yields; a page here yields one item and a few requests.
CONCURRENT_ITEMS = 16
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control runs any Python code it is sent over HTTP inside the crawl
# and writes its token under the user's profile: a nightly archiver needs neither.
REMOTE_CONTROL_ENABLED = False
# Scrapy imports every listed extension to learn that it is off, and this one imports
# aiohttp: 0.4 CPU s of every crawl's start.  Scrapy's own list without it is not.
EXTENSIONS_BASE = {
    path: order
    for path, order in default_settings.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}

# A nightly cron job: quiet unless something is wrong.
LOG_LEVEL = "WARNING"
# Non-posts are dropped on purpose; the reasons are counted in the stats.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 100,
    "pipelines.validation.PostValidationPipeline": 200,
    "pipelines.archive.pipeline.ArchivePipeline": 900,
}
# Posts named by a sitemap or the REST API wait as URLs and go to the
# scheduler this many at a time, whenever it runs dry.
DISCOVERY_BATCH = 64
# Worker processes that extract posts beside the crawl (0: in the crawl's process).
EXTRACT_PROCESSES = 1

# The archive.
ARCHIVE_DIR = "data"
ARCHIVE_FLUSH_EVERY = 20
# ... and whatever is buffered every this many seconds (0: by count only), so a
# kill -9 of a slow, polite crawl loses seconds of work, not minutes.
ARCHIVE_FLUSH_SECONDS = 5.0
ARCHIVE_WARC_ENABLED = True
# -- archive store: ARCHIVE_DIR may be a URI (s3://bucket/prefix, file:///…); the
# crawl then works on a local copy in ARCHIVE_LOCAL_DIR (None:
# $XDG_STATE_HOME/blog-archiver/<scheme>/<bucket>/<prefix>) and uploads new parts
# every ARCHIVE_STORE_PUSH_SECONDS (pipelines/archive/mirror.py).
ARCHIVE_LOCAL_DIR = None
ARCHIVE_STORE_PUSH_SECONDS = 5.0

EXTENSIONS = {
    "pipelines.crawl_log.CrawlLog": 500,
    "crawler.progress.Progress": 600,
    "pipelines.archive.mirror.ArchiveMirror": 700,  # archive store: NotConfigured without one
    # The archive is the crawl's output; items are fetched pages with raw bytes, no
    # feed's rows. FEEDS (set by Scrapyd's items_dir, or -o) is ignored; Scrapy warns.
    "scrapy.extensions.feedexport.FeedExporter": None,
}

# When a crawl counts as failed (non-zero exit).  Coverage is the share of
# fetched posts in which a field was found.
HEALTH_COVERAGE_FLOORS = {
    "body_text": 0.95,
    "title": 0.99,
    "published_at": 0.95,
    "authors": 0.8,
    "tags": 0.5,
}
HEALTH_MAX_COVERAGE_DROP = 0.25
HEALTH_MAX_ERROR_RATE = 0.1
HEALTH_MIN_SAMPLE = 5
# Archived posts an incremental crawl fetches again, so a theme change is noticed nightly.
HEALTH_CANARY_POSTS = 3

# Conditional requests (ETag / Last-Modified) for sitemaps, feed, API and listings.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "crawler.httpcache.SiteCacheStorage"
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 308, 401, 403, 404, 410, 429, 500, 502, 503, 504]
HTTPCACHE_GZIP = True

# --- Faults, hostile content, progress -----------------------------------------
# Retries wait (exponential, jittered backoff), Retry-After pauses the host,
# requests never leave the blog's host, oversized responses are counted.
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SameHostMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.SizeLimitMiddleware": 590,
}
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry (then 2x, 4x, …)
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0  # a longer Retry-After is cut to this
# A progress line every PROGRESS_INTERVAL seconds (0 turns it off).
PROGRESS_INTERVAL = 10.0

# --- The fleet: many blogs on Scrapyd nodes (``scrapy fleet``) --------------------
# The blogs, one file (name, base_url, schedule); see README "Many blogs".
FLEET_FILE = "fleet.toml"
# Scrapyd nodes, e.g. ["http://10.0.0.5:6800", "http://10.0.0.6:6800"]; each blog is
# pinned to one of them by rendezvous hashing on its name.
FLEET_NODES: list[str] = ["http://127.0.0.1:6800"]
# Jobs one node runs at once: its scrapyd.conf max_proc (Scrapyd's API does not say).
FLEET_MAX_PROC = 4
# The project's name on the nodes (scrapy.cfg's [deploy] project).
FLEET_PROJECT = "blog-archiver"
# Settings every fleet job gets (schedule.json's setting=), besides ARCHIVE_DIR.
FLEET_JOB_SETTINGS: dict[str, str] = {}
# Seconds to wait for one answer of a Scrapyd node: the first schedule.json after a
# deploy waits for Scrapyd to list the egg's spiders in a new process.
FLEET_TIMEOUT = 30.0
