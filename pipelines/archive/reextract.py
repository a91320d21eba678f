"""Re-extraction: run the current extractor over a site's WARCs, without network.

For every URL the newest archived response is extracted again; where the new
post's content hash differs from the newest version, a version is appended
(``fetched_at`` stays the original fetch time, ``crawl_id`` is the run's own).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.archive.archive import InvalidPost, SiteArchive
from pipelines.archive.layout import SiteLayout
from pipelines.archive.warc import WarcPage, read_pages
from pipelines.extract import Extraction
from pipelines.extract.page import decode_page
from pipelines.extract.rest import apply_hints

logger = logging.getLogger(__name__)

#: ``extract(html, url)``, with the site's profile already bound.
Extractor = Callable[[str, str], Extraction]


@dataclass(frozen=True)
class PageRef:
    warc: Path
    fetched_at: datetime


def reextract_site(
    root: Path | str, site: str, extract: Extractor, *, flush_every: int = 20
) -> Counter[str]:
    """Re-extract ``root/site`` under its lock, then rebuild posts.parquet.

    Returns counts: ``pages``, ``new``, ``changed``, ``unchanged``, ``stale``
    (archive already newer than the WARC), ``not_post``, ``invalid``.
    """
    crawl_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-reextract"
    archive = SiteArchive(root, site, crawl_id, warc=False)
    archive.open()
    counts: Counter[str] = Counter()
    complete = False
    try:
        for page in newest_pages(sorted(archive.layout.warc_dir.glob("*.warc.gz"))):
            counts[_reextract_page(archive, page, extract)] += 1
            counts["pages"] += 1
            if archive.pending >= flush_every:
                archive.flush()
        complete = True
    finally:
        archive.finish(complete=complete)
    return counts


def newest_pages(warcs: Iterable[Path]) -> Iterable[WarcPage]:
    """The newest status-200 response per URL across ``warcs`` (later files win ties).

    Two passes, so only one body is held in memory at a time."""
    warcs = list(warcs)
    newest: dict[str, PageRef] = {}
    for warc in warcs:
        for page in read_pages(warc):
            old = newest.get(page.url)
            if page.status == 200 and (old is None or page.fetched_at >= old.fetched_at):
                newest[page.url] = PageRef(warc, page.fetched_at)
    for warc in warcs:
        for page in read_pages(warc):
            if newest.get(page.url) == PageRef(warc, page.fetched_at) and page.status == 200:
                yield page


def _reextract_page(archive: SiteArchive, page: WarcPage, extract: Extractor) -> str:
    state = archive.states.get(page.url)
    if state is not None and state.fetched_at > page.fetched_at:
        return "stale"
    post = extract(decode_page(page.body, page.encoding), page.url).post
    if post is None:
        return "not_post"
    apply_hints(post, page.hints)  # as the live crawl did, from what its WARC recorded
    try:
        added = archive.add_post(post, page.fetched_at, page.requested_url)
    except InvalidPost as exc:
        logger.warning("re-extracted post not archived: %s", exc)
        return "invalid"
    return str(added.outcome)


def site_dir_error(root: Path | str, site: str) -> str | None:
    """One line saying why ``root/site`` is not an archive, or None if it is."""
    layout = SiteLayout(Path(root), site)
    if not layout.versions_dir.is_dir():
        return f"no archive for site {site!r} in {layout.site_dir} (no versions/ directory)"
    return None
