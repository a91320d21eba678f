"""Every CSS selector extraction uses, in one place (like trafilatura's xpaths.py).

Each constant is a compiled selector: ``SEL(element)`` returns the matches in
document order.  Grouped by layer: declared data first, then the WordPress
conventions (classic themes, block themes, page builders, plugins), then the
regions that never belong to a post (comments, sidebars, related boxes).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from pipelines.extract.css import Complex, Compound, Group, Index, parse

CLASSES_BELOW = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
NO_NEEDS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


class Selector:
    """Alternatives tried in order.  On a whole page, :meth:`on_page` answers from
    the page's element index (:mod:`pipelines.extract.css`); on any element,
    calling the selector runs lxml's compiled XPath below it."""

    def __init__(self, alternatives: tuple[str, ...]):
        self.alternatives = [(CSSSelector(a, translator="html"), parse(a)) for a in alternatives]
        #: per alternative, the classes and ids without which it cannot match
        self.needs = [m.needs() if m is not None else NO_NEEDS for _, m in self.alternatives]
        self.tagged = [_tagged(m) for _, m in self.alternatives]
        #: per alternative, the class or id whose index list is its matches, if any
        self.lookups = [m.lookup if isinstance(m, Complex) else None for _, m in self.alternatives]

    def __call__(self, el: HtmlElement, index: Index | None = None) -> list[HtmlElement]:
        """The matches below ``el`` (and ``el`` itself) of the first alternative
        that matches anything.  With the ``index`` of the page ``el`` is part of,
        alternatives needing a class the page lacks are skipped for free."""
        present = _present_classes(el, index, len(self.alternatives))
        for (selector, _), (wanted, _), tagged in zip(
            self.alternatives, self.needs, self.tagged, strict=True
        ):
            if present is not None and not wanted <= present:
                continue
            # a lone compound with a tag: lxml's iteration beats starting an XPath query
            found = selector(el) if tagged is None else tagged.below(el)
            if found:
                return found
        return []

    def all(self, el: HtmlElement) -> list[HtmlElement]:
        """The matches below ``el`` of every alternative (not in document order)."""
        return [m for selector, _ in self.alternatives for m in selector(el)]

    def on_page(self, index: Index, every: bool = False) -> list[HtmlElement]:
        """Like calling it on the indexed root (``every``: like :meth:`all`).
        Answered once per page: the list is shared, callers must not change it."""
        key = (self, every)
        found = index.found.get(key)
        if found is None:
            found = index.found[key] = self._on_page(index, every)
        return found

    def _on_page(self, index: Index, every: bool) -> list[HtmlElement]:
        found: list[HtmlElement] = []
        by_class, by_id = index.by_class, index.by_id
        classes, ids = by_class.keys(), by_id.keys()
        for (selector, matcher), (wanted, ids_wanted), lookup in zip(
            self.alternatives, self.needs, self.lookups, strict=True
        ):
            if lookup is not None:  # most alternatives: one dict look-up, no calls
                pool = (by_class if lookup[0] else by_id).get(lookup[1])
                if not pool:
                    continue
                matches: list[HtmlElement] | None = list(pool)
            elif not (wanted <= classes and ids_wanted <= ids):
                continue
            else:
                matches = matcher.select(index) if matcher is not None else None
            if matches is None:
                matches = selector(index.root)
            if matches and not every:
                return matches
            found += matches
        return found


def _tagged(matcher: Complex | Group | None) -> Compound | None:
    """The alternative's compound when it is a lone compound with a tag."""
    if isinstance(matcher, Complex) and not matcher.chain and matcher.subject.tag:
        return matcher.subject
    return None


def _present_classes(el: HtmlElement, index: Index | None, alternatives: int) -> Any:
    """A superset of the classes below ``el``, or None when not worth finding."""
    if index is not None and el.getroottree().getroot() is index.root:
        return index.by_class.keys()
    # with several alternatives, one query for the classes below ``el`` saves
    # running those that need a class nobody there has
    return _classes_below(el) if alternatives > 2 else None


def _classes_below(el: HtmlElement) -> set[str]:
    """Class tokens of ``el`` and its descendants (CSSSelector matches within that)."""
    return set(" ".join(CLASSES_BELOW(el)).split())


def css(*alternatives: str) -> Selector:
    return Selector(alternatives)


@cache
def compiled(selector: str) -> Selector:
    """A selector from data (a site profile), compiled once."""
    return css(selector)


