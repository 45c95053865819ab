"""Every page of "Your page" is valid HTML5 and has no serious accessibility findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.core.testing import axe_violations, html5_errors
from tribune.discussion import services as discussion
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as d
from tribune.funding import services as funding
from tribune.funding.tests import factories as f
from tribune.selfservice import identity
from tribune.selfservice.tests.conftest import proved_client
from tribune.subscriptions.tests import factories as s

ADA = "ada@example.org"


def _ada() -> int:
    thread = d.thread()
    comment = discussion.post_comment(
        Submission(
            thread=thread,
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body="Is the *ferry* running <b>today</b>?",
            guest=Guest(name="Ada <Lovegood>", email=ADA),
            throttle=False,
        )
    )
    s.confirmed(email=ADA, thread=thread)
    gift = f.donation("40", email=ADA, recurring=True)
    funding.record_refund_total(
        provider="manual",
        transaction_id=gift.transaction_id,
        refunded_total=Decimal("5"),
        currency="USD",
        occurred_at=clock.now(),
    )
    return comment.pk


def _urls(comment_id: int) -> list[str]:
    return [
        "/me/",
        reverse("selfservice:edit", args=[comment_id]),
        reverse("selfservice:erase"),
    ]


@pytest.mark.django_db
def test_every_page_is_valid_html5(home) -> None:
    comment_id = _ada()
    client = proved_client(ADA)
    pages = [(url, client.get(url).content) for url in _urls(comment_id)]
    pages.append(
        ("erase, unconfirmed", client.post(reverse("selfservice:erase")).content)
    )
    guest = Client()
    pages.append(("start", guest.get("/me/").content))
    pages.append(("sent", guest.post("/me/", {"email": ADA}).content))
    pages.append(("bad address", guest.post("/me/", {"email": "x"}).content))
    pages.append(("open", guest.get(reverse("selfservice:link", args=["x"])).content))
    pages.append(
        ("bad link", guest.post(reverse("selfservice:link", args=["x"])).content)
    )
    client.post(reverse("selfservice:erase"), {"comments": "remove", "confirm": "on"})
    pages.append(("erased", client.get("/me/").content))
    with time_machine.travel(clock.now() + dt.timedelta(days=1)):
        pages.append(
            ("late", client.get(reverse("selfservice:edit", args=[comment_id])).content)
        )
    assert html5_errors(pages) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_serious_accessibility_findings(live_server, browser, home) -> None:
    comment_id = _ada()
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    failures = []
    tab.goto(live_server.url + "/me/")
    failures += axe_violations(tab)
    # The browser's session proves the address, as after a link.
    session = Client().session
    session[identity.SESSION_KEY] = ADA
    session.save()
    context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )
    for url in _urls(comment_id):
        tab.goto(live_server.url + url)
        failures += axe_violations(tab)
    context.close()
    assert failures == []
