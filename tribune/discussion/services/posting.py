"""Writes of authors: posting a comment (one Submission, any door), editing and
deleting one's own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from tribune.core import clock, rows
from tribune.core.text import clean_reader_text
from tribune.discussion import (
    badges,
    caching,
    conf,
    inline_selectors,
    policies,
    rendering,
    selectors,
    signals,
    spam,
)
from tribune.discussion.anchoring import Anchor
from tribune.discussion.errors import (
    BannedError,
    InvalidCommentError,
    InvalidReplyError,
    NotAllowedError,
    OffensiveLanguageError,
    RateLimitedError,
    ThreadClosedError,
)
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Action,
    BanMode,
    Comment,
    DiscussionSettings,
    HeldReason,
    ModerationPolicy,
    SiteCommentsMode,
    Status,
    Thread,
)
from tribune.discussion.offensive import screening as offensive_language
from tribune.discussion.services.inline import apply_anchor
from tribune.discussion.services.moderation import change_status
from tribune.discussion.spamfilter import screening as spamfilter
from tribune.discussion.submission import Guest, Submission
from tribune.newsroom.models import DiscussedPage

NOTIFY_CHOICES = frozenset({"replies", "all"})
# Django's validators keep no state between calls: made once, not per comment.
_valid_email = EmailValidator()
_valid_website = URLValidator(schemes=["http", "https"])


def get_or_create_thread(*, article: DiscussedPage) -> Thread:
    """The thread of an article, made on first use (safe when two requests race)."""
    thread, _created = Thread.objects.get_or_create(page_id=article.pk)
    thread.page = article  # keeps the page at hand, e.g. for its URL on invalidation
    return thread


def clean_body(body: str, rules: DiscussionSettings) -> tuple[str, str]:
    """The trimmed text and its HTML, or InvalidCommentError."""
    body = clean_reader_text(body or "").strip()
    if not body:
        raise InvalidCommentError(_("Please write a comment."), field="body")
    limit = conf.get("MAX_LENGTH")
    if len(body) > limit:
        raise InvalidCommentError(
            _("Comments can be at most %(limit)d characters; this one has %(n)d.")
            % {"limit": limit, "n": len(body)},
            field="body",
            code="too_long",
        )
    html, links = rendering.render_and_count_links(body)
    if links > rules.max_links:
        raise InvalidCommentError(
            _("Comments can contain at most %(n)d links.") % {"n": rules.max_links},
            field="body",
            code="too_many_links",
        )
    return body, html


def _clean_website(website: str) -> str:
    if not website:
        return ""
    if "://" not in website:
        website = f"https://{website}"
    try:
        _valid_website(website)
    except ValidationError:
        raise InvalidCommentError(
            _("Please give a web address starting with http:// or https://."),
            field="website",
        ) from None
    if len(website) > 200:
        raise InvalidCommentError(
            _("Web addresses can be at most 200 characters."), field="website"
        )
    return website


def _clean_guest(guest: Guest) -> Guest:
    name = " ".join(clean_reader_text(guest.name or "").split())
    # Stored lower-case, so "has this guest been approved before" is an index lookup.
    email = (guest.email or "").strip().lower()
    if not name:
        raise InvalidCommentError(_("Please give a name."), field="name")
    if len(name) > 80:
        raise InvalidCommentError(
            _("Names can be at most 80 characters."), field="name"
        )
    if not email:
        raise InvalidCommentError(
            _("Please give your email address; it is never shown."), field="email"
        )
    try:
        _valid_email(email)
    except ValidationError:
        raise InvalidCommentError(
            _("This email address does not look right."), field="email"
        ) from None
    website = _clean_website(clean_reader_text(guest.website or "").strip())
    return Guest(name=name, email=email, website=website)


def _author(submission: Submission) -> Guest:
    """The shown name, the email and website of the author, checked."""
    user = submission.user
    if user is None:
        if submission.guest is None:
            raise InvalidCommentError(_("Please give a name."), field="name")
        return _clean_guest(submission.guest)
    # Account names may be email addresses, which readers must never see.
    name = user.get_full_name() or user.get_username().split("@")[0]
    # Stored lower-cased like a guest's, so "Your page" and badges match it exactly.
    email = (getattr(user, "email", "") or "").strip().lower()
    return Guest(name=name, email=email, website="")


def _anchor(submission: Submission) -> Anchor | None:
    """Where an inline comment's quote sits in the live article, or None."""
    if submission.quote is None:
        return None
    if submission.parent_id is not None:
        raise InvalidCommentError(
            _("Replies belong to a comment, not to a passage."),
            field="parent",
            code="bad_passage",
        )
    return inline_selectors.locate(
        article=submission.thread.page, quote=submission.quote
    )


