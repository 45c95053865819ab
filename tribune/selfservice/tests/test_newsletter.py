"""The newsletter on Your page: listed under "Subscriptions and mail", changed
and stopped there, stopped by "stop all mail", exported, erased and put back by
an undo; the newsletter's preferences link leads to the page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from tribune.mailing.tests.conftest import SMTPServer
from tribune.newsletter import sending
from tribune.newsletter.models import Frequency, Subscriber
from tribune.newsletter.tests.factories import subscriber
from tribune.newsroom.tests import factories as newsroom
from tribune.selfservice.tests.conftest import SITE, proved_client

ADA = "ada@example.org"
START = "/me/"
SCHEMA = Path(__file__).resolve().parents[1] / "your-data.schema.json"


def mail_section(client: Client) -> str:
    page = client.get(START).content.decode()
    return page.split('id="me-mail"', 1)[1].split('id="me-support"', 1)[0]


@pytest.mark.django_db
def test_the_page_lists_what_the_newsletter_follows_and_how_often(home) -> None:
    rivers = newsroom.series("Rivers")
    topic = Tag.objects.create(name="housing", slug="housing")
    subscriber(
        ADA,
        everything=False,
        series_ids=[rivers.pk],
        topic_ids=[topic.pk],
        frequency=Frequency.WEEKLY,
    )
    subscriber("bert@example.org", frequency=Frequency.DAILY)
    section = mail_section(proved_client(ADA))
    assert "The newsletter" in section
    assert "the series “Rivers”" in section and "the topic “housing”" in section
    assert "A weekly digest" in section and "A daily digest" not in section
    assert "No subscriptions." not in section


@pytest.mark.django_db
def test_no_newsletter_row_and_no_change_page_without_a_subscription(home) -> None:
    client = proved_client(ADA)
    assert "The newsletter" not in mail_section(client)
    response = client.get(reverse("selfservice:newsletter"))
    assert response.status_code == 302 and response["Location"] == START
    response = client.post(
        reverse("selfservice:newsletter"), {"what": "all", "frequency": "daily"}
    )
    assert response.status_code == 302
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_the_newsletter_choices_change_on_the_page(home) -> None:
    rivers = newsroom.series("Rivers")
    first = subscriber(ADA)
    client = proved_client(ADA)
    form = client.get(reverse("selfservice:newsletter"))
    assert form.status_code == 200 and b"Rivers" in form.content
    response = client.post(
        reverse("selfservice:newsletter"),
        {"what": "chosen", "series": [rivers.pk], "frequency": "daily"},
    )
    assert response.status_code == 302
    changed = Subscriber.objects.get(email=ADA)
    assert not changed.everything and changed.frequency == "daily"
    assert list(changed.series.all()) == [rivers]
    assert changed.confirmed_at == first.confirmed_at
    # Choosing nothing is a form error, and nothing changes.
    bad = client.post(
        reverse("selfservice:newsletter"), {"what": "chosen", "frequency": "weekly"}
    )
    assert bad.status_code == 400
    assert b"Tick at least one series or topic" in bad.content
    assert Subscriber.objects.get(email=ADA).frequency == "daily"
    client.post(
        reverse("selfservice:newsletter"), {"what": "all", "frequency": "weekly"}
    )
    again = Subscriber.objects.get(email=ADA)
    assert again.everything and not again.series.exists()


@pytest.mark.django_db
def test_the_newsletter_stops_alone_or_with_all_mail(home) -> None:
    subscriber(ADA)
    subscriber("bert@example.org")
    client = proved_client(ADA)
    client.post(reverse("selfservice:stop_newsletter"))
    assert not Subscriber.objects.filter(email=ADA).exists()
    assert Subscriber.objects.filter(email="bert@example.org").exists()
    subscriber(ADA)
    client.post(reverse("selfservice:mail"), {"action": "stop"})
    assert not Subscriber.objects.filter(email=ADA).exists()
    # Only by POST: a GET (a mail scanner) stops nothing.
    subscriber(ADA)
    assert client.get(reverse("selfservice:stop_newsletter")).status_code == 405
    assert Subscriber.objects.filter(email=ADA).exists()


@pytest.mark.django_db
def test_the_export_holds_the_newsletter_as_documented(home) -> None:
    rivers = newsroom.series("Rivers")
    client = proved_client(ADA)
    schema = json.loads(SCHEMA.read_text())
    data = json.loads(client.get(reverse("selfservice:export")).content)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["newsletter"] is None
    subscriber(ADA, everything=False, series_ids=[rivers.pk], frequency="weekly")
    data = json.loads(client.get(reverse("selfservice:export")).content)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["newsletter"]["series"] == ["Rivers"]
    assert data["newsletter"]["frequency"] == "weekly"
    assert data["newsletter"]["everything"] is False
    data["newsletter"]["frequency"] = "hourly"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.django_db
def test_erasure_removes_the_newsletter_and_undo_puts_it_back(home) -> None:
    rivers = newsroom.series("Rivers")
    first = subscriber(ADA, everything=False, series_ids=[rivers.pk], frequency="daily")
    client = proved_client(ADA)
    client.post(reverse("selfservice:erase"), {"comments": "remove", "confirm": "on"})
    assert not Subscriber.objects.filter(email=ADA).exists()
    client.post(reverse("selfservice:undo"))
    back = Subscriber.objects.get(email=ADA)
    assert back.frequency == "daily" and list(back.series.all()) == [rivers]
    assert back.confirmed_at == first.confirmed_at


@pytest.mark.django_db(transaction=True)
def test_the_newsletters_preferences_link_leads_to_your_page(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    subscriber(ADA)
    newsroom.article(title="Ferry timetable changes")
    sending.pace()
    run_worker()
    [message] = [m.message for m in smtp_settings.received if m.rcpt_tos == [ADA]]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    found = re.search(
        r"(https://\S+)\s*$", text.split("Your preferences:")[1].split("\n")[0]
    )
    assert found and found[1] == f"{SITE}/me/"
    assert f'href="{SITE}/me/"' in html
    page = proved_client(ADA).get(found[1].removeprefix(SITE))
    assert "Each report as it is published" in page.content.decode()


@pytest.mark.django_db
def test_the_page_and_the_change_form_cost_the_same_for_one_or_many_series(
    home, django_assert_num_queries
) -> None:
    first = newsroom.series("Rivers")
    Tag.objects.create(name="housing", slug="housing")
    subscriber(ADA, everything=False, series_ids=[first.pk], frequency="daily")
    client = proved_client(ADA)
    client.get(START)
    client.get(reverse("selfservice:newsletter"))
    with django_assert_num_queries(11):
        client.get(START)
    with django_assert_num_queries(9):
        client.get(reverse("selfservice:newsletter"))
    more = [newsroom.series(f"Series {n}").pk for n in range(3)]
    Tag.objects.create(name="transport", slug="transport")
    subscriber(ADA, everything=False, series_ids=[first.pk, *more], frequency="daily")
    client.get(START)
    client.get(reverse("selfservice:newsletter"))
    with django_assert_num_queries(11):
        assert "Series 2" in client.get(START).content.decode()
    with django_assert_num_queries(9):
        client.get(reverse("selfservice:newsletter"))