# --- declared -----------------------------------------------------------------
JSONLD = css('script[type="application/ld+json"]')
META = css("meta[content]")
LINK_REL = css("link[rel][href]")
SHORTLINK = css('link[rel~="shortlink"]')
REL_AUTHOR = css('a[rel~="author"]')
REL_TERM = css('a[rel~="tag"], a[rel~="category"]')
REL_PREV = css('a[rel~="prev"]')
REL_NEXT = css('a[rel~="next"]')
TIME = css("time[datetime]")
MICRO_ARTICLE = css('[itemtype*="schema.org/"][itemtype*="Article"], [itemtype*="BlogPosting"]')
MICRO_HEADLINE = css('[itemprop="headline"]')
MICRO_PUBLISHED = css('[itemprop="datePublished"]')
MICRO_MODIFIED = css('[itemprop="dateModified"]')
MICRO_AUTHOR = css('[itemprop~="author"]')
MICRO_NAME = css('[itemprop="name"]')
MICRO_BODY = css('[itemprop="articleBody"]')

# --- wordpress ----------------------------------------------------------------
TITLE = css(
    "h1.entry-title",
    ".wp-block-post-title",
    ".elementor-widget-theme-post-title .elementor-heading-title",
    ".et_pb_post_title .entry-title",
    "h1.post-title",
    ".entry-title",
)
BODY = css(
    ".wp-block-post-content",
    ".elementor-widget-theme-post-content > .elementor-widget-container",
    ".elementor-widget-theme-post-content",
    ".et_pb_post_content",
    ".entry-content",
    ".post-content",
    ".single-content",
)
PUBLISHED = css(
    "time.entry-date.published",
    "time.published",
    ".wp-block-post-date:not(.wp-block-post-date__modified-date) time",
    ".elementor-post-info__item--type-date",
    ".et_pb_title_meta_container .published",
    ".posted-on time.entry-date",
    ".entry-meta time",
    ".entry-date",
)


def marks_publication(el: HtmlElement) -> bool:
    """Whether a date element is marked ``published``: themes that print one date
    mark it ``entry-date published updated``, and that date is the publication,
    not a modification."""
    return "published" in (el.get("class") or "").split()


def is_modification(el: HtmlElement) -> bool:
    """A date marked ``updated`` that is not the publication."""
    return "updated" in (el.get("class") or "") and not marks_publication(el)


MODIFIED = css(
    "time.updated",
    ".wp-block-post-date__modified-date time",
    ".et_pb_title_meta_container .updated",
)
BYLINE = css(
    ".byline",
    ".wp-block-post-author__name",
    ".wp-block-post-author-name",
    ".elementor-post-info__item--type-author",
    ".et_pb_title_meta_container .author",
    ".entry-meta .author",
    ".posted-by",
    ".post-author",
)
AUTHOR_BOX = css(
    ".author-bio",
    ".author-info",
    ".author-box",
    ".wp-block-post-author",
    ".elementor-author-box",
    "#author-info",
)
AUTHOR_BOX_BIO = css(
    ".author-description",
    ".author-bio-content",
    ".wp-block-post-author__bio",
    ".wp-block-post-author-biography",
    ".elementor-author-box__bio",
)
AUTHOR_BOX_NAME = css(
    ".author-title",
    ".author-name",
    ".wp-block-post-author__name",
    ".elementor-author-box__name",
    "h2",
    "h3",
    "h4",
)
TAGS = css(
    ".tags-links a",
    ".tag-links a",
    ".wp-block-post-terms.taxonomy-post_tag a",
    ".elementor-post-info__item--type-tags a",
    ".entry-tags a",
    ".post-tags a",
)
CATEGORIES = css(
    ".cat-links a",
    ".wp-block-post-terms.taxonomy-category a",
    ".elementor-post-info__item--type-terms a",
    ".entry-categories a",
    ".post-categories a",
)
ARCHIVE_DESCRIPTION = css(
    ".archive-description",
    ".author-description",
    ".taxonomy-description",
    ".wp-block-term-description",
    ".author-info .author-bio",
    ".page-header .description",
)
EXCERPT = css(".entry-summary", ".wp-block-post-excerpt__excerpt")
HERO = css(
    "img.wp-post-image",
    ".post-thumbnail img",
    ".wp-block-post-featured-image img",
    ".elementor-widget-theme-post-featured-image img",
    ".et_pb_post_thumbnail img",
    ".featured-image img",
)
PREVIOUS = css(
    ".nav-previous a",
    ".post-navigation-link-previous a",
    ".elementor-post-navigation__prev a",
)
NEXT = css(
    ".nav-next a",
    ".post-navigation-link-next a",
    ".elementor-post-navigation__next a",
)
NAV_LABEL = css(
    ".meta-nav",
    ".wp-block-post-navigation-link__label",
    ".post-navigation__prev--label",
    ".post-navigation__next--label",
    ".elementor-post-navigation__link__prev .post-navigation__prev--label",
    ".screen-reader-text",
)
NAV_TITLE = css(
    ".post-title",
    ".nav-title",
    ".post-navigation__prev--title",
    ".post-navigation__next--title",
)
RELATED_BOX = css(
    "#jp-relatedposts",
    ".jp-relatedposts",
    ".yarpp-related",
    ".yarpp",
    ".related-posts",
    ".crp_related",
    ".wp-block-jetpack-related-posts",
)
RELATED_LINK = css("a[href]")
#: Every comment item at any depth; pingbacks and trackbacks are comments to WordPress too.
COMMENT_KINDS = ("comment", "pingback", "trackback")
COMMENTS = css(
    *(
        ", ".join(f"{outer} li.{kind}" for kind in COMMENT_KINDS)
        for outer in (".comment-list", ".commentlist", "#commentlist")
    )
)
COMMENT_BLOCK = css(", ".join(f".wp-block-comment-template li.{k}" for k in COMMENT_KINDS))
COMMENTS_TITLE = css(".comments-title", ".wp-block-comments-title")
COMMENT_FORM = css("#respond", ".comment-respond", "#commentform")
POST_ARTICLE = css('article[id^="post-"]')
TEASER = css("article", ".post-preview", ".teaser", ".wp-block-post")
H1 = css("h1")

