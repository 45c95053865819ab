import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tribune.discussion import services
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Action,
    Comment,
    ModerationAction,
    ModerationPolicy,
    Status,
)
from tribune.discussion.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    settings = factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    thread = factories.thread()
    return [factories.comment(in_thread=thread, settings=settings) for _ in range(3)]


@pytest.fixture
def moderator():
    """A Wagtail editor with only the comment permission, not a superuser."""
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


def moderation_urls(comment):
    return [
        ("get", reverse("discussion_moderation:queue")),
        ("get", reverse("discussion_moderation:queue") + "?status=spam"),
        ("get", reverse("discussion_moderation:orphans")),
        ("get", reverse("discussion_moderation:detail", args=[comment.pk])),
        ("post", reverse("discussion_moderation:detail", args=[comment.pk])),
        ("post", reverse("discussion_moderation:act")),
        ("post", reverse("discussion_moderation:undo")),
    ]


def test_every_moderation_url_refuses_anonymous_and_non_staff(client, held):
    comment = held[0]
    for method, url in moderation_urls(comment):
        response = getattr(client, method)(
            url, {"ids": [comment.pk], "action": "approve", "body": "x"}
        )
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]
    client.force_login(factories.user())
    for method, url in moderation_urls(comment):
        response = getattr(client, method)(
            url, {"ids": [comment.pk], "action": "approve", "body": "x"}
        )
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/" in response["Location"]
    # An admin user without the comment permission is refused by our own check
    # (Wagtail turns the 403 into a redirect to the dashboard with a message).
    editor = factories.user(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for method, url in moderation_urls(comment):
        response = getattr(client, method)(
            url, {"ids": [comment.pk], "action": "approve", "body": "x"}
        )
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/"
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.body_markdown != "x"
    assert not ModerationAction.objects.exists()


def test_queue_shows_tabs_with_counts_and_pending_comments(client, held, moderator):
    client.force_login(moderator)
    response = client.get(reverse("discussion_moderation:queue"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pending (3)" in page
    assert "Approved (0)" in page
    for comment in held:
        assert comment.body_html in page
        assert comment.author_email in page


def test_bulk_approve_publishes_and_logs_each(client, held, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("discussion_moderation:act"),
        {"ids": [c.pk for c in held[:2]], "action": Action.APPROVE},
    )
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in held] == ["approved", "approved", "pending"]
    log = ModerationAction.objects.filter(moderator=moderator)
    assert log.count() == 2
    assert held[0].thread.__class__.objects.get(pk=held[0].thread_id).comment_count == 2


def test_single_spam_action_moves_the_comment(client, held, moderator):
    client.force_login(moderator)
    client.post(
        reverse("discussion_moderation:act"), {"ids": [held[0].pk], "action": "spam"}
    )
    held[0].refresh_from_db()
    assert held[0].status == Status.SPAM
    page = client.get(reverse("discussion_moderation:queue") + "?status=spam")
    assert held[0].body_html in page.content.decode()


def test_unknown_action_or_nothing_selected_changes_nothing(client, held, moderator):
    client.force_login(moderator)
    client.post(
        reverse("discussion_moderation:act"), {"ids": [held[0].pk], "action": "boom"}
    )
    client.post(reverse("discussion_moderation:act"), {"action": "approve"})
    assert not Comment.objects.filter(status=Status.APPROVED).exists()


def test_moderator_edits_text_and_the_log_shows_it(client, held, moderator):
    client.force_login(moderator)
    url = reverse("discussion_moderation:detail", args=[held[0].pk])
    response = client.post(url, {"body": "Trimmed *text*", "note": "removed address"})
    assert response.status_code == 302
    held[0].refresh_from_db()
    assert held[0].body_html == "<p>Trimmed <em>text</em></p>"
    page = client.get(url).content.decode()
    assert "removed address" in page
    assert "Edited" in page


def test_detail_shows_author_history_and_article(client, held, moderator):
    client.force_login(moderator)
    other = factories.comment(name="Same Person")
    Comment.objects.filter(pk=other.pk).update(author_email=held[0].author_email)
    page = client.get(
        reverse("discussion_moderation:detail", args=[held[0].pk])
    ).content.decode()
    assert held[0].thread.page.title in page
    assert other.body_markdown in page


def test_email_filter_lists_one_authors_comments(client, held, moderator):
    client.force_login(moderator)
    url = reverse("discussion_moderation:queue")
    page = client.get(url, {"status": "pending", "email": held[1].author_email})
    text = page.content.decode()
    assert held[1].body_html in text
    assert held[0].body_html not in text


def test_detail_shows_who_reported_from_which_network(client, moderator):
    reporter = factories.user(email="reporter@example.org")
    rules = factories.rules(reports_to_hide=5)
    shown = factories.comment(settings=rules)
    services.report_comment(
        comment=shown,
        viewer=Viewer(user_id=reporter.pk),
        rules=rules,
        reason="insults",
        ip="2001:db8:5:6::7",
    )
    services.report_comment(
        comment=shown, viewer=factories.guest_viewer(), rules=rules, ip="192.0.2.4"
    )
    client.force_login(moderator)
    page = client.get(
        reverse("discussion_moderation:detail", args=[shown.pk])
    ).content.decode()
    assert "reporter@example.org" in page
    assert "2001:db8:5:6::/64" in page
    assert "192.0.2.4" in page
    assert "not counted (new guest)" in page


def test_keyboard_actions_get_json_and_errors_as_json(client, held, moderator):
    client.force_login(moderator)
    url = reverse("discussion_moderation:act")
    json = {"HTTP_ACCEPT": "application/json"}
    response = client.post(url, {"ids": [held[0].pk], "action": "spam"}, **json)
    assert response.status_code == 200
    assert response.json()["changed"] == [held[0].pk]
    response = client.post(url, {"ids": [held[0].pk], "action": "boom"}, **json)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_action"
    response = client.post(url, {"action": "approve"}, **json)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_selection"
    response = client.post(reverse("discussion_moderation:undo"), {}, **json)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_selection"


def test_undo_restores_the_previous_status_and_logs_it(client, held, moderator):
    client.force_login(moderator)
    client.post(
        reverse("discussion_moderation:act"),
        {"ids": [c.pk for c in held[:2]], "action": "approve"},
    )
    # Without JavaScript the undo is a plain form post with a redirect.
    response = client.post(
        reverse("discussion_moderation:undo"), {"ids": [c.pk for c in held[:2]]}
    )
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in held] == ["pending", "pending", "pending"]
    assert held[0].thread.__class__.objects.get(pk=held[0].thread_id).comment_count == 0
    last = ModerationAction.objects.filter(comment=held[0]).first()
    assert last is not None
    assert (last.action, last.from_status, last.to_status, last.moderator) == (
        Action.HOLD,
        Status.APPROVED,
        Status.PENDING,
        moderator,
    )


def test_undo_leaves_another_moderators_action_alone(client, held, moderator):
    other = factories.user(is_staff=True, is_superuser=True)
    services.moderate_comments(
        comment_ids=[held[0].pk], action=Action.DELETE, moderator=other
    )
    client.force_login(moderator)
    response = client.post(
        reverse("discussion_moderation:undo"),
        {"ids": [held[0].pk]},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["restored"] == []
    held[0].refresh_from_db()
    assert held[0].status == Status.DELETED


def test_undo_of_a_delete_brings_the_comment_back(held, moderator):
    services.moderate_comments(
        comment_ids=[held[0].pk], action=Action.DELETE, moderator=moderator
    )
    restored = services.undo_moderation(comment_ids=[held[0].pk], moderator=moderator)
    assert [c.pk for c in restored] == [held[0].pk]
    held[0].refresh_from_db()
    assert (held[0].status, held[0].deleted_at) == (Status.PENDING, None)
    # The undo is itself a logged step, so undoing again redoes the delete.
    again = services.undo_moderation(comment_ids=[held[0].pk], moderator=moderator)
    assert [c.status for c in again] == [Status.DELETED]


def test_queue_page_loads_the_keyboard_script_without_inline_code(
    client, held, moderator
):
    client.force_login(moderator)
    page = client.get(reverse("discussion_moderation:queue")).content.decode()
    assert "discussion/moderation.js" in page
    assert 'id="moderation-keys" hidden' in page
    assert f'data-comment="{held[0].pk}"' in page