def _skips_hold_as_supporter(comment: Comment, rules: DiscussionSettings) -> bool:
    """Whether the site lets supporters skip its hold and the author proved to
    be one (an account's address, or a guest's address verified from this
    browser). Asked only when a hold could apply."""
    if not rules.supporters_skip_hold or rules.moderation == ModerationPolicy.PUBLISH:
        return False
    return badges.is_proved_supporter(
        has_account=comment.author_id is not None,
        guest_token=comment.guest_token,
        email=comment.author_email,
    )


def post_comment(submission: Submission) -> Comment:
    """Add the submitted comment or reply to its thread and return it (approved
    or held).

    A submission with a quote becomes an inline comment anchored in the live
    article; the quote is checked first, so a bad one writes nothing.  A
    repeated `idempotency_key` returns the comment the first submission made
    instead of a second one.  Announces `comment_posted` on commit when the
    author asked for mail, and `comment_visible` when the comment is approved at
    once (and `comment_shown` inside the transaction).  Raises a
    DiscussionError for closed threads, bad input, bad parents, quotes not in
    the article and rate limits, and BannedError when a ban
    refuses the poster; a shadow ban stores the comment held
    (HeldReason.BANNED) and its author sees it as published.  Text that scores
    at or above the site's offensive-language threshold raises
    OffensiveLanguageError (nothing stored) unless the submission confirms it,
    and is then held (HeldReason.OFFENSIVE).
    """
    anchor = _anchor(submission)
    if submission.state != SiteCommentsMode.OPEN:
        raise ThreadClosedError()
    # Everything that needs no database comes first, outside the transaction, so
    # the write lock (SQLite has one for the whole file) is held only briefly.
    rules = submission.rules
    text, html = clean_body(submission.body, rules)
    author = _author(submission)
    user = submission.user
    guest_token = "" if user is not None else submission.viewer.guest_token
    held_word = spam.find_held_word(
        f"{text}\n{author.name}\n{author.website}", rules.word_list()
    )
    banned = check_not_banned(
        user_id=user.pk if user is not None else None,
        guest_token=guest_token,
        ip=submission.ip,
        email=author.email,
        email_proved=user is not None,
    )
    offensive = offensive_language.screen_comment(
        text=text, name=author.name, rules=rules
    )
    if offensive.flagged and not submission.offensive_confirmed:
        raise OffensiveLanguageError()
    verdict = spamfilter.screen_comment(
        text=text,
        name=author.name,
        website=author.website,
        has_account=user is not None,
        email=author.email,
        guest_token=guest_token,
    )
    # As Comment(...) builds it, without the keyword path's cost (core/rows.py).
    comment = rows.new(
        Comment,
        thread=submission.thread,
        author=user,
        author_name=author.name,
        author_email=author.email,
        author_website=author.website,
        guest_token=guest_token,
        ip_address=submission.ip,
        body_markdown=text,
        body_html=html,
        idempotency_key=submission.idempotency_key or None,
        spam_score=verdict.score,
        spam_reasons=verdict.reasons,
        spam_facts=verdict.facts,
        offensive_score=offensive.score,
        offensive_match=offensive.match,
    )
    if anchor is not None:
        apply_anchor(comment, anchor, "")
    spam_action = verdict.action(likely=rules.spam_likely, possible=rules.spam_possible)
    try:
        if submission.throttle:
            # Counted before the transaction: no cache I/O under the write lock.
            spam.check_rate(ip=submission.ip, email=author.email)
        # Decided before the transaction too: every writer waits while a
        # transaction is open (SQLite locks the whole file), and the status
        # reads nothing the transaction writes (decision 0040).
        comment.status, comment.held_reason = _initial_status(
            comment, rules, held_word, banned, spam_action, offensive.flagged
        )
        # Its values too, but for those set in the transaction (a reply's place).
        row = rows.Insert(comment, later=("parent", "root_id", "depth"))
        shown = None
        if comment.status == Status.APPROVED:
            shown = signals.prepare_in_transaction(
                signals.comment_shown, comment=comment
            )
        with transaction.atomic():
            _insert(comment, submission, row, shown)
    except (IntegrityError, RateLimitedError):
        # A resent form (double click, retry) returns what the first one made;
        # the unique key, not a read before the write, is what makes it once.
        earlier = _earlier(submission)
        if earlier is None:
            raise
        return earlier
    return comment


