"""Editors write, preview and schedule reports in Wagtail's admin."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tribune.core.management.commands.core_worker import _run_periodically
from tribune.newsroom.models import ArticlePage
from tribune.newsroom.tests import factories


@pytest.fixture
def editor_client(db) -> Client:
    user = get_user_model().objects.create_superuser(
        "editor", "editor@example.org", "pw"
    )
    client = Client()
    client.force_login(user)
    return client


def _article_form(title: str, **extra: object) -> dict[str, object]:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "date": "2026-11-20",
            "dateline": "MILLBROOK",
            "lead": "A lead written in the admin.",
            "body": streamfield(
                [("paragraph", rich_text("<p>Written by an editor.</p>"))]
            ),
            "tags": "",
            "comments": "default",
            "show_support": "on",
            **extra,
        }
    )


def _add_url(series) -> str:
    return f"/admin/pages/add/newsroom/articlepage/{series.pk}/"


@pytest.mark.django_db
def test_editor_saves_a_draft_then_publishes_it(editor_client: Client, home) -> None:
    series = factories.series()
    response = editor_client.post(_add_url(series), _article_form("Draft in admin"))
    assert response.status_code == 302, response.content[:2000]
    article = ArticlePage.objects.get(title="Draft in admin")
    assert not article.live and article.has_unpublished_changes
    response = editor_client.post(
        f"/admin/pages/{article.pk}/edit/",
        _article_form("Draft in admin", **{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    assert article.revisions.count() == 2
    assert "Written by an editor." in Client().get(article.url).content.decode()


@pytest.mark.django_db
def test_editor_previews_a_report(editor_client: Client, home) -> None:
    article = factories.article(title="Previewed report")
    url = f"/admin/pages/{article.pk}/edit/preview/"
    assert (
        editor_client.post(url, _article_form("Previewed report changed")).status_code
        == 200
    )
    preview = editor_client.get(url)
    assert "Previewed report changed" in preview.content.decode()


@pytest.mark.django_db(transaction=True)
def test_scheduled_report_goes_live_when_the_worker_clock_ticks(
    editor_client: Client,
) -> None:
    series = factories.series()
    go_live = timezone.now() + dt.timedelta(hours=2)
    response = editor_client.post(
        _add_url(series),
        _article_form(
            "Scheduled report",
            go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "publish"},
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    article = ArticlePage.objects.get(title="Scheduled report")
    assert not article.live
    with time_machine.travel(go_live + dt.timedelta(minutes=1), tick=True):
        stop = threading.Event()
        clock = threading.Thread(
            target=_run_periodically, args=({"publish_scheduled": 0.05}, stop)
        )
        clock.start()
        try:
            for _ in range(200):
                article.refresh_from_db()
                if article.live:
                    break
                stop.wait(0.05)
        finally:
            stop.set()
            clock.join(timeout=5)
    assert article.live


def test_admin_requires_login(client: Client, db) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_shows_no_gravatar(editor_client: Client) -> None:
    # The CSP allows no outside images, and editors' email hashes stay here.
    page = editor_client.get("/admin/account/").content.decode()
    assert "avatar" in page
    assert "gravatar.com" not in page


def test_the_dashboard_makes_no_upgrade_check(editor_client: Client, home) -> None:
    # The check fetches releases.wagtail.org, which the CSP refuses.
    page = editor_client.get("/admin/").content.decode()
    assert "Dashboard" in page
    assert "w-upgrade" not in page


@pytest.mark.django_db
def test_site_address_follows_the_base_url(home):
    from wagtail.models import Site

    from tribune.newsroom import services

    services.set_site_address(base_url="http://127.0.0.1:8101")
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8101"
    services.set_site_address(base_url="https://news.example")
    site.refresh_from_db()
    assert site.root_url == "https://news.example"
