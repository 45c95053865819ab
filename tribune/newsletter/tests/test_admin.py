"""Editors' newsletter page: preview, a test to oneself, corrections, permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tribune.mailing.models import OutboundEmail
from tribune.newsletter.models import Dispatch
from tribune.newsletter.tests.factories import subscriber
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Client:
    user = get_user_model().objects.create_superuser(
        username="ed", email="ed@example.org", password="pw-for-tests-only"
    )
    client = Client()
    client.force_login(user)
    return client


def test_the_edit_page_links_to_the_newsletter_page(editor: Client) -> None:
    article = newsroom.article(title="Linked")
    page = editor.get(f"/admin/pages/{article.pk}/edit/")
    assert f"/admin/newsletter/{article.pk}/" in page.content.decode()


def test_the_newsletter_page_lists_sends_in_few_queries(
    editor: Client, django_assert_max_num_queries: Any
) -> None:
    subscriber("a@example.org")
    article = newsroom.article(title="Listed")
    with django_assert_max_num_queries(25):
        page = editor.get(f"/admin/newsletter/{article.pk}/")
    assert page.status_code == 200
    assert "Report" in page.content.decode()


def test_the_preview_is_the_mail_under_a_policy_without_scripts(editor: Client) -> None:
    article = newsroom.article(title="Preview <b>me</b>", lead="A lead.")
    answer = editor.get(f"/admin/newsletter/{article.pk}/preview/")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Preview &lt;b&gt;me&lt;/b&gt;" in body and "A lead." in body
    policy = answer["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert answer["X-Frame-Options"] == "SAMEORIGIN"


def test_a_draft_can_be_previewed_and_tested(editor: Client) -> None:
    article = newsroom.article(title="Draft only", publish=False)
    assert editor.get(f"/admin/newsletter/{article.pk}/preview/").status_code == 200
    answer = editor.post(f"/admin/newsletter/{article.pk}/test/")
    assert answer.status_code == 302
    test = OutboundEmail.objects.get(recipient="ed@example.org")
    assert test.subject == "[Test] Draft only"
    assert not Dispatch.objects.exists()


def test_a_correction_is_sent_on_purpose(editor: Client) -> None:
    article = newsroom.article(title="Corrected")
    answer = editor.post(
        f"/admin/newsletter/{article.pk}/correction/", {"note": "A date was wrong."}
    )
    assert answer.status_code == 302
    correction = Dispatch.objects.get(kind=Dispatch.Kind.CORRECTION)
    assert correction.note == "A date was wrong."
    editor.post(f"/admin/newsletter/{article.pk}/correction/", {"note": ""})
    assert Dispatch.objects.filter(kind=Dispatch.Kind.CORRECTION).count() == 1


def test_readers_and_editors_without_rights_are_turned_away() -> None:
    article = newsroom.article(title="Guarded")
    urls = [f"/admin/newsletter/{article.pk}/{s}" for s in ("", "preview/")]
    guest = Client()
    for url in urls:
        assert guest.get(url).status_code == 302  # to the admin's login
    user = get_user_model().objects.create_user(
        username="reader", email="r@example.org", password="pw-for-tests-only"
    )
    reader = Client()
    reader.force_login(user)
    for url in urls:
        assert reader.get(url).status_code in {302, 403}
    answer = reader.post(f"/admin/newsletter/{article.pk}/correction/", {"note": "x"})
    assert answer.status_code in {302, 403}
    assert not Dispatch.objects.filter(kind=Dispatch.Kind.CORRECTION).exists()
