"""Reads of threads and comments; a thread page costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from tribune.core import clock, generations, sites
from tribune.discussion import conf, policies, tree
from tribune.discussion.errors import NotFoundError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Ban,
    Comment,
    DiscussionSettings,
    EmailVerification,
    SiteCommentsMode,
    Status,
    Thread,
    Vote,
)
from tribune.discussion.pages import (
    ARTICLES_GENERATION,
    THREAD_PAGE,
    discussed,
    find_discussed,
    thread_with_page,
)
from tribune.discussion.ranking import Order
from tribune.newsroom.models import DiscussedPage

_ORDERING = {
    Order.OLDEST: ("created_at", "id"),
    Order.NEWEST: ("-created_at", "-id"),
    Order.VOTED: ("-score", "-rank", "id"),
    Order.BEST: ("-rank", "-score", "id"),
    Order.INLINE: ("created_at", "id"),
}


# Copies of articles kept per process for posting; bumped when a page is saved,
# deleted or moved, or a thread deleted (apps.py).
KEEP_SECONDS = 3600
# The article's fields a post needs: its state, its address, its privacy.
POST_FIELDS = ("title", "url_path", "path", "depth", "live", "comments")


@dataclass
class ThreadPage:
    """What the comment section shows: counts, state and one page of threads."""

    article: DiscussedPage
    thread: Thread | None
    state: SiteCommentsMode
    order: Order
    count: int
    roots: list[tree.Node[Comment]] = field(default_factory=list)
    page_number: int = 1
    has_more: bool = False
    show_all: bool = False
    votes: dict[int, int] = field(default_factory=dict)
    focus: int | None = None

    @property
    def next_page(self) -> int:
        return self.page_number + 1


# Bans kept per process for the posting and voting paths; bumped by every
# change of a ban (bans.py).  Expiry is checked at use, so it needs no bump.
BANS_GENERATION = "discussion:bans:generation"


def list_active_bans() -> list[Ban]:
    """Bans not lifted and not yet expired when loaded, from this process's
    memory when it can be (no query).

    policies.ban_verdict checks expiry again at the moment of use.
    """

    def load() -> list[Ban]:
        now = clock.now()
        return list(
            Ban.objects.filter(lifted_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .order_by()
        )

    return generations.remember(
        BANS_GENERATION, "discussion:bans:active", load, KEEP_SECONDS
    )


def list_bans(*, lifted: bool) -> QuerySet[Ban]:
    """Bans for moderators, newest first: current ones, or lifted and expired."""
    now = clock.now()
    current = Q(lifted_at__isnull=True) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    bans = Ban.objects.exclude(current) if lifted else Ban.objects.filter(current)
    return bans.select_related("user", "created_by").order_by("-created_at", "-id")


def get_settings(site: Site | None) -> DiscussionSettings:
    """The discussion settings of a site (the default site when None)."""
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return DiscussionSettings(moderation="publish")
    return DiscussionSettings.for_site(site)


def get_settings_for_request(request: HttpRequest) -> DiscussionSettings:
    """The discussion settings of the site serving the request (cached on it).

    A host no site answers (and no default site) gets the defaults, so the
    pages that do not belong to an article (sign-up, the API) still answer.
    """
    try:
        return DiscussionSettings.for_request(request)
    except DiscussionSettings.DoesNotExist:
        return get_settings(None)


def thread_for_post(page_id: int) -> Thread | None:
    """The thread of a live article, with the article's POST_FIELDS on `thread.page`.

    From this process's memory when it can be (no query); the copy's
    `comment_count` may be behind. None when the article is not live or has no
    thread yet.
    """

    def load() -> Thread | None:
        return thread_with_page(page_id, POST_FIELDS)

    return generations.remember(
        ARTICLES_GENERATION, f"discussion:post:{page_id}", load, KEEP_SECONDS
    )


def get_public_article(page_id: int, *, fields: Sequence[str] = ()) -> DiscussedPage:
    """The report or plain page readers may see: live and outside every private
    section.

    Raises NotFoundError otherwise.  `fields` limits the columns loaded (a post
    needs POST_FIELDS; the body loads on use).
    """
    return _public(find_discussed(page_id, fields))


def is_public(article: Page) -> bool:
    """Whether readers may see the page: live and outside every private section."""
    return bool(article.live) and not sites.is_private(article)


def _public(article: DiscussedPage | None) -> DiscussedPage:
    if article is None or not is_public(article):
        raise NotFoundError(_("There is no such report."))
    return article


def get_public_thread(page_id: int) -> Thread | None:
    """thread_for_post's thread when its article is public (NotFoundError when
    not), or None when the article has no thread yet."""
    thread = thread_for_post(page_id)
    if thread is not None:
        _public(thread.page)
    return thread


def forget_articles(sender: Any = None, **kwargs: Any) -> None:
    """Retire every process's copies of articles (a page or thread changed)."""
    generations.bump(ARTICLES_GENERATION)


def get_state(article: Page, rules: DiscussionSettings) -> SiteCommentsMode:
    """Whether the page's comments are open, closed or hidden."""
    return policies.thread_state(discussed(article).comments, rules.comments)