def _earlier(submission: Submission) -> Comment | None:
    """The comment an earlier sending of this submission made, if any."""
    if not submission.idempotency_key:
        return None
    return (
        Comment.objects.filter(
            thread=submission.thread, idempotency_key=submission.idempotency_key
        )
        .select_related("parent")
        .first()
    )


def check_not_banned(
    *,
    user_id: int | None,
    guest_token: str,
    ip: str | None,
    email: str = "",
    email_proved: bool = False,
) -> bool:
    """Raise BannedError if a ban refuses this poster or voter; return True if
    one shadow-holds them (policies.ban_verdict), False if none applies.

    Reads the bans from this process's memory (selectors.list_active_bans).
    """
    verdict = policies.ban_verdict(
        selectors.list_active_bans(),
        user_id=user_id,
        guest_token=guest_token,
        ip=ip,
        email=email,
        email_proved=email_proved,
        now=clock.now(),
    )
    if verdict == BanMode.REFUSE:
        raise BannedError()
    return verdict == BanMode.SHADOW


def _attach_parent(comment: Comment, parent_id: int, state: str) -> None:
    """Lock the parent and place the reply under it, or InvalidReplyError."""
    # One row by key, written out: building the ORM's query (its filter, the
    # model's default ORDER BY) or a raw() query cost several times the lookup.
    parent = rows.get_by_key(
        Comment, parent_id, where="thread_id = %s", params=[comment.thread.pk]
    )
    if parent is None or not policies.can_reply(parent, state):
        raise InvalidReplyError(field="parent")
    comment.parent = parent
    comment.root_id = parent.root_id or parent.pk
    comment.depth = parent.depth + 1


def _initial_status(
    comment: Comment,
    rules: DiscussionSettings,
    held_word: str | None,
    banned: bool,
    spam_action: str,
    offensive: bool,
) -> tuple[Status, HeldReason]:
    """The status the new comment starts in (policies.initial_status)."""
    is_guest = comment.author_id is None
    return policies.initial_status(
        policy=rules.moderation,
        is_guest=is_guest,
        # Asked only when the policy needs it: it is the costliest check.
        guest_is_trusted=is_guest
        and rules.moderation == ModerationPolicy.HOLD_FIRST_GUEST
        and selectors.is_trusted_guest(
            guest_token=comment.guest_token, email=comment.author_email
        ),
        supporter=_skips_hold_as_supporter(comment, rules),
        held_word=held_word,
        banned=banned,
        spam_action=spam_action,
        offensive=offensive,
    )


