"""Browser test of the moderation queue cleared from the keyboard."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from tribune.discussion import services
from tribune.discussion.models import (
    Action,
    Comment,
    ModerationAction,
    ModerationPolicy,
    Status,
)
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def moderator():
    user = factories.user(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Comment moderators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            codename="change_comment", content_type__app_label="discussion"
        ),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def queue(home):
    """Six held comments, newest first in the queue; two by one spammer."""
    rules = factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    thread = factories.thread()
    made = []
    for n, spammer in enumerate([False, True, False, True, False, False]):
        guest = (
            Guest(name="Spammer", email="spam@example.org")
            if spammer
            else Guest(name=f"Reader {n}", email=f"reader{n}@example.org")
        )
        made.append(
            services.post_comment(
                Submission(
                    thread=thread,
                    state=factories.policies.OPEN,
                    rules=rules,
                    viewer=factories.guest_viewer(),
                    body=f"Queued comment {n}.",
                    guest=guest,
                    throttle=False,
                )
            )
        )
    assert all(c.status == Status.PENDING for c in made)
    return made


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def focused(page) -> int:
    return int(page.evaluate("document.activeElement.dataset.comment"))


def press(page, key: str, gone: list[int] = (), back: list[int] = ()) -> None:
    page.keyboard.press(key)
    for pk in gone:
        page.wait_for_selector(f"tr[data-comment='{pk}']", state="hidden")
    for pk in back:
        page.wait_for_selector(f"tr[data-comment='{pk}']", state="visible")


def statuses(comments: list[Comment]) -> list[str]:
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def moves_and_toggles_help(page, c: list[Comment]) -> None:
    """j and k move between comments; ? hides and shows the help line."""
    page.keyboard.press("j")
    assert focused(page) == c[1].pk
    page.keyboard.press("k")
    assert focused(page) == c[0].pk
    page.keyboard.press("?")
    page.wait_for_selector("#moderation-keys", state="hidden")
    page.keyboard.press("?")
    page.wait_for_selector("#moderation-keys", state="visible")


def logged_by(moderator, comment: Comment) -> None:
    """The spammer's comment was deleted, brought back, then filed as spam."""
    log = list(
        ModerationAction.objects.filter(comment=comment).order_by("created_at", "id")
    )
    assert [(a.action, a.from_status, a.to_status) for a in log] == [
        (Action.DELETE, Status.PENDING, Status.DELETED),
        (Action.HOLD, Status.DELETED, Status.PENDING),
        (Action.SPAM, Status.PENDING, Status.SPAM),
    ]
    assert all(a.moderator_id == moderator.pk for a in log)


def test_moderator_clears_the_queue_with_the_keyboard(
    page, live_server, moderator, queue
):
    sign_in(page, live_server, moderator)
    page.goto(live_server.url + "/admin/comments/")
    page.wait_for_selector("#moderation-keys:not([hidden])")
    order = page.eval_on_selector_all(
        "tr.moderation__row", "rows => rows.map(r => Number(r.dataset.comment))"
    )
    c = list(reversed(queue))  # the queue shows the newest first
    assert order == [x.pk for x in c]
    assert focused(page) == c[0].pk

    moves_and_toggles_help(page, c)
    press(page, "a", gone=[c[0].pk])
    assert focused(page) == c[1].pk
    press(page, "s", gone=[c[1].pk])
    assert focused(page) == c[2].pk
    press(page, "d", gone=[c[2].pk])
    assert focused(page) == c[3].pk
    assert statuses(c[:3]) == [Status.APPROVED, Status.SPAM, Status.DELETED]

    # u brings the deleted comment back and focuses it.
    press(page, "u", back=[c[2].pk])
    assert focused(page) == c[2].pk
    assert Comment.objects.get(pk=c[2].pk).status == Status.PENDING

    # c[2] is by the spammer: X selects c[2] and c[4], s files both.
    page.keyboard.press("X")
    assert page.eval_on_selector_all(
        "tr.moderation__row--selected",
        "rows => rows.map(r => Number(r.dataset.comment))",
    ) == [c[2].pk, c[4].pk]
    press(page, "s", gone=[c[2].pk, c[4].pk])
    assert focused(page) == c[3].pk

    # x selects one by one, a approves the selection.
    page.keyboard.press("x")
    press(page, "j")
    assert focused(page) == c[5].pk
    page.keyboard.press("x")
    press(page, "a", gone=[c[3].pk, c[5].pk])

    assert statuses(c) == [
        Status.APPROVED,
        Status.SPAM,
        Status.SPAM,
        Status.APPROVED,
        Status.SPAM,
        Status.APPROVED,
    ]
    assert not Comment.objects.filter(status=Status.PENDING).exists()
    logged_by(moderator, c[2])
    # With the page cleared the queue reloads and shows it is empty.
    page.wait_for_selector("text=No comments here.")
    assert page.errors == []


def test_b_opens_the_ban_form_for_the_focused_comment(
    page, live_server, moderator, queue
):
    sign_in(page, live_server, moderator)
    page.goto(live_server.url + "/admin/comments/")
    page.wait_for_selector("#moderation-keys:not([hidden])")
    page.keyboard.press("j")
    newest_but_one = queue[-2]
    page.keyboard.press("b")
    page.wait_for_url(f"**/bans/new/?comment={newest_but_one.pk}")
    assert page.errors == []