def has_stake(viewer: Viewer, page_ids: list[int]) -> bool:
    """Whether a guest wrote or voted anything in the threads of these articles."""
    wrote = Comment.objects.filter(
        thread__page_id__in=page_ids, guest_token=viewer.guest_token
    )
    voted = Vote.objects.filter(voter=viewer.key, comment__thread__page_id__in=page_ids)
    return wrote.exists() or voted.exists()


def is_trusted_guest(*, guest_token: str, email: str) -> bool:
    """Whether a guest proved they may skip the first-comment hold.

    Proof is the browser itself (its guest token wrote an approved comment) or
    a verified address (this browser asked for the link mailed to `email`, and
    it was opened).  An address typed into the form counts for nothing alone.
    """
    if not guest_token:
        return False
    wrote = Comment.objects.filter(guest_token=guest_token, status=Status.APPROVED)
    verified = EmailVerification.objects.filter(
        guest_token=guest_token, email=email, verified_at__isnull=False
    )
    return wrote.exists() or (bool(email) and verified.exists())


def guest_has_verified_email(*, guest_token: str) -> bool:
    """Whether this browser opened a verification link for any address."""
    return bool(guest_token) and (
        EmailVerification.objects.filter(
            guest_token=guest_token, verified_at__isnull=False
        ).exists()
    )


def visible_to(viewer: Viewer) -> Q:
    """Comments a reader sees: approved, and their own awaiting moderation."""
    visible = Q(status=Status.APPROVED)
    if viewer.user_id is not None:
        visible |= Q(status=Status.PENDING, author_id=viewer.user_id)
    elif viewer.guest_token:
        visible |= Q(status=Status.PENDING, guest_token=viewer.guest_token)
    return visible


def _roots(
    thread: Thread, viewer: Viewer, order: Order | None = None
) -> QuerySet[Comment]:
    """Top-level comments the reader sees, or that hold replies the reader sees.

    The "Inline Feedbacks" order keeps only comments on a passage.
    """
    answered = Comment.objects.filter(root=OuterRef("pk"), status=Status.APPROVED)
    roots = Comment.objects.filter(thread=thread, root__isnull=True).filter(
        visible_to(viewer) | Q(Exists(answered))
    )
    if order is Order.INLINE:
        roots = roots.exclude(passage_state="")
    return roots


def _position_filter(order: Order, anchor: Comment) -> Q:
    """Comments that come before `anchor` in `order`."""
    if order is Order.NEWEST:
        return Q(created_at__gt=anchor.created_at) | Q(
            created_at=anchor.created_at, id__gt=anchor.pk
        )
    if order is Order.VOTED:
        return (
            Q(score__gt=anchor.score)
            | Q(score=anchor.score, rank__gt=anchor.rank)
            | Q(score=anchor.score, rank=anchor.rank, id__lt=anchor.pk)
        )
    if order is Order.BEST:
        return (
            Q(rank__gt=anchor.rank)
            | Q(rank=anchor.rank, score__gt=anchor.score)
            | Q(rank=anchor.rank, score=anchor.score, id__lt=anchor.pk)
        )
    return Q(created_at__lt=anchor.created_at) | Q(
        created_at=anchor.created_at, id__lt=anchor.pk
    )


def find_page_of(
    *, thread: Thread, viewer: Viewer, order: Order, comment_id: int
) -> int | None:
    """The page number on which a comment's conversation appears, or None."""
    # Only a comment the reader may see moves the page: where a held one sits
    # is not for other readers to learn.
    target = (
        Comment.objects.filter(visible_to(viewer), thread=thread, pk=comment_id)
        .select_related("root")
        .first()
    )
    if target is None:
        return None
    root = target.root or target
    if order is Order.INLINE and not root.passage_state:
        order = Order.OLDEST  # a permalink to a plain comment leaves the filter
    before = _roots(thread, viewer, order).filter(_position_filter(order, root)).count()
    return before // conf.get("PAGE_SIZE") + 1


def get_thread_page(
    *,
    article: DiscussedPage,
    viewer: Viewer,
    rules: DiscussionSettings,
    order: Order = Order.OLDEST,
    page_number: int = 1,
    show_all: bool = False,
    focus: int | None = None,
) -> ThreadPage:
    """One page of top-level comments with all their replies, nested for display.

    At most six queries whatever the thread size: the thread, an optional
    permalink lookup (two), the page of top-level comments, their replies, and
    the viewer's votes on them.
    """
    state = get_state(article, rules)
    result = ThreadPage(article=article, thread=None, state=state, order=order, count=0)
    if state == SiteCommentsMode.HIDDEN:
        return result
    thread = Thread.objects.filter(page_id=article.pk).first()
    result.thread = thread
    if thread is None:
        return result
    result.count = thread.comment_count
    if focus is not None:
        located = find_page_of(
            thread=thread, viewer=viewer, order=order, comment_id=focus
        )
        if located is not None:
            page_number, result.focus = located, focus
    size = conf.get("PAGE_SIZE")
    page_number = max(1, page_number)
    roots = _roots(thread, viewer, order).order_by(*_ORDERING[order])
    if not show_all:
        start = (page_number - 1) * size
        roots = roots[start : start + size + 1]
    top = list(roots)
    if not show_all and len(top) > size:
        result.has_more = True
        top = top[:size]
    result.page_number, result.show_all = page_number, show_all
    replies = (
        list(
            Comment.objects.filter(root_id__in=[c.pk for c in top]).order_by(
                "created_at", "id"
            )
        )
        if top
        else []
    )
    result.roots = build_tree(top, replies, viewer)
    if viewer.key is not None and top:
        ids = [c.pk for c in top] + [c.pk for c in replies]
        result.votes = dict(
            Vote.objects.filter(voter=viewer.key, comment_id__in=ids).values_list(
                "comment_id", "value"
            )
        )
    return result