# --- never part of a post -----------------------------------------------------
#: Regions whose dates, names and links belong to someone else than the post.
NOISE = css(
    "#comments",
    ".comments-area",
    ".comment-list",
    ".commentlist",
    "#commentlist",
    ".comment-respond",
    ".wp-block-comments",
    "#secondary",
    ".sidebar",
    ".widget-area",
    ".widget",
    "aside",
    "#jp-relatedposts",
    ".jp-relatedposts",
    ".yarpp-related",
    ".related-posts",
    ".crp_related",
    ".wp_rp_wrap",
    ".wp_rp",
    "#colophon",
    ".site-footer",
    ".elementor-location-footer",
    ".site-header",
    ".main-navigation",
    "#site-navigation",
)
#: Removed from a body before it is read: not the article's own words.
BODY_NOISE_TAGS = ("script", "style", "noscript", "template", "form", "button", "input",
                   "select", "textarea", "iframe", "nav", "aside")  # fmt: skip
BODY_NOISE = css(
    ".sharedaddy",
    ".sd-sharing-enabled",
    ".addtoany_share_save_container",
    ".a2a_kit",
    ".shariff",
    ".social-share",
    ".share-buttons",
    ".sharing",
    ".heateor_sss_sharing_container",
    ".jp-relatedposts",
    "#jp-relatedposts",
    ".yarpp-related",
    ".related-posts",
    ".crp_related",
    ".wp_rp_wrap",
    ".wp_rp",
    ".related_post_title",
    ".author-bio",
    ".author-info",
    ".author-box",
    ".wp-block-post-author",
    ".saboxplugin-wrap",
    ".comments-area",
    "#comments",
    ".commentlist",
    "#commentlist",
    ".comment-respond",
    ".screen-reader-text",
    ".post-navigation",
    ".tags-links",
    ".cat-links",
    ".wp-block-post-terms",
    ".entry-footer",
    ".widget",
    ".mc4wp-form",
)
#: Removed from body_text only: captions are the image's words, kept in body_html.
CAPTIONS = css("figcaption", ".wp-caption-text", ".wp-element-caption")
IMAGES = css("img")
LINKS = css("a[href]")

# --- plugin widgets inside a post's content -------------------------------------
#: Removed from a body like BODY_NOISE: widgets that widespread plugins print
#: inside ``the_content``: star ratings (WP-PostRatings, kk Star Ratings, Yasr),
#: a recipe card's print/pin/jump buttons (WP Recipe Maker), share buttons (Meks
#: Easy Social Share), related posts (Related Posts for WordPress), tables of
#: contents (Easy Table of Contents, Table of Contents Plus, LuckyWP: the
#: post's headings again, as links), an affiliate disclaimer (AAWP); and a theme's
#: previous/next link printed inside the content (``rel=prev|next`` is
#: navigation by definition, never the post's words).
BODY_WIDGETS = css(
    ".post-ratings",
    ".post-ratings-loading",
    ".kk-star-ratings",
    ".yasr-visitor-votes",
    ".wprm-recipe-link",
    ".meks_ess",
    ".rp4wp-related-posts",
    "#ez-toc-container",
    "#toc_container",
    ".lwptoc",
    ".aawp-disclaimer",
    "a[rel~=prev]",
    "a[rel~=next]",
)
