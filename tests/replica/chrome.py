"""What surrounds the content on every page: the page shell, cookie banner,
header menu, sidebar widgets (with other posts' dates) and footer."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.replica.corpus import BLOG_NAME
from tests.replica.markup import MONTHS, Ctx, esc, german_date, site_claim_html

SIDEBAR_RECENT = 5


@dataclass
class Shell:
    """One HTML document to be wrapped by a theme's ``document()``."""

    title: str
    body_class: str
    main: str
    canonical: str
    description: str
    object_id: int | None = None
    lang: str = "de-DE"
    head_extra: list[str] = field(default_factory=list)


def cookie_banner(ctx: Ctx) -> str:
    return (
        '<div id="cookie-notice" role="dialog" class="cookie-notice-hidden"'
        ' aria-label="Cookie Notice"><div class="cookie-notice-container">'
        '<span id="cn-notice-text" class="cn-text-container">Wir verwenden Cookies, um'
        " Ihnen die bestmögliche Nutzung unserer Website zu ermöglichen.</span>"
        '<a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button">Akzeptieren</a>'
        f'<a href="{ctx.url("datenschutz/")}" class="cn-privacy-policy-link">'
        "Datenschutzerklärung</a></div></div>"
    )


def menu_items(ctx: Ctx) -> str:
    entries = [("", "Startseite")]
    entries += [(c.path, c.name) for c in list(ctx.site.categories.values())[:5]]
    entries.append(("ueber-uns/", "Über uns"))
    return "".join(
        f'<li class="menu-item menu-item-type-custom"><a href="{ctx.url(p)}">{esc(n)}</a></li>'
        for p, n in entries
    )


def masthead(ctx: Ctx) -> str:
    return (
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f"{site_claim_html(ctx)}</div>"
        '<nav id="site-navigation" class="main-navigation" aria-label="Hauptmenü">'
        f'<ul id="primary-menu" class="menu">{menu_items(ctx)}</ul></nav></header>'
    )


def sidebar(ctx: Ctx) -> str:
    widgets = [_search(ctx), _recent(ctx), _categories(ctx), _tag_cloud(ctx), _archives(ctx)]
    return f'<aside id="secondary" class="widget-area">{"".join(widgets)}</aside>'


def _search(ctx: Ctx) -> str:
    return (
        '<section id="search-2" class="widget widget_search">'
        f'<form role="search" method="get" class="search-form" action="{ctx.url()}">'
        '<label><span class="screen-reader-text">Suche nach:</span>'
        '<input type="search" class="search-field" placeholder="Suchen …" name="s"></label>'
        '<input type="submit" class="search-submit" value="Suche"></form></section>'
    )


def _recent(ctx: Ctx) -> str:
    items = "".join(
        f'<li><a href="{ctx.url(p.path)}">{esc(p.title)}</a>'
        f' <span class="post-date">{german_date(p.published)}</span></li>'
        for p in ctx.site.posts[:SIDEBAR_RECENT]
    )
    return (
        '<section id="recent-posts-2" class="widget widget_recent_entries">'
        f'<h2 class="widget-title">Neueste Beiträge</h2><ul>{items}</ul></section>'
    )


def _categories(ctx: Ctx) -> str:
    items = "".join(
        f'<li class="cat-item cat-item-{c.term_id}"><a href="{ctx.url(c.path)}">{esc(c.name)}</a>'
        f" ({len(ctx.site.by_term.get(('category', c.slug), []))})</li>"
        for c in ctx.site.categories.values()
    )
    return (
        '<section id="categories-2" class="widget widget_categories">'
        f'<h2 class="widget-title">Kategorien</h2><ul>{items}</ul></section>'
    )


def _tag_cloud(ctx: Ctx) -> str:
    links = " ".join(
        f'<a href="{ctx.url(t.path)}" class="tag-cloud-link tag-link-{t.term_id}">{esc(t.name)}</a>'
        for t in ctx.site.tags.values()
    )
    return (
        '<section id="tag_cloud-2" class="widget widget_tag_cloud">'
        f'<h2 class="widget-title">Schlagwörter</h2><div class="tagcloud">{links}</div></section>'
    )


def _archives(ctx: Ctx) -> str:
    months = ctx.site.months
    options = "".join(
        f"<option value='{ctx.url(f'{y}/{m:02d}/')}'> {MONTHS[m - 1]} {y} </option>"
        for y, m in months
    )
    return (
        '<section id="archives-2" class="widget widget_archive">'
        '<h2 class="widget-title">Archiv</h2><select name="archive-dropdown">'
        f"<option value=''>Monat auswählen</option>{options}</select></section>"
    )


def colophon(ctx: Ctx) -> str:
    return (
        '<footer id="colophon" class="site-footer"><div class="site-info">'
        f'<a href="{ctx.url("impressum/")}">Impressum</a> | '
        f'<a href="{ctx.url("datenschutz/")}">Datenschutz</a> | '
        f"© 2025 Materna Information &amp; Communications SE – {esc(BLOG_NAME)}"
        "</div></footer>"
    )
