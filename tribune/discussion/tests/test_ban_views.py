"""The ban pages of the moderation admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tribune.discussion import bans
from tribune.discussion.models import Action, Ban, BanMode, ModerationAction
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def comment():
    factories.rules()
    made = factories.comment(in_thread=factories.thread(newsroom.article()))
    made.ip_address = "2001:db8:7:8::42"
    made.save(update_fields=["ip_address"])
    return made


@pytest.fixture
def existing(moderator):
    return bans.ban_poster(moderator=moderator, reason="r", network="192.0.2.1")


def ban_urls(comment, ban):
    return [
        ("get", reverse("discussion_moderation:bans")),
        ("get", reverse("discussion_moderation:ban_create") + f"?comment={comment.pk}"),
        ("post", reverse("discussion_moderation:ban_create")),
        ("get", reverse("discussion_moderation:ban_edit", args=[ban.pk])),
        ("post", reverse("discussion_moderation:ban_edit", args=[ban.pk])),
        ("post", reverse("discussion_moderation:ban_lift", args=[ban.pk])),
    ]


def test_non_staff_get_403_and_anonymous_the_login(client, comment, existing):
    data = {"email": "x@example.org", "mode": "refuse", "reason": "x"}
    for method, url in ban_urls(comment, existing):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]
    # A reader without admin access is sent to the admin login by Wagtail's own
    # check before ours runs.
    client.force_login(factories.user())
    for method, url in ban_urls(comment, existing):
        response = getattr(client, method)(url, data)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/" in response["Location"]
    # Staff with admin access but no comment permission: our check's 403
    # (which Wagtail's admin may turn into a redirect to the dashboard).
    editor = factories.user(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for method, url in ban_urls(comment, existing):
        response = getattr(client, method)(url, data)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/"
    assert Ban.objects.count() == 1
    existing.refresh_from_db()
    assert existing.lifted_at is None
    assert ModerationAction.objects.filter(ban=existing).count() == 1


def test_the_form_from_a_comment_is_filled_in_with_its_author(
    client, moderator, comment
):
    client.force_login(moderator)
    url = reverse("discussion_moderation:ban_create") + f"?comment={comment.pk}"
    page = client.get(url).content.decode()
    assert comment.author_email in page
    assert comment.guest_token in page
    assert "2001:db8:7:8::/64" in page


def test_a_moderator_bans_from_a_comment_edits_and_lifts_with_a_log(
    client, moderator, comment
):
    client.force_login(moderator)
    url = reverse("discussion_moderation:ban_create") + f"?comment={comment.pk}"
    response = client.post(
        url,
        {
            "guest_token": comment.guest_token,
            "network": "2001:db8:7:8::42",
            "mode": BanMode.SHADOW,
            "reason": "Spamming the thread",
            "days": "7",
        },
    )
    assert response.status_code == 302
    made = Ban.objects.get()
    assert (made.network, made.mode, made.guest_token) == (
        "2001:db8:7:8::/64",
        BanMode.SHADOW,
        comment.guest_token,
    )
    assert made.expires_at is not None
    listing = client.get(reverse("discussion_moderation:bans")).content.decode()
    assert "Spamming the thread" in listing
    edit = reverse("discussion_moderation:ban_edit", args=[made.pk])
    assert (
        client.post(
            edit, {"mode": BanMode.REFUSE, "reason": "Kept at it", "days": ""}
        ).status_code
        == 302
    )
    made.refresh_from_db()
    assert (made.mode, made.reason, made.expires_at) == (
        BanMode.REFUSE,
        "Kept at it",
        None,
    )
    client.post(reverse("discussion_moderation:ban_lift", args=[made.pk]))
    made.refresh_from_db()
    assert made.lifted_at is not None
    log = list(
        ModerationAction.objects.filter(ban=made)
        .order_by("id")
        .values_list("action", "moderator")
    )
    assert log == [
        (Action.BAN, moderator.pk),
        (Action.BAN_EDIT, moderator.pk),
        (Action.UNBAN, moderator.pk),
    ]
    assert "Kept at it" in client.get(edit).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"network": "2001:db8::/96"}, "IPv6 range of /64 or wider"),
        ({"network": "not an address"}, "IPv6 range of /64 or wider"),
        ({}, "Choose at least one thing to ban."),
        ({"account": "nobody-here"}, "There is no account with this name."),
    ],
)
def test_bad_ban_input_shows_form_errors(client, moderator, fields, message):
    client.force_login(moderator)
    response = client.post(
        reverse("discussion_moderation:ban_create"),
        {"mode": BanMode.REFUSE, "reason": "x", **fields},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ban.objects.exists()


def test_queue_and_detail_link_to_a_ban_of_the_author(client, moderator, comment):
    client.force_login(moderator)
    target = reverse("discussion_moderation:ban_create") + f"?comment={comment.pk}"
    queue = client.get(reverse("discussion_moderation:queue") + "?status=approved")
    detail = client.get(reverse("discussion_moderation:detail", args=[comment.pk]))
    assert target in queue.content.decode()
    assert target in detail.content.decode()
