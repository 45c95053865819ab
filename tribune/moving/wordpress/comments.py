"""A post's WordPress comments (with wpDiscuz's meta) into its Tribune thread."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from tribune.discussion.models import Comment, Status
from tribune.discussion.services import get_or_create_thread, importing
from tribune.moving import conf
from tribune.moving.models import LegacyRecord
from tribune.moving.wordpress import dates, posts, wxr
from tribune.moving.wordpress.context import Run
from tribune.moving.wordpress.ledger import fingerprint
from tribune.moving.wordpress.posts import Imported

STATUSES = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "0": Status.PENDING,
    "hold": Status.PENDING,
    "spam": Status.SPAM,
    "trash": Status.DELETED,
    "post-trashed": Status.DELETED,
}
PINGS = posts.PINGS
_BREAKS = re.compile(r"\n{3,}")


def body_text(markup: str) -> str:
    """A WordPress comment's HTML as the Markdown Tribune stores: links kept as
    [text](address), paragraphs as blank lines, every other tag dropped."""
    soup = BeautifulSoup(f"<div>{markup or ''}</div>", "html.parser")
    for link in soup.find_all("a"):
        href = str(link.get("href") or "")
        text = link.get_text()
        link.replace_with(f"[{text}]({href})" if href.startswith("http") else text)
    for tag in soup.find_all(["p", "br", "blockquote", "li"]):
        tag.insert_after("\n\n" if tag.name != "br" else "\n")
    return _BREAKS.sub("\n\n", soup.get_text()).strip() or "…"


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _valid_url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value[:200]


def _votes(meta: dict[str, str]) -> tuple[int, int]:
    separate = wxr.parse_meta_value(meta.get("wpdiscuz_votes_seperate", ""))
    if isinstance(separate, dict):
        up, down = separate.get("like", 0), separate.get("dislike", 0)
        try:
            return max(int(up), 0), abs(int(down))
        except (TypeError, ValueError):
            pass
    try:
        net = int(meta.get("wpdiscuz_votes", "0") or 0)
    except ValueError:
        net = 0
    return max(net, 0), max(-net, 0)


def _ordered(comments: list[wxr.Comment], run: Run, post_id: str) -> list[wxr.Comment]:
    """Parents before their replies; a reply to a missing comment becomes top
    level and is listed."""
    ids = {c.comment_id for c in comments}
    placed: set[str] = set()
    ordered: list[wxr.Comment] = []
    pending = list(comments)
    for comment in pending:
        if comment.parent not in ("0", "") and comment.parent not in ids:
            run.report.note(
                "comment",
                comment.comment_id,
                f"parent {comment.parent} is not in the export: shown top level",
            )
            comment.parent = "0"
    while pending:
        ready = [c for c in pending if c.parent in ("0", "") or c.parent in placed]
        if not ready:  # a loop of parents: break it at the first
            ready = pending[:1]
            ready[0].parent = "0"
            run.report.note("comment", ready[0].comment_id, "parent loop broken")
        for comment in ready:
            ordered.append(comment)
            placed.add(comment.comment_id)
        pending = [c for c in pending if c.comment_id not in placed]
    return ordered


def _entry(comment: wxr.Comment, run: Run) -> importing.ImportedEntry:
    when = dates.parse(comment.date, comment.date_gmt, run.zone)
    up, down = _votes(comment.meta)
    email = _valid_email(comment.email.strip().lower())
    author = None
    if comment.user_id not in ("", "0") and email:
        author = importing.import_reader(email=email, name=comment.author)
    body = body_text(comment.content)
    if comment.comment_type in PINGS:
        body = f"{comment.comment_type.title()}: {body}"
    return importing.ImportedEntry(
        name=comment.author or "Anonymous",
        email=email,
        body=body,
        created_at=when or run.started,
        status=STATUSES.get(comment.approved, Status.PENDING),
        website=_valid_url(comment.url),
        ip=comment.ip or None,
        upvotes=up,
        downvotes=down,
        edited_at=dates.parse_stamp(comment.meta.get("wpdiscuz_last_edited_at", "")),
        author=author,
    )


def import_comments(item: wxr.Item, imported: Imported, run: Run) -> None:
    """Every comment of a post, keyed by its WordPress id; the caller holds the
    post's transaction."""
    if not item.comments:
        return
    # A plain page with comments got a discussion (posts.page_comments_mode).
    thread = get_or_create_thread(article=imported.page)
    made: dict[str, Comment] = {}
    # What earlier imports made of these comments, in two queries for the post.
    known = run.ledger.records("comment", [c.comment_id for c in item.comments])
    comments = Comment.objects.in_bulk([r.object_id for r in known.values()])
    for comment in _ordered(item.comments, run, item.post_id):
        if comment.comment_type in PINGS and not conf.keep_pingbacks():
            run.report.skip("comment", comment.comment_id, comment.comment_type)
            continue
        record = known.get(comment.comment_id)
        existing = comments.get(record.object_id) if record else None
        _one(comment, run, thread, made, imported, (record, existing))
    importing.finish_thread_import(thread=thread)


def _one(
    comment: wxr.Comment,
    run: Run,
    thread: Any,
    made: dict[str, Comment],
    imported: Imported,
    before: tuple[LegacyRecord | None, Comment | None],
) -> None:
    print_ = fingerprint(comment)
    record, existing = before
    if existing is not None and record is not None and record.fingerprint == print_:
        made[comment.comment_id] = existing
        run.report.count("comment", "unchanged")
        return
    if comment.parent not in ("0", "") and comment.parent not in made:
        run.report.skip("comment", comment.comment_id, "its parent was not imported")
        return
    saved = importing.import_entry(
        thread=thread,
        entry=_entry(comment, run),
        parent=made.get(comment.parent),
        existing=existing,
    )
    form = comment.meta.get("wpdiscuz_feedback_form_id", "")
    if form and form in imported.prompts:
        importing.attach_to_passage(
            comment=saved, body=imported.page.body, stream_id=imported.prompts[form]
        )
    elif form:
        run.report.note(
            "comment", comment.comment_id, f"feedback form {form} not in the post"
        )
    run.ledger.remember("comment", comment.comment_id, saved, print_)
    made[comment.comment_id] = saved
    run.report.count("comment", "created" if existing is None else "updated")
