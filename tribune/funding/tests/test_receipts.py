"""After the webhook: the thank-you mail, the receipt, the statement, a declined card.

Mail goes through the real outbox, the database worker and an SMTP server on
loopback; Stripe's API (the customer portal) is a local HTTP server.
"""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tribune.funding import donor_selectors, receipts, services
from tribune.funding.models import Adjustment, Donation
from tribune.funding.tests import factories
from tribune.funding.tests import stripe_events as se
from tribune.funding.tests.fake_servers import serve
from tribune.mailing.tests.conftest import free_port

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=BERLIN)
SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE
    with time_machine.travel(NOW, tick=False):
        yield


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def path_in(text: str, pattern: str) -> str:
    match = re.search(rf"{re.escape(SITE)}({pattern}\S*)", text)
    assert match, text
    return match[1]


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_card_gift_mails_thanks_with_the_receipt_and_your_page(
    client, stripe_keys, smtp_settings, run_worker
):
    factories.campaign()
    event = se.checkout_completed(
        "pi_thanks",
        1061,
        metadata={"cover_fee": "0.61", "public_name": "", "show_on_wall": "0"},
    )
    assert se.deliver(client, event).status_code == 200
    assert se.deliver(client, event).json()["outcome"] == "replay"
    run_worker()
    assert len(smtp_settings.received) == 1  # the replay queued nothing more
    mail = smtp_settings.received[0]
    assert mail.rcpt_tos == ["reader@example.org"]
    assert "Thank you for supporting" in mail.message["Subject"]
    text = text_of(mail.message)
    assert "10.61 USD" in text
    assert f"{SITE}/me/" in text  # selfservice:start is not installed on this branch
    receipt = client.get(path_in(text, "/support/gift/"))
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert receipt["Cache-Control"] == "private, no-store"
    assert "10.61 USD" in html and "0.61 USD" in html  # gross and the covered fee
    row = Donation.objects.get(transaction_id="pi_thanks")
    # The ledger keeps gross, the fee by Stripe's rule (2.9% + 0.30), and net.
    assert (row.amount, row.fee, row.net, row.covered_fee) == (
        Decimal("10.61"),
        Decimal("0.61"),
        Decimal("10.00"),
        Decimal("0.61"),
    )


@pytest.mark.django_db(transaction=True)
def test_a_declined_monthly_card_mails_the_hosted_page_and_shows_on_the_dashboard(
    client, stripe_keys, smtp_settings, run_worker, admin_client
):
    factories.campaign()
    failed = se.event(
        "invoice.payment_failed",
        {
            "id": "in_declined",
            "object": "invoice",
            "amount_due": 1500,
            "currency": "usd",
            "customer": "cus_monthly",
            "customer_email": "monthly@example.org",
            "hosted_invoice_url": "https://invoice.stripe.com/i/acct_test/in_declined",
            "attempt_count": 1,
        },
    )
    assert se.deliver(client, failed).status_code == 200
    run_worker()
    [mail] = smtp_settings.received
    assert mail.rcpt_tos == ["monthly@example.org"]
    text = text_of(mail.message)
    assert "https://invoice.stripe.com/i/acct_test/in_declined" in text
    assert "15.00 USD" in text
    row = Donation.objects.get(transaction_id="in_declined:failed")
    assert (row.payment_status, row.recurring, row.customer_ref) == (
        "failed",
        True,
        "cus_monthly",
    )
    assert services.selectors.get_bar_progress().raised == 0  # never counted
    dashboard = admin_client.get(reverse("funding_admin:dashboard")).content.decode()
    section = dashboard.split('id="failed-monthly"')[1].split("</section>")[0]
    assert "monthly@example.org" in section and "in_declined:failed" in section


@pytest.mark.django_db
def test_receipt_links_are_signed_and_a_changed_one_is_refused(client):
    factories.campaign()
    gift = factories.donation("25", email="ana@example.org")
    other = factories.donation("99", email="bo@example.org")
    url = receipts.receipt_url(gift)
    assert str(gift.pk) not in url.split("/")[-2].split(":")[0] or len(url) > 40
    assert client.get(url).status_code == 200
    token = url.split("/")[-2]
    forged = token.replace(token[2], "A" if token[2] != "A" else "B", 1)
    assert client.get(f"/support/gift/{forged}/").status_code == 404
    assert client.get(f"/support/gift/{other.pk}/").status_code == 404
    statement = receipts.statement_url("ana@example.org", 2026)
    # A statement token does not open a receipt, nor the other way round.
    assert client.get(statement.replace("statement", "gift")).status_code == 404
    assert client.get(url.replace("gift", "statement")).status_code == 404