def _insert(
    comment: Comment,
    submission: Submission,
    row: rows.Insert,
    shown: signals.Prepared | None,
) -> None:
    """post_comment's part inside the transaction: parent, row, counter, and
    the rows of `shown` (comment_shown's receivers, prepared before)."""
    thread = comment.thread
    if submission.parent_id is not None:
        _attach_parent(comment, submission.parent_id, submission.state)
    # A Comment has no save() logic and no receiver of its save signals; the
    # ORM's save() cost more than the INSERT it sends (core/rows.py).
    row.run()
    # The row's connection, fetched once: each connections[alias] lookup goes
    # through asgiref's Local.
    connection = row.connection
    sends: list[tuple[Signal, dict[str, Any]]] = []
    if submission.notify in NOTIFY_CHOICES:
        sends.append(
            (signals.comment_posted, {"comment": comment, "notify": submission.notify})
        )
    if comment.status == Status.APPROVED:
        thread.comment_count = _COUNT_ONE_MORE.fetchone(connection, [thread.pk])[0]
        caching.invalidate_thread_pages(thread.page_id, thread)
        if shown is not None:
            shown(count=thread.comment_count)
        sends.append(
            (
                signals.comment_visible,
                {"comment": comment, "count": thread.comment_count},
            )
        )
    if sends:
        # One hook for the post's signals, sent in order once it commits.
        connection.on_commit(lambda: signals.send_all(sends))


# Add one to a thread's counter and return the new count, in one statement (the
# ORM's update() returns no values; SQLite >= 3.35 and PostgreSQL both have
# RETURNING).
_COUNT_ONE_MORE = rows.Statement(
    lambda connection: (
        f"UPDATE {connection.ops.quote_name(Thread._meta.db_table)}"  # noqa: S608
        " SET comment_count = comment_count + 1 WHERE id = %s RETURNING comment_count"
    )
)


@transaction.atomic
def edit_comment(
    *, comment: Comment, viewer: Viewer, body: str, rules: DiscussionSettings
) -> Comment:
    """Replace the text of the viewer's own comment within the edit window.

    Raises NotAllowedError after the window, for other people's comments, or
    when the browser's guest token no longer matches.  Marks it edited.  A
    published comment whose new text scores at or above the offensive-language
    threshold goes back to the queue (HeldReason.OFFENSIVE, logged as a hold),
    so an edit cannot slip past the check that posting has.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if not policies.can_edit(locked, viewer):
        raise NotAllowedError(
            _("This comment can no longer be edited from this browser."),
            code="edit_not_allowed",
        )
    locked.body_markdown, locked.body_html = clean_body(body, rules)
    locked.edited_at = clock.now()
    offensive = offensive_language.screen_comment(
        text=locked.body_markdown, name=locked.author_name, rules=rules
    )
    locked.offensive_score = offensive.score
    locked.offensive_match = offensive.match
    locked.save(
        update_fields=[
            "body_markdown",
            "body_html",
            "edited_at",
            "offensive_score",
            "offensive_match",
        ]
    )
    if locked.status != Status.APPROVED:
        return locked
    if offensive.flagged:
        locked.held_reason = HeldReason.OFFENSIVE
        locked.save(update_fields=["held_reason"])
        return change_status(
            locked,
            Status.PENDING,
            action=Action.HOLD,
            moderator=None,
            note="Offensive language after an edit",
        )
    caching.invalidate_thread_pages(locked.thread.page_id)
    return locked


@transaction.atomic
def delete_comment(*, comment: Comment, viewer: Viewer) -> Comment:
    """Delete the viewer's own comment within the edit window.

    Soft delete: the row stays so that replies keep their place under a
    "This comment was deleted." placeholder.  Raises NotAllowedError otherwise.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if not policies.can_delete(locked, viewer):
        raise NotAllowedError(
            _("This comment can no longer be deleted from this browser."),
            code="delete_not_allowed",
        )
    return change_status(
        locked, Status.DELETED, action=Action.DELETE, moderator=None, log=False
    )
