import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from tribune.funding import selectors
from tribune.funding.api import api
from tribune.funding.tests import factories

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 17, 12, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def render_bar() -> str:
    return Template("{% load funding_tags %}{% goal_bar %}").render(Context({}))


def test_bar_renders_figures_scale_and_countdown():
    factories.campaign()
    factories.donation("1800")
    html = render_bar()
    assert "$1,800" in html
    assert "of $5,000" in html
    assert "$2,500" in html
    assert "36%" in html
    assert "13 days left until the end of November" in html
    assert '<progress class="goal-bar__meter" max="100" value="36"' in html


def test_no_campaign_renders_nothing():
    assert render_bar().strip() == ""


def test_cached_bar_costs_no_sql_query(django_assert_num_queries):
    factories.campaign()
    factories.donation("10")
    render_bar()
    with django_assert_num_queries(0):
        html = render_bar()
    assert "$10" in html


def test_cached_page_spends_no_query_on_the_bar(client, home):
    factories.campaign()
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert b"goal-bar" in response.content
    assert not [q for q in queries if "funding_" in q["sql"]]


def test_bar_cache_expires_within_its_ttl_even_without_invalidation(frozen):
    factories.campaign()
    render_bar()
    factories.donation("40")  # its on-commit invalidation never runs in this test
    assert "$40" not in render_bar()
    frozen.shift(dt.timedelta(seconds=31))
    assert "$40" in render_bar()


def test_cached_pages_show_a_new_donation_at_once(
    client, home, settings, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_SECONDS = 30
    factories.campaign()
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation("77")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "$77" in response.content.decode()


def test_a_reader_never_sees_a_figure_older_than_a_minute(
    client, home, settings, frozen
):
    settings.PAGECACHE_SECONDS = 30
    factories.campaign()
    client.get("/")
    factories.donation("55")  # invalidation lost (e.g. another process's cache)
    assert "$55" not in client.get("/").content.decode()
    frozen.shift(dt.timedelta(seconds=60))
    assert "$55" in client.get("/").content.decode()


def test_cached_bar_rolls_over_at_the_first_second_of_the_next_month(frozen):
    factories.campaign()
    factories.donation("30")
    frozen.move_to(dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=BERLIN))
    assert "$30" in render_bar()
    assert "Last day: 1 hour left" in render_bar()
    frozen.move_to(dt.datetime(2026, 12, 1, 0, 0, 0, tzinfo=BERLIN))
    html = render_bar()
    assert "$30" not in html and "$0" in html
    assert "30 days left until the end of December" in html


def test_progress_json_matches_the_bar_and_the_published_schema(client):
    factories.campaign()
    factories.donation("1800")
    data = client.get("/support/progress.json").json()
    bar = data["bar"]
    assert set(api.document()["components"]["schemas"]["Bar"]["required"]) == set(bar)
    assert (bar["raised"], bar["goal"], bar["percent"], bar["state"]) == (
        "1800.00",
        "5000.00",
        36,
        "open",
    )
    assert bar["countdown"] == "13 days left until the end of November"


def test_progress_json_without_campaign_is_null(client):
    response = client.get("/support/progress.json")
    assert response.json() == {"bar": None}
    assert client.post("/support/progress.json").status_code == 405


