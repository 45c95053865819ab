"""The subscribe bar, and the confirm, unsubscribe and manage pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tribune.discussion.models import SiteCommentsMode
from tribune.discussion.tests import factories as discussion_factories
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions import services, tokens
from tribune.subscriptions.models import Delivery, Scope, Subscription
from tribune.subscriptions.tests import factories

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def article():
    discussion_factories.rules()
    return newsroom.article()


def subscribe_url(article):
    return reverse("subscriptions:subscribe", args=[article.pk])


def path_of(url: str) -> str:
    return url.removeprefix("https://news.example.org")


def link_in(body: str, kind: str) -> str:
    match = re.search(rf"https://news\.example\.org/subscriptions/{kind}/\S+/", body)
    assert match, body
    return path_of(match[0])


def test_article_page_shows_the_subscribe_bar_above_the_comments(client, article):
    html = client.get(article.url).content.decode()
    bar = html.index('class="subscribe-bar"')
    assert bar < html.index('id="comments"')
    assert f'action="{subscribe_url(article)}"' in html
    assert 'name="email"' in html[bar : html.index("</form>", bar)]
    assert "new replies to my comments" in html


def test_bar_has_no_email_field_for_signed_in_readers(client, article):
    client.force_login(discussion_factories.user())
    html = client.get(article.url).content.decode()
    bar = html.index('class="subscribe-bar"')
    assert 'name="email"' not in html[bar : html.index("</form>", bar)]


def test_no_bar_where_comments_are_closed(client, article):
    discussion_factories.rules(comments=SiteCommentsMode.CLOSED)
    assert "subscribe-bar" not in client.get(article.url).content.decode()


def test_guest_subscribes_and_is_asked_to_confirm(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            subscribe_url(article),
            {"scope": "thread", "delivery": "digest", "email": "Ada@Example.org"},
        )
    assert response.status_code == 303
    assert response["Location"] == subscribe_url(article)
    assert "ada@example.org" not in response["Location"]
    # A reload of the page the redirect leads to subscribes nothing again.
    for _ in range(2):
        page = client.get(response["Location"])
        assert "Check your inbox" in page.content.decode()
        assert "Ada@Example.org" in page.content.decode()
        assert "no-store" in page["Cache-Control"]
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.delivery) == (
        "ada@example.org",
        Delivery.DIGEST,
    )
    assert subscription.thread.page_id == article.pk
    assert subscription.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]


def test_bad_address_is_shown_next_to_the_field(client, article):
    response = client.post(
        subscribe_url(article),
        {"scope": "thread", "delivery": "instant", "email": "x@"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="sub_email_error">[^<]*valid email', html)
    assert not Subscription.objects.exists()


def test_signed_in_reader_subscribes_to_replies_without_confirmation(client, article):
    user = discussion_factories.user(email="member@example.org")
    client.force_login(user)
    response = client.post(
        subscribe_url(article), {"scope": "my_replies", "delivery": "instant"}
    )
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Notifications will go to member@example.org" in page
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.scope) == (
        "member@example.org",
        Scope.MY_REPLIES,
    )
    assert subscription.is_confirmed
    assert mail.outbox == []


def test_confirm_link_changes_nothing_on_get_and_confirms_on_post(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            subscribe_url(article),
            {"scope": "thread", "delivery": "instant", "email": "ada@example.org"},
        )
    url = link_in(mail.outbox[0].body, "confirm")
    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert article.title in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    done = client.post(url)
    assert done.status_code == 200
    assert "now in effect" in done.content.decode()
    assert Subscription.objects.get().is_confirmed


def test_expired_confirmation_link_is_refused_with_a_clear_message(client, article):
    thread = discussion_factories.thread(article)
    with time_machine.travel(T0, tick=False) as traveller:
        services.subscribe(email="ada@example.org", scope="thread", thread=thread)
        url = reverse(
            "subscriptions:confirm", args=[tokens.confirm_token("ada@example.org")]
        )
        traveller.shift(dt.timedelta(days=7, minutes=1))
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "This confirmation link has expired" in response.content.decode()
            assert "7 days" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_tampered_links_are_refused(client):
    token = tokens.confirm_token("ada@example.org")
    for name, bad in [
        ("confirm", token[:-2] + "xx"),
        ("manage", tokens.confirm_token("ada@example.org")),  # wrong salt
        ("unsubscribe", "nonsense"),
    ]:
        response = client.get(reverse(f"subscriptions:{name}", args=[bad]))
        assert response.status_code == 400
        assert "does not work" in response.content.decode()


def test_manage_page_lists_and_removes_an_address_subscriptions(client, article):
    thread = discussion_factories.thread(article)
    mine = factories.confirmed(email="ada@example.org", thread=thread)
    factories.confirmed(email="ada@example.org", scope=Scope.MY_REPLIES)
    factories.confirmed(email="someone@example.org", thread=thread)
    url = reverse("subscriptions:manage", args=[tokens.manage_token("ada@example.org")])
    html = client.get(url).content.decode()
    assert article.title in html
    assert "Replies to your comments on any report" in html
    assert "someone@example.org" not in html
    response = client.post(url, {"remove": str(mine.pk)})
    assert response.status_code == 303
    assert list(Subscription.objects.filter(email="ada@example.org")) != []
    assert not Subscription.objects.filter(pk=mine.pk).exists()
    client.post(url, {"remove": "all"})
    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "someone@example.org"
    ]
    assert "There are no subscriptions" in client.get(url).content.decode()


def test_manage_page_cannot_remove_another_address_subscription(client, article):
    theirs = factories.confirmed(
        email="someone@example.org", thread=discussion_factories.thread(article)
    )
    url = reverse("subscriptions:manage", args=[tokens.manage_token("ada@example.org")])
    client.post(url, {"remove": str(theirs.pk)})
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_one_click_unsubscribe_works_without_cookies_or_csrf(article):
    subscription = factories.confirmed(
        email="ada@example.org", thread=discussion_factories.thread(article)
    )
    token = tokens.unsubscribe_token(
        "ada@example.org", subscription_ids=(subscription.pk,)
    )
    url = reverse("subscriptions:unsubscribe", args=[token])
    browserless = Client(enforce_csrf_checks=True)
    page = browserless.get(url)
    assert page.status_code == 200
    assert Subscription.objects.exists()
    response = browserless.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert browserless.post(url).status_code == 200  # a second POST is harmless


def test_manage_page_queries_do_not_grow_with_subscriptions(
    client, django_assert_max_num_queries
):
    discussion_factories.rules()
    url = reverse("subscriptions:manage", args=[tokens.manage_token("ada@example.org")])
    for _n in range(3):
        factories.confirmed(
            email="ada@example.org", thread=discussion_factories.thread()
        )
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(12):
        article = newsroom.article()
        comment = factories.post(thread=discussion_factories.thread(article))
        factories.confirmed(email="ada@example.org", scope="comment", comment=comment)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('name="remove"') == 16


def test_a_guest_gets_a_fresh_manage_link_by_typing_the_address(
    client, article, django_capture_on_commit_callbacks
):
    factories.confirmed(email="ada@example.org", scope=Scope.MY_REPLIES)
    mail.outbox.clear()
    url = reverse("subscriptions:request_link")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Ada@example.org"})
        client.post(url, {"email": "ada@example.org"})  # within the hour: no mail
        client.post(url, {"email": "nobody@example.org"})  # no subscriptions
    assert response.status_code == 200
    assert "a link to them is on its way" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    page = client.get(link_in(message.body, "manage"))
    assert "Replies to your comments on any report" in page.content.decode()


def test_manage_link_request_needs_an_address(client):
    response = client.post(reverse("subscriptions:request_link"), {"email": "nope"})
    assert response.status_code == 400
    assert 'id="id_email_error">' in response.content.decode()


def test_expired_manage_link_offers_a_new_one(client):
    with time_machine.travel(T0, tick=False) as traveller:
        url = reverse(
            "subscriptions:manage", args=[tokens.manage_token("ada@example.org")]
        )
        traveller.shift(dt.timedelta(days=91))
        response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link has expired" in html
    assert reverse("subscriptions:request_link") in html


def test_confirm_page_works_with_csrf_enforced_in_a_fresh_browser(client, article):
    thread = discussion_factories.thread(article)
    services.subscribe(email="ada@example.org", scope="thread", thread=thread)
    url = reverse(
        "subscriptions:confirm", args=[tokens.confirm_token("ada@example.org")]
    )
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert browser.post(url).status_code == 403
    assert not Subscription.objects.get().is_confirmed
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 200
    assert Subscription.objects.get().is_confirmed


def test_digest_one_click_link_stops_the_digest_and_keeps_instant_mail(article):
    thread = discussion_factories.thread(article)
    factories.confirmed(email="ada@example.org", thread=thread, delivery="digest")
    factories.confirmed(email="ada@example.org", scope=Scope.MY_REPLIES)
    token = tokens.unsubscribe_token("ada@example.org", digest=True)
    response = Client(enforce_csrf_checks=True).post(
        reverse("subscriptions:unsubscribe", args=[token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert list(Subscription.objects.values_list("scope", "delivery")) == [
        (Scope.MY_REPLIES, Delivery.INSTANT)
    ]


def test_one_client_cannot_make_the_site_mail_many_strangers(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTIONS_REQUESTS_PER_IP_PER_HOUR = 3
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                subscribe_url(article),
                {
                    "scope": "thread",
                    "delivery": "instant",
                    "email": f"s{n}@example.org",
                },
            ).status_code
            for n in range(5)
        ]
    assert statuses == [303, 303, 303, 429, 429]
    assert len(mail.outbox) == 3
    refused = client.post(
        subscribe_url(article),
        {"scope": "thread", "delivery": "instant", "email": "late@example.org"},
    )
    assert "Too many requests" in refused.content.decode()
    assert not Subscription.objects.filter(email="late@example.org").exists()


def test_subscribe_page_without_a_recent_post_returns_to_the_report(client, article):
    response = client.get(subscribe_url(article))
    assert response.status_code == 303
    assert response["Location"] == article.url


def test_subscribe_page_ignores_a_forged_address_cookie(client, article):
    client.cookies["tribune_subscribed"] = "victim@example.org"
    response = client.get(subscribe_url(article))
    assert response.status_code == 303
    assert response["Location"] == article.url