@pytest.mark.django_db
def test_receipt_links_expire(client, settings):
    factories.campaign()
    url = receipts.receipt_url(factories.donation("25", email="ana@example.org"))
    settings.FUNDING_RECEIPT_MAX_AGE = 3600
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_receipt_and_statement_as_pdf(client):
    factories.campaign()
    gift = factories.donation("25", email="ана@example.org", public_name="Олена")
    response = client.get(receipts.receipt_url(gift) + "receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    statement = client.get(
        receipts.statement_url("ана@example.org", 2026) + "statement.pdf"
    )
    assert statement.status_code == 200 and statement.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_the_statement_totals_the_year_exactly_net_of_refunds(
    client, django_assert_num_queries
):
    factories.campaign()
    for n, amount in enumerate(["10.10", "20.20", "0.01"]):
        factories.donation(amount, email="Ana@Example.org", transaction_id=f"s{n}")
    factories.donation("5", email="ana@example.org", transaction_id="pending",
                       status="pending")  # fmt: skip
    factories.donation(
        "7", email="ana@example.org", received_at=dt.datetime(2025, 6, 1, tzinfo=BERLIN)
    )
    factories.donation("1000", email="someone@example.org")
    services.record_adjustment(
        provider="manual",
        reference="r1",
        transaction_id="s1",
        kind=Adjustment.Kind.REFUND,
        amount=Decimal("5.05"),
        currency="USD",
        occurred_at=NOW,
    )
    statement = donor_selectors.get_statement("ana@example.org", 2026)
    [total] = statement.totals
    assert (total.given, total.refunded, total.kept) == (
        Decimal("30.31"),
        Decimal("5.05"),
        Decimal("25.26"),
    )
    url = receipts.statement_url("ana@example.org", 2026)
    client.get(url)
    # The gifts and their refunds, however many gifts (the site menu's own queries
    # are cached or not depending on the cache backend, so they are not counted).
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert len(_funding_queries(queries)) == 2
    assert "25.26 USD" in html and "1000" not in html
    assert len(donor_selectors.list_gifts_for_email("ANA@example.org")) == 5
    assert donor_selectors.years_with_gifts("ana@example.org") == [2026, 2025]


@pytest.mark.django_db
def test_the_receipt_page_pins_its_queries(client, django_assert_num_queries):
    factories.campaign()
    gift = factories.donation("25", email="ana@example.org")
    url = receipts.receipt_url(gift)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(_funding_queries(queries)) == 2


def _funding_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "funding_" in q["sql"]]


def portal_created(request):
    return 200, {
        "id": "bps_1",
        "object": "billing_portal.session",
        "url": "https://billing.stripe.com/p/session/test_1",
    }


@pytest.mark.django_db
def test_a_monthly_card_gift_is_managed_in_stripes_portal(client, stripe_keys):
    factories.campaign()
    gift = factories.donation(
        "15", provider="stripe", recurring=True, customer_ref="cus_42",
        email="m@example.org",
    )  # fmt: skip
    url = receipts.receipt_url(gift)
    html = client.get(url).content.decode()
    assert "Update the card or stop the gift" in html
    with serve({"POST /v1/billing_portal/sessions": portal_created}) as fake:
        stripe_keys.FUNDING_STRIPE_API_BASE = fake.base_url
        response = client.post(url + "manage/")
    assert response.status_code == 303
    assert response["Location"] == "https://billing.stripe.com/p/session/test_1"
    body = fake.requests[0].body.decode()
    assert "customer=cus_42" in body and "return_url=" in body


@pytest.mark.django_db
def test_an_unreachable_portal_says_so_instead_of_failing(client, stripe_keys):
    factories.campaign()
    gift = factories.donation(
        "15", provider="stripe", recurring=True, customer_ref="cus_42"
    )
    # Nothing listens on the port: Stripe cannot be reached.
    stripe_keys.FUNDING_STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    response = client.post(receipts.receipt_url(gift) + "manage/")
    assert response.status_code == 503
    assert "could not be reached" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("provider", "words"),
    [("paypal", "Manage automatic payments"), ("patreon", "Cancel membership")],
)
def test_paypal_and_patreon_gifts_say_plainly_how_to_stop(client, provider, words):
    factories.campaign()
    gift = factories.donation("5", provider=provider, recurring=True)
    html = client.get(receipts.receipt_url(gift)).content.decode()
    assert words in html
    assert "manage/" not in html
    assert client.post(receipts.receipt_url(gift) + "manage/").status_code == 404


@pytest.mark.django_db
def test_a_monthly_stripe_payment_keeps_the_customer_and_the_fee_by_rule(
    client, stripe_keys
):
    factories.campaign()
    event = se.invoice_paid("in_1", "pi_monthly", 2500)
    event["data"]["object"]["customer"] = "cus_monthly"
    assert se.deliver(client, event).status_code == 200
    row = Donation.objects.get(transaction_id="pi_monthly")
    assert (row.customer_ref, row.fee, row.net) == (
        "cus_monthly",
        Decimal("1.03"),
        Decimal("23.97"),
    )
    [gift] = donor_selectors.list_gifts_for_email("monthly@example.org")
    assert gift.manage == donor_selectors.MANAGE_STRIPE_PORTAL
    html = client.get(gift.receipt_url).content.decode()
    assert "Update the card or stop the gift" in html


@pytest.mark.django_db
def test_manual_entries_and_imports_send_no_thanks_but_webhook_gifts_do(
    client, stripe_keys
):
    from tribune.mailing.models import OutboundEmail

    factories.campaign()
    factories.donation("25", email="manual@example.org")
    factories.donation("25", provider="import", email="import@example.org")
    assert not OutboundEmail.objects.exists()
    factories.donation(
        "25", provider="paypal", status="pending", email="pp@example.org",
        transaction_id="cap-1",
    )  # fmt: skip
    assert not OutboundEmail.objects.exists()  # not confirmed yet
    factories.donation("25", provider="paypal", transaction_id="cap-1")
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [
        "pp@example.org"
    ]


@pytest.mark.django_db
def test_listing_a_donors_gifts_costs_two_queries(django_assert_num_queries):
    factories.campaign()
    for n in range(12):
        factories.donation(str(n + 1), email="many@example.org")
    with django_assert_num_queries(2):
        gifts = donor_selectors.list_gifts_for_email("many@example.org")
    assert len(gifts) == 12
    assert sum((g.kept for g in gifts), Decimal(0)) == Decimal("78")
