"""The markup shapes real WordPress themes print, each a small handwritten page, and the
general rule that reads it: names are names, a date marked both ``published`` and
``updated`` is the publication, replies are comments, a related box is known by its
heading, sidebars hold no post's tags, and the REST API completes what a page leaves out.
The shapes are those of WordPress 6.1's default themes (the real WordPress fixture
checks the themes themselves, ``tests/test_wordpress.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.extract import extract_post
from pipelines.extract.authors import is_name
from pipelines.extract.rest import apply_rest, modification

URL = "https://blog.example.de/2023/05/02/ein-beitrag/"
BODY = (
    "<p>Die Verwaltung digitalisiert ihre Leistungen Schritt für Schritt, und die Bürger"
    " merken es.</p><p>Viele Anträge lassen sich heute online stellen, andere noch nicht.</p>"
)


def _page(article: str, aside: str = "", body_class: str = "single single-post postid-7") -> str:
    return (
        f'<html lang="de-DE"><head><title>Ein Beitrag – Blog</title></head>'
        f'<body class="{body_class}"><main><article id="post-7" class="post-7 post type-post">'
        f'<header><h1 class="entry-title">Ein Beitrag</h1></header>{article}</article></main>'
        f"{aside}</body></html>"
    )


def _content(extra: str = "") -> str:
    return f'<div class="entry-content">{BODY}{extra}</div>'


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anna Schmidt", True),
        ("Ursula von der Leyen", True),
        ("Dr. Anna Schmidt", True),
        ("admin", True),
        ("Redaktion", True),
        ("View all of Anna Schmidt's posts.", False),
        ("Alle Beiträge von Anna Schmidt anzeigen", False),
        ("Alle Beiträge von Anna anzeigen", False),
        ("Published 4. April 2017", False),
        ("Mehr über die Autorin erfahren!", False),
        ("", False),
    ],
)
def test_a_name_is_a_name_and_a_link_sentence_is_not(text: str, name: bool) -> None:
    assert is_name(text) is name


TT1_AUTHOR_BOX = (
    '<footer class="entry-footer default-max-width"><div class="posted-by">'
    '<span class="posted-on">Published <time class="entry-date published updated"'
    ' datetime="2023-05-02T09:00:00+02:00">2. Mai 2023</time></span></div></footer>'
    '<div class="author-bio"><div class="author-bio-content"><h2 class="author-title">'
    'By Anna Schmidt</h2><p class="author-description"> Anna Schmidt leitet das Team'
    ' Cloud &amp; Infrastructure.</p><a class="author-link" href="/author/anna-schmidt/"'
    ' rel="author">View all of Anna Schmidt&#039;s posts.</a></div></div>'
)


def test_an_author_box_without_byline_names_the_author_once_not_its_link_sentence() -> None:
    post = extract_post(_page(_content() + TT1_AUTHOR_BOX), URL)
    assert post["authors"] == [
        {
            "name": "Anna Schmidt",
            "url": "https://blog.example.de/author/anna-schmidt/",
            "bio": "Anna Schmidt leitet das Team Cloud & Infrastructure.",
        }
    ]


def test_a_byline_and_a_german_link_sentence_are_one_author() -> None:
    byline = (
        '<div class="entry-meta"><span class="byline">Von <a class="url fn n"'
        ' href="/author/anna-schmidt/" rel="author">Anna Schmidt</a></span></div>'
    )
    box = (
        '<div class="author-info"><p class="author-description">Anna schreibt über Cloud.</p>'
        '<a href="/author/anna-schmidt/" rel="author">Alle Beiträge von Anna Schmidt'
        " anzeigen</a></div>"
    )
    post = extract_post(_page(byline + _content() + box), URL)
    assert [a["name"] for a in post["authors"]] == ["Anna Schmidt"]
    assert post["authors"][0]["bio"] == "Anna schreibt über Cloud."


def test_one_date_marked_published_and_updated_is_no_modification() -> None:
    post = extract_post(_page(_content() + TT1_AUTHOR_BOX), URL)
    assert post["published_at"] == datetime(2023, 5, 2, 7, 0, tzinfo=UTC)
    assert post["modified_at"] is None


def test_a_date_marked_updated_alone_is_the_modification() -> None:
    meta = (
        '<div class="entry-meta"><time class="entry-date published" datetime="2023-05-02T09:00'
        ':00+02:00">2. Mai 2023</time><time class="updated" datetime="2023-06-01T12:00:00+02:00">'
        "1. Juni 2023</time></div>"
    )
    post = extract_post(_page(meta + _content()), URL)
    assert post["modified_at"] == datetime(2023, 6, 1, 10, 0, tzinfo=UTC)


def _comment(n: int, replies: str = "") -> str:
    children = f'<ol class="children">{replies}</ol>' if replies else ""
    return (
        f'<li id="comment-{n}" class="comment depth-1"><div class="comment-content"><p>Danke!'
        f"</p><ul><li>ein Punkt</li></ul></div>{children}</li>"
    )


@pytest.mark.parametrize(
    ("outer", "inner"),
    [
        ('<ol class="comment-list">', '<ol class="children">'),
        ('<ol class="wp-block-comment-template">', '<ol class="children">'),
        ('<ol class="wp-block-comment-template">', '<ol class="wp-block-comment-template">'),
    ],
    ids=["classic", "block-children", "block-nested-template"],
)
def test_replies_count_as_comments(outer: str, inner: str) -> None:
    """Three comments and a reply to a reply: four, however deep (a list inside a
    comment's text is no comment)."""
    reply = _comment(3, _comment(4)).replace('<ol class="children">', inner)
    comments = f'<div id="comments">{outer}{_comment(1, reply)}{_comment(2)}</ol></div>'
    post = extract_post(_page(_content() + comments), URL)
    assert post["comment_count"] == 4


def test_pingbacks_are_comments_and_a_paged_list_counts_as_its_heading_says() -> None:
    pingback = '<li id="comment-9" class="pingback even thread-even depth-1"><p>Ping</p></li>'
    listed = f'<div id="comments"><ol class="comment-list">{_comment(1)}{pingback}</ol></div>'
    assert extract_post(_page(_content() + listed), URL)["comment_count"] == 2
    paged = listed.replace("<ol", '<h2 class="comments-title">12 Kommentare</h2><ol', 1)
    assert extract_post(_page(_content() + paged), URL)["comment_count"] == 12


def test_a_post_that_lists_no_comments_has_none() -> None:
    assert extract_post(_page(_content()), URL)["comment_count"] == 0


RELATED = (
    "<div><h3>Das könnte Sie auch interessieren</h3><ul>"
    '<li><a href="/2023/04/01/der-vorige/">Der vorige Beitrag</a></li>'
    '<li><a href="/2021/01/01/ein-alter/">Ein alter Beitrag</a></li></ul></div>'
)
NAVIGATION = (
    '<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-previous">'
    '<a href="/2023/04/01/der-vorige/" rel="prev"><span class="meta-nav">Vorheriger Beitrag'
    '</span> <span class="post-title">Der vorige Beitrag</span></a></div></div></nav>'
)


@pytest.mark.parametrize("wrapper", ["{}", '<div class="sharedaddy">{}</div>'])
def test_a_related_box_is_known_by_its_heading_and_keeps_every_entry(wrapper: str) -> None:
    page = _page(_content(wrapper.format(RELATED)) + NAVIGATION)
    post = extract_post(page, URL)
    assert [
        (link["url"].rsplit("/", 2)[-2], link["relation"]) for link in post["related_links"]
    ] == [
        ("der-vorige", "previous"),
        ("der-vorige", "related"),
        ("ein-alter", "related"),
    ]
    assert "interessieren" not in post["body_text"]
    assert "Ein alter Beitrag" not in post["body_text"]
    assert post["body_text"].startswith("Die Verwaltung digitalisiert")


def test_a_related_heading_without_a_box_takes_only_the_list_after_it() -> None:
    content = _content(
        '<h3>Ähnliche Beiträge</h3><ul><li><a href="/2021/01/01/ein-alter/">Ein alter Beitrag'
        "</a></li></ul>"
    )
    post = extract_post(_page(content), URL)
    assert [link["title"] for link in post["related_links"]] == ["Ein alter Beitrag"]
    assert "Viele Anträge lassen sich heute online stellen" in post["body_text"]


SIDEBAR = (
    '<aside class="widget-area"><section class="widget widget_tag_cloud"><h2 class="widget-title">'
    'Schlagwörter</h2><div class="tagcloud"><a href="/tag/cloud/" class="tag-cloud-link">Cloud</a>'
    ' <a href="/tag/ki/" class="tag-cloud-link">KI</a></div></section><section class="widget'
    ' widget_categories"><h2>Kategorien</h2><ul><li class="cat-item"><a href="/category/it/">IT'
    "</a></li></ul></section></aside>"
)


def test_a_tag_cloud_in_the_sidebar_is_no_post_s_tags() -> None:
    post = extract_post(_page(_content(), aside=SIDEBAR), URL)
    assert post["tags"] == []
    assert post["categories"] == []


def test_a_post_s_own_terms_are_read_beside_a_sidebar_cloud() -> None:
    terms = (
        '<footer class="entry-footer"><span class="cat-links">Categorized as <a href="/category/'
        'events/" rel="category tag">Events &amp; Messen</a></span><span class="tags-links">'
        'Tagged <a href="/tag/girls-day/" rel="tag">Girls&#8217; Day</a></span></footer>'
    )
    post = extract_post(_page(_content() + terms, aside=SIDEBAR), URL)
    assert post["tags"] == ["Girls’ Day"]
    assert post["categories"] == ["Events & Messen"]


USERS = {
    3: {"name": "Anna Schmidt", "slug": "anna-schmidt", "url": "https://blog.example.de/author/anna-schmidt/",
        "bio": "Anna schreibt über Cloud & Infrastruktur."},
    4: {"name": "Jan Meyer", "slug": "jmeyer", "url": "https://blog.example.de/author/jmeyer/", "bio": ""},
}  # fmt: skip
REST = {"author": 3, "date_gmt": "2023-05-02T07:00:00", "modified_gmt": "2023-06-01T10:00:00"}


@pytest.mark.parametrize(
    ("page_author", "expected"),
    [
        ({"name": "Anna Schmidt", "url": None, "bio": None}, USERS[3]),  # block themes: name only
        ({"name": "Alle Beiträge anzeigen", "url": "https://blog.example.de/author/anna-schmidt/", "bio": None}, USERS[3]),
        ({"name": "Anna", "url": "https://blog.example.de/autorin/anna-schmidt/", "bio": None},
         USERS[3] | {"name": "Anna", "url": "https://blog.example.de/autorin/anna-schmidt/"}),
        ({"name": "Jan Meyer", "url": None, "bio": None}, USERS[4]),  # no bio: empty, never another
    ],
    ids=["by-name", "link-sentence-by-url", "by-slug", "no-bio"],
)  # fmt: skip
def test_the_rest_api_completes_the_page_s_author(
    page_author: dict, expected: dict[str, str]
) -> None:
    post: dict = {"authors": [page_author], "modified_at": None}
    apply_rest(post, {"rest": REST, "rest_users": USERS})
    assert post["authors"] == [
        {"name": expected["name"], "url": expected["url"], "bio": expected["bio"] or None}
    ]


def test_with_no_author_on_the_page_the_api_s_author_is_the_post_s() -> None:
    post: dict = {"authors": [], "modified_at": None}
    apply_rest(post, {"rest": REST, "rest_users": USERS})
    assert [a["name"] for a in post["authors"]] == ["Anna Schmidt"]
    assert post["field_sources"]["authors"] == "rest"


@pytest.mark.parametrize(
    ("date_gmt", "modified_gmt", "expected"),
    [
        ("2023-05-02T07:00:00", "2023-06-01T10:00:00", datetime(2023, 6, 1, 10, 0, tzinfo=UTC)),
        ("2023-05-02T07:00:00", "2023-05-02T07:00:00", None),  # never edited
        ("2023-05-02T07:00:00", None, None),
        (None, "2023-06-01T10:00:00", None),
        ("2023-05-02T07:00:00", "kein Datum", None),
    ],
)
def test_the_api_s_modification_is_one_only_when_later_than_publication(
    date_gmt: str | None, modified_gmt: str | None, expected: datetime | None
) -> None:
    assert modification({"date_gmt": date_gmt, "modified_gmt": modified_gmt}) == expected


def test_a_modification_the_page_declares_wins_over_the_api() -> None:
    declared = datetime(2023, 7, 1, tzinfo=UTC)
    post: dict = {"authors": [], "modified_at": declared}
    apply_rest(post, {"rest": REST})
    assert post["modified_at"] == declared


def test_a_post_the_api_did_not_list_keeps_its_archived_modification() -> None:
    """An incremental crawl asks the API for recent edits only: a canary it did not
    list is unchanged since, and keeps the modification the archive knows."""
    post: dict = {"authors": [], "modified_at": None}
    apply_rest(post, {"known_modified": "2023-06-01T10:00:00+00:00"})
    assert post["modified_at"] == datetime(2023, 6, 1, 10, 0, tzinfo=UTC)
    listed: dict = {"authors": [], "modified_at": None}
    apply_rest(
        listed,
        {
            "rest": REST | {"modified_gmt": REST["date_gmt"]},
            "known_modified": "2023-06-01T10:00:00+00:00",
        },
    )
    assert listed["modified_at"] is None  # the API's own word wins: not modified


def test_a_layout_wrapper_classed_sidebar_around_the_post_is_no_noise() -> None:
    """Some themes class the column beside the sidebar ``sidebar``: the region
    holding the post's own article (``#post-7`` on a ``postid-7`` page) is layout,
    or the post's byline, date and tags would all count as a sidebar's."""
    html = f"""<html lang="de"><head><title>Ein Beitrag</title></head>
    <body class="single single-post postid-7"><div class="sidebar left-sidebar">
    <article id="post-7" class="post"><h1 class="entry-title">Ein Beitrag</h1>
    <div class="entry-meta">Von <a href="/author/anna/" rel="author">Anna Schmidt</a>
    am 3. Mai 2023</div><div class="entry-content">{BODY}</div>
    <footer><span class="tags-links"><a href="/tag/v/" rel="tag">Verwaltung</a></span>
    </footer></article></div>
    <aside id="secondary"><article id="post-9"><h2>Ein anderer Beitrag</h2>
    <p>Ein Anreißer aus der Seitenleiste vom 4. April 2020.</p>
    <a href="/tag/y/" rel="tag">Andere</a></article></aside></body></html>"""
    post = extract_post(html, "https://blog.example/ein-beitrag/")
    assert [a["name"] for a in post["authors"]] == ["Anna Schmidt"]
    assert post["tags"] == ["Verwaltung"]
    assert post["published_at"] == datetime(2023, 5, 2, 22, 0, tzinfo=UTC)
    assert post["body_text"].startswith("Die Verwaltung digitalisiert")
    assert "Seitenleiste" not in post["body_text"]