def build_tree(
    top: list[Comment], replies: Iterable[Comment], viewer: Viewer
) -> list[tree.Node[Comment]]:
    """Nest top-level comments (in display order) and replies for one reader."""
    nodes = [
        tree.Node(
            id=c.pk,
            parent_id=c.parent_id,
            name=c.author_name,
            shown=policies.can_see(c, viewer),
            item=c,
        )
        for c in [*top, *replies]
    ]
    return tree.build(nodes, max_depth=conf.get("MAX_DEPTH"))


def access_comment(
    *, comment_id: int, viewer: Viewer, rules: DiscussionSettings
) -> Comment:
    """The comment with its thread and article, if policies.can_view_comment lets
    the reader see it; otherwise NotFoundError, the same answer as for an id
    that does not exist (ids are sequential, so any other answer would tell
    readers what the moderation queue holds).
    """
    comment = get_comment(comment_id)
    if comment is None:
        raise NotFoundError()
    article = discussed(comment.thread.page)
    if not policies.can_view_comment(
        viewer=viewer,
        comment=comment,
        state=get_state(article, rules),
        page_public=article.live and not sites.is_private(article),
    ):
        raise NotFoundError()
    return comment


def get_comment(comment_id: int) -> Comment | None:
    """A comment with its thread and article, or None."""
    return (
        Comment.objects.select_related("thread", *THREAD_PAGE)
        .filter(pk=comment_id)
        .first()
    )


def count_comments(page_ids: Iterable[int]) -> dict[int, int]:
    """Visible comment counts of many articles in one query (0 for no thread)."""
    ids = list(page_ids)
    found = dict(
        Thread.objects.filter(page_id__in=ids).values_list("page_id", "comment_count")
    )
    return {pk: found.get(pk, 0) for pk in ids}


def list_moderation_queue(
    *,
    status: str,
    thread_id: int | None = None,
    email: str | None = None,
    by_spam_score: bool = False,
) -> QuerySet[Comment]:
    """Comments in one status for moderators, with their article: newest first,
    or highest spam score first (unscored last)."""
    comments = Comment.objects.filter(status=status).select_related(
        "thread__page", "author"
    )
    if thread_id is not None:
        comments = comments.filter(thread_id=thread_id)
    if email:
        comments = comments.filter(author_email__iexact=email)
    if by_spam_score:
        return comments.order_by(
            F("spam_score").desc(nulls_last=True), "-created_at", "-id"
        )
    return comments.order_by("-created_at", "-id")


def count_by_status() -> dict[str, int]:
    """How many comments each status holds, in one query."""
    return dict(
        Comment.objects.values_list("status").annotate(n=Count("id")).order_by()
    )


def list_author_history(comment: Comment, *, limit: int) -> list[Comment]:
    """Other comments by the same author (account or email), newest first."""
    same = Q(author_email__iexact=comment.author_email) if comment.author_email else Q()
    if comment.author_id is not None:
        same |= Q(author_id=comment.author_id)
    if not same:
        return []
    return list(
        Comment.objects.filter(same)
        .exclude(pk=comment.pk)
        .select_related("thread__page")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class ReportRow:
    """A reader report as moderators see it: who, from where, and whether it counted."""

    created_at: Any
    reason: str
    reporter: str
    is_account: bool
    network: str
    counted: bool


def list_reports(comment: Comment, *, limit: int = 50) -> list[ReportRow]:
    """The comment's reports, newest first, with each reporting account's email.

    Guests are shown by the start of their cookie token (enough to spot one
    browser reporting many comments).  Two queries.
    """
    reports = list(comment.reports.order_by("-created_at")[:limit])
    user_ids = [int(r.reporter[2:]) for r in reports if r.reporter.startswith("u:")]
    emails = dict(
        get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email")
    )
    rows = []
    for report in reports:
        kind, _sep, ident = report.reporter.partition(":")
        is_account = kind == "u"
        label = (
            str(emails.get(int(ident), report.reporter)) if is_account else ident[:8]
        )
        rows.append(
            ReportRow(
                created_at=report.created_at,
                reason=report.reason,
                reporter=label,
                is_account=is_account,
                network=report.network,
                counted=report.counted,
            )
        )
    return rows
