"""Comments and the German comment form, as WordPress core renders them."""

from __future__ import annotations

from tests.replica.markup import Ctx, esc, german_date, iso
from tests.replica.model import Comment, Post

REQUIRED = "Bitte füllen Sie dieses Feld aus."


def comments_area(ctx: Ctx, post: Post, list_class: str = "comment-list") -> str:
    """``div#comments``: heading and list (only when there are comments), then the form."""
    parts = ['<div id="comments" class="comments-area">']
    if post.comments:
        count = len(post.comments)
        label = "Gedanke" if count == 1 else "Gedanken"
        parts.append(f'<h2 class="comments-title">{count} {label} zu „{esc(post.title)}“</h2>')
        items = "".join(_comment(ctx, post, c) for c in post.comments)
        parts.append(f'<ol class="{list_class}">{items}</ol>')
    parts.append(comment_form(ctx, post))
    parts.append("</div>")
    return "".join(parts)


def _comment(ctx: Ctx, post: Post, comment: Comment) -> str:
    when = f"{german_date(comment.date)} um {comment.date:%H:%M} Uhr"
    return (
        f'<li id="comment-{comment.comment_id}" class="comment even thread-even depth-1">'
        f'<article id="div-comment-{comment.comment_id}" class="comment-body">'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{esc(comment.name)}</b> <span class="says">sagt:</span></div>'
        '<div class="comment-metadata">'
        f'<a href="{ctx.url(post.path)}#comment-{comment.comment_id}">'
        f'<time datetime="{iso(comment.date)}">{when}</time></a></div></footer>'
        f'<div class="comment-content"><p>{esc(comment.text)}</p></div>'
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link"'
        f' href="?replytocom={comment.comment_id}#respond">Antworten</a></div></article></li>'
    )


def comment_form(ctx: Ctx, post: Post) -> str:
    fields = "".join(
        f'<p class="comment-form-{name}"><label for="{name}">{label} <span class="required">*'
        f'</span></label><input id="{name}" name="{name}" type="{kind}" required>'
        f'<span class="validation-message" hidden>{message}</span></p>'
        for name, label, kind, message in (
            ("author", "Name", "text", REQUIRED),
            ("email", "E-Mail", "email", "Bitte gib eine gültige E-Mail-Adresse ein."),
        )
    )
    return (
        '<div id="respond" class="comment-respond">'
        '<h3 id="reply-title" class="comment-reply-title">Schreibe einen Kommentar</h3>'
        f'<form action="{ctx.url("wp-comments-post.php")}" method="post" id="commentform"'
        ' class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">'
        "Deine E-Mail-Adresse wird nicht veröffentlicht.</span>"
        ' <span class="required-field-message">Erforderliche Felder sind mit'
        ' <span class="required">*</span> markiert</span></p>'
        '<p class="comment-form-comment"><label for="comment">Kommentar'
        ' <span class="required">*</span></label><textarea id="comment" name="comment"'
        f' required></textarea><span class="validation-message" hidden>{REQUIRED}</span></p>'
        f'{fields}<p class="comment-form-consent"><input id="consent" type="checkbox" required>'
        '<span class="validation-message" hidden>Sie müssen den Bedingungen zustimmen, um'
        ' fortzufahren.</span></p><p class="form-submit"><input name="submit" type="submit"'
        ' id="submit" class="submit" value="Kommentar abschicken">'
        f'<input type="hidden" name="comment_post_ID" value="{post.post_id}"></p></form></div>'
    )
