"""Reader pages: the sign-up box on the site's pages, the form, links in mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from tribune.core import clock
from tribune.mailing.models import OutboundEmail
from tribune.newsletter import tokens
from tribune.newsletter.models import Subscriber
from tribune.newsletter.tests.factories import subscriber
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


def sign_up(client: Client, **data: Any) -> Any:
    return client.post(
        "/newsletter/",
        {"email": "ada@example.org", "what": "all", "frequency": "each", **data},
    )


def test_the_box_is_on_the_home_page_every_series_and_the_end_of_every_report() -> None:
    series = newsroom.series("Valley")
    article = newsroom.article(in_series=series, tags=["Water"])
    client = Client()
    for url in ("/", series.url, article.url):
        page = client.get(url).content.decode()
        assert "Get our reports by email" in page, url
        assert 'action="/newsletter/"' in page
    end = client.get(article.url).content.decode()
    assert f'name="series" value="{series.pk}"' in end
    assert "the topic “Water”" in end


def test_the_sign_up_page_takes_a_fixed_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    for n in range(3):
        newsroom.series(f"Series {n}")
    client = Client()
    client.get("/newsletter/")
    with django_assert_num_queries(3):
        assert client.get("/newsletter/").status_code == 200


def test_signing_up_answers_the_same_for_a_known_address() -> None:
    subscriber("ada@example.org")
    known = sign_up(Client())
    new = sign_up(Client(), email="new@example.org")
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])


def test_a_chosen_series_is_what_the_confirmation_subscribes_to() -> None:
    series = newsroom.series("Hills")
    newsroom.series("Elsewhere")
    assert (
        sign_up(
            Client(), what="chosen", series=[series.pk], frequency="weekly"
        ).status_code
        == 303
    )
    mail = OutboundEmail.objects.get(recipient="ada@example.org")
    token = mail.text_body.split("/newsletter/confirm/")[1].split("/")[0]
    Client().post(f"/newsletter/confirm/{token}/")
    ada = Subscriber.objects.get()
    assert (ada.everything, ada.frequency) == (False, "weekly")
    assert list(ada.series.all()) == [series]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"what": "chosen"}, "Tick at least one series or topic"),
        ({"frequency": "hourly"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error(data: dict[str, str], message: str) -> None:
    answer = sign_up(Client(), **data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not OutboundEmail.objects.exists()


def test_one_network_cannot_make_the_site_mail_many_strangers(settings: Any) -> None:
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 3
    client = Client()
    codes = [sign_up(client, email=f"s{n}@example.org").status_code for n in range(5)]
    assert codes == [303, 303, 303, 429, 429]
    assert OutboundEmail.objects.count() == 3


def test_one_confirmation_per_address_per_hour() -> None:
    sign_up(Client())
    sign_up(Client(), frequency="daily")
    assert OutboundEmail.objects.filter(recipient="ada@example.org").count() == 1


def test_the_box_sets_no_cookie_so_shared_caches_keep_the_pages() -> None:
    # nginx's micro-cache (and a CDN) never store a response that sets a cookie.
    series = newsroom.series("Valley")
    for url in ("/", series.url):
        response = Client().get(url)
        assert "Get our reports by email" in response.content.decode()
        assert not response.cookies, url


def test_a_sign_up_needs_no_token_and_only_asks_for_a_confirmation() -> None:
    # A forged sign-up can do nothing a forger could not do directly.
    assert sign_up(Client(enforce_csrf_checks=True)).status_code in {200, 303}
    assert OutboundEmail.objects.filter(recipient="ada@example.org").count() == 1
    assert not Subscriber.objects.exists()


def test_a_changed_or_old_confirmation_link_subscribes_nobody() -> None:
    token = tokens.confirm_token(
        tokens.Choices("ada@example.org", True, (), (), "each")
    )
    bad = Client().post(f"/newsletter/confirm/{token[:-2]}xx/")
    assert bad.status_code == 400 and "does not work" in bad.content.decode()
    with time_machine.travel(clock.now() + dt.timedelta(days=8)):
        old = Client().post(f"/newsletter/confirm/{token}/")
    assert old.status_code == 400 and "expired" in old.content.decode()
    assert not Subscriber.objects.exists()
    assert Client().get("/newsletter/unsubscribe/nonsense/").status_code == 400