def test_embed_may_be_framed_by_other_sites(client, home):
    factories.campaign()
    response = client.get("/support/embed/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert re.search(r"frame-ancestors \*", response["Content-Security-Policy"])
    assert b'target="_blank"' in response.content
    normal = client.get("/support/")
    assert "frame-ancestors 'self'" in normal["Content-Security-Policy"]


def test_bar_figure_matches_the_selector(client):
    factories.campaign(goal=Decimal("100"))
    factories.donation("112")
    bar = selectors.get_bar_progress()
    assert bar is not None and bar.raised == Decimal("112.00")
    payload = json.loads(client.get("/support/progress.json").content)
    assert payload["bar"]["percent"] == 112 and payload["bar"]["over_goal"] is True


SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def test_openapi_document_matches_the_snapshot(client):
    """Change the API on purpose: update the snapshot in the same commit."""
    served = client.get("/support/openapi.json").json()
    assert served == json.loads(SNAPSHOT.read_text()), (
        "the funding API changed; review and rewrite "
        "tribune/funding/tests/snapshots/openapi.json"
    )
    documented = set(served["paths"])
    routes = {
        "/support/progress.json",
        *(f"/support/webhooks/{p}/" for p in ("stripe", "paypal", "patreon")),
    }
    assert documented == routes


def insert_legacy_row(amount: Decimal) -> None:
    """A row as an older release could store it, past today's constraints."""
    month = NOW.date().replace(day=1)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = 1")
        cursor.execute(
            "INSERT INTO funding_donation (provider, transaction_id, payment_status,"
            " method, amount, currency, original_amount, original_currency,"
            " exchange_rate, received_at, month, recurring, public_name, email,"
            " message, note, created_at) VALUES ('stripe', 'legacy', 'succeeded',"
            " 'card', %s, 'USD', %s, 'USD', 1, %s, %s, false, '', '', '', '', %s)",
            [amount, amount, NOW, month, NOW],
        )
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = 0")


def test_pages_showing_totals_survive_a_legacy_huge_row(client, home):
    factories.campaign()
    factories.donation("10")
    # SQLite keeps any size; PostgreSQL's column stops at 14 digits.
    huge = (
        Decimal(10**18) if connection.vendor == "sqlite" else Decimal("999999999999.99")
    )
    insert_legacy_row(huge)
    for url in ("/", "/support/", "/support/progress.json"):
        selectors.forget_bar_progress()
        assert client.get(url).status_code == 200, url


def render_bar_for(request) -> str:
    template = Template("{% load funding_tags %}{% goal_bar %}")
    return template.render(Context({"request": request}))


def test_the_kept_bar_follows_each_donation_and_the_countdown(
    rf, frozen, django_capture_on_commit_callbacks
):
    factories.campaign()
    factories.donation("1800")
    assert "$1,800" in render_bar_for(rf.get("/"))
    assert "$1,800" in render_bar_for(rf.get("/"))  # from the kept copy
    with django_capture_on_commit_callbacks(execute=True):  # forgets the progress
        factories.donation("200")
    html = render_bar_for(rf.get("/"))
    assert "$2,000" in html
    assert "$1,800" not in html
    frozen.move_to(NOW + dt.timedelta(days=1))
    assert "12 days left until the end of November" in render_bar_for(rf.get("/"))


def _report(client, url: str) -> str:
    page = client.get(url).content.decode()
    return page[page.index('<article class="report">') : page.index("</article>")]


def test_a_donation_shows_at_once_in_a_kept_reports_goal_bars(
    client, supported_report, django_capture_on_commit_callbacks
):
    """The report's part of its page is kept per process (decision 0036) under
    what the bars show (`goal_bars_shown`), so a new figure renders it anew."""
    factories.campaign()
    url = supported_report.url
    assert _report(client, url).count("goal-bar__raised") == 3
    assert "$77" not in _report(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation("77")
    assert _report(client, url).count("$77") == 3


def test_what_the_bars_show_changes_with_a_figure_or_the_countdown(frozen):
    def shown() -> str:
        return Template("{% load funding_tags %}{% goal_bars_shown %}").render(
            Context({})
        )

    assert shown() == "none"
    factories.campaign()
    selectors.forget_bar_progress()  # its on-commit invalidation never runs here
    before = shown()
    assert before != "none" and shown() == before
    factories.donation("40")
    selectors.forget_bar_progress()
    after = shown()
    assert after != before
    frozen.move_to(dt.datetime(2026, 11, 30, 23, 30, tzinfo=BERLIN))
    assert shown() != after  # the last day's countdown
