import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tribune.funding import selectors, services
from tribune.funding.models import Adjustment, Donation, SupporterMessage
from tribune.funding.tests import factories

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 16, 12, tzinfo=BERLIN)
URLS = [
    ("funding_admin:dashboard", []),
    ("funding_admin:ledger", []),
    ("funding_admin:record", []),
    ("funding_admin:wall", []),
]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_funding_admin_is_closed_to_readers_and_editors_without_the_permission(
    client, django_user_model
):
    donation = factories.donation("5")
    urls = [reverse(name, args=args) for name, args in URLS]
    urls.append(reverse("funding_admin:reverse", args=[donation.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    editor = django_user_model.objects.create_user("ed", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.get(reverse("funding_admin:ledger") + "?export=csv").status_code in (
        302,
        403,
    )


def test_dashboard_shows_progress_against_straight_line_pace_and_the_rule(
    editor_client, django_assert_max_num_queries
):
    factories.campaign(goal=Decimal("3000"))
    factories.donation("1000", recurring=True, email="m@example.org")
    factories.donation("200")
    refunded = factories.donation("50")
    services.record_adjustment(
        provider="manual",
        reference="r1",
        transaction_id=refunded.transaction_id,
        kind="refund",
        amount=Decimal("50"),
        currency="USD",
        occurred_at=NOW,
    )
    with django_assert_max_num_queries(30):
        response = editor_client.get(reverse("funding_admin:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "$1,200.00" in html and "1200.00 USD" not in html
    # 15.5 of 30 days gone on 16 November at noon: pace 1550, so 350 behind.
    assert "$1,550.00" in html and "$350.00 behind" in html
    assert "pending and failed payments never count" in html
    assert "<polyline" in html
    assert "New monthly supporters" in html


def test_ledger_filters_and_exports_csv_safely(editor_client):
    factories.campaign()
    factories.donation("10", provider="manual", public_name="=HYPERLINK(1)")
    factories.donation("20", provider="import")
    page = editor_client.get(reverse("funding_admin:ledger") + "?provider=import")
    assert page.status_code == 200
    assert len(page.context["rows"]) == 1
    response = editor_client.get(reverse("funding_admin:ledger") + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("received_at,month,provider")
    assert "'=HYPERLINK(1)" in body
    assert len(body.strip().splitlines()) == 3


def test_ledger_pins_its_query_count(editor_client, django_assert_max_num_queries):
    factories.campaign()
    for n in range(30):
        factories.donation(str(n + 1))
    with django_assert_max_num_queries(25):
        assert editor_client.get(reverse("funding_admin:ledger")).status_code == 200


def test_bad_month_filter_is_an_error_next_to_the_field(editor_client):
    response = editor_client.get(reverse("funding_admin:ledger") + "?month=november")
    assert "Use YYYY-MM." in response.content.decode()


def test_recording_a_bank_transfer(editor_client, admin_user):
    factories.campaign()
    response = editor_client.post(
        reverse("funding_admin:record"),
        {
            "amount": "75.00",
            "currency": "usd",
            "received_on": "2026-11-10",
            "method": "bank_transfer",
            "reference": "BT-991",
        },
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.provider, donation.transaction_id, donation.method) == (
        "manual",
        "BT-991",
        "bank_transfer",
    )
    assert donation.recorded_by == admin_user
    assert donation.received_at == dt.datetime(2026, 11, 10, 12, tzinfo=BERLIN)
    selectors.forget_bar_progress()
    assert selectors.get_bar_progress().raised == Decimal("75.00")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"currency": "EUR"}, "exchange_rate", "Enter the rate from EUR to USD."),
        (
            {"received_on": "2026-12-01"},
            "received_on",
            "cannot be received in the future",
        ),
        ({"reference": "dup"}, "reference", "already in the ledger"),
        ({"amount": "0"}, "amount", "greater than or equal to 0.01"),
    ],
)
def test_manual_entry_errors_show_next_to_the_field(
    editor_client, data, field, message
):
    factories.campaign()
    factories.donation("5", transaction_id="dup")
    payload = {
        "amount": "10",
        "currency": "USD",
        "received_on": "2026-11-10",
        "method": "cash",
        **data,
    }
    response = editor_client.post(reverse("funding_admin:record"), payload)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}-error"' in response.content.decode()
    assert Donation.objects.count() == 1


def test_foreign_currency_entry_keeps_the_original_and_the_editors_rate(editor_client):
    factories.campaign()
    editor_client.post(
        reverse("funding_admin:record"),
        {
            "amount": "100",
            "currency": "EUR",
            "exchange_rate": "1.1",
            "received_on": "2026-11-16",
            "method": "cheque",
        },
    )
    donation = Donation.objects.get()
    assert (donation.amount, donation.original_amount, donation.original_currency) == (
        Decimal("110.00"),
        Decimal("100.00"),
        "EUR",
    )


def test_a_correction_is_a_reversing_entry(editor_client):
    factories.campaign()
    donation = factories.donation("40")
    response = editor_client.post(
        reverse("funding_admin:reverse", args=[donation.pk]),
        {"kind": "refund", "amount": "15"},
    )
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.amount == Decimal("40.00")
    assert Adjustment.objects.get().amount == Decimal("15.00")
    selectors.forget_bar_progress()
    assert selectors.get_bar_progress().raised == Decimal("25.00")
    too_much = editor_client.post(
        reverse("funding_admin:reverse", args=[donation.pk]),
        {"kind": "refund", "amount": "41"},
    )
    assert too_much.status_code == 200


def test_wall_moderation(editor_client, client):
    factories.donation("5", public_name="Ana", message="Hello", show_on_wall=True)
    message = SupporterMessage.objects.get()
    page = editor_client.get(reverse("funding_admin:wall"))
    assert "Ana" in page.content.decode()
    editor_client.post(
        reverse("funding_admin:wall"), {"message": message.pk, "action": "approve"}
    )
    message.refresh_from_db()
    assert message.status == "approved"


def test_editor_group_with_funding_permissions_gets_in(client, django_user_model):
    group = Group.objects.create(name="Fundraisers")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_donation"])
    )
    user = django_user_model.objects.create_user("fr", password="x")
    user.groups.add(group)
    client.force_login(user)
    assert client.get(reverse("funding_admin:dashboard")).status_code == 200
    assert client.get(reverse("funding_admin:record")).status_code in (302, 403)


def test_editing_the_campaign_in_the_admin_refreshes_the_bar(editor_client):
    campaign = factories.campaign(goal=Decimal("5000"))
    assert selectors.get_bar_progress().title == "Reader support"
    url = reverse("wagtailsnippets_funding_campaign:edit", args=[campaign.pk])
    form = editor_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "Winter appeal",
            "starts_on": "2020-01-01",
            "window": "monthly",
            "currency": "USD",
            "goal": "5000",
            "is_active": "on",
            "months-TOTAL_FORMS": "0",
            "months-INITIAL_FORMS": "0",
            "months-MIN_NUM_FORMS": "0",
            "months-MAX_NUM_FORMS": "1000",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert selectors.get_bar_progress().title == "Winter appeal"


def test_manual_entry_beyond_the_currency_maximum_is_a_field_error(editor_client):
    factories.campaign()
    payload = {
        "amount": "1000000.00",
        "currency": "USD",
        "received_on": "2026-11-10",
        "method": "cash",
    }
    response = editor_client.post(reverse("funding_admin:record"), payload)
    assert response.status_code == 200
    assert "At most $999,999.99 in one entry." in " ".join(
        response.context["form"].errors["amount"]
    )
    assert not Donation.objects.exists()


def test_manual_entry_whose_converted_amount_is_too_large_is_refused(editor_client):
    factories.campaign()
    payload = {
        "amount": "900000",
        "currency": "EUR",
        "exchange_rate": "9999999999",
        "received_on": "2026-11-10",
        "method": "cash",
    }
    response = editor_client.post(reverse("funding_admin:record"), payload)
    assert response.status_code == 200
    assert "too large" in " ".join(response.context["form"].non_field_errors())
    assert not Donation.objects.exists()


def _chart_of(html: str) -> str:
    start = html.index('<svg class="funding-admin__chart"')
    return html[start : html.index("</svg>", start)]


def test_dashboard_chart_has_axes_dates_money_ticks_legend_and_a_table(editor_client):
    factories.campaign(goal=Decimal("3000"))
    with time_machine.travel(dt.datetime(2026, 11, 3, 12, tzinfo=BERLIN), tick=False):
        factories.donation("1800")
    factories.donation("25.50")
    response = editor_client.get(reverse("funding_admin:dashboard"))
    html = response.content.decode()
    chart = _chart_of(html)
    # The y axis in the site's money format, from nothing to the goal.
    for tick in ("$0", "$1,000", "$2,000", "$3,000"):
        assert f">{tick}</text>" in chart
    # The x axis names dates of the window.
    assert ">Nov 1</text>" in chart and ">Nov 6</text>" in chart
    # Values on hover.
    assert "<title>Nov 3: $1,800.00 given, $1,800.00 raised so far</title>" in chart
    assert "<title>Nov 16: $25.50 given, $1,825.50 raised so far</title>" in chart
    # A legend for every mark.
    legend = html[html.index('<ul class="funding-admin__legend">') :]
    legend = legend[: legend.index("</ul>")]
    for words in ("Raised so far", "Given that day", "Goal: $3,000.00", "pace"):
        assert words in legend
    # The same figures as a table, tied to the chart.
    assert 'aria-describedby="funding-chart-1-table"' in chart
    table = html[html.index('<table class="listing" id="funding-chart-1-table">') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 16  # 1 to 16 November
    assert (
        '<time datetime="2026-11-03">Nov 3</time></th><td>$1,800.00</td>'
        "<td>$1,800.00</td><td>$300.00</td>"
    ) in table
    assert "<td>$25.50</td><td>$1,825.50</td><td>$1,600.00</td>" in table
    assert "USD" not in chart + table


def test_dashboard_money_and_dates_follow_the_active_language(editor_client, settings):
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    factories.campaign(goal=Decimal("3000"))
    factories.donation("1800")
    response = editor_client.get(
        reverse("funding_admin:dashboard"), HTTP_ACCEPT_LANGUAGE="de"
    )
    html = response.content.decode()
    assert 'lang="de"' in html
    chart = _chart_of(html)
    assert "3.000\xa0$</text>" in chart
    assert "1.800,00\xa0$" in html


def test_ledger_amounts_use_the_site_money_format(editor_client):
    factories.donation("1800")
    html = editor_client.get(reverse("funding_admin:ledger")).content.decode()
    assert "$1,800.00" in html
    assert "1800.00 USD" not in html and "1800.00" not in html


def test_campaign_list_shows_the_goal_in_the_money_format(editor_client):
    factories.campaign(goal=Decimal("1800"))
    html = editor_client.get(
        reverse("wagtailsnippets_funding_campaign:list")
    ).content.decode()
    assert "$1,800.00" in html and "1800.00" not in html
