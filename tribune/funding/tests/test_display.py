import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tribune.funding import display
from tribune.funding.selectors import GoalProgress

BERLIN = ZoneInfo("Europe/Berlin")
NOV_START = dt.datetime(2026, 11, 1, tzinfo=BERLIN)
DEC_START = dt.datetime(2026, 12, 1, tzinfo=BERLIN)


def goal(raised: str = "1800", **fields) -> GoalProgress:
    values = {
        "campaign_id": 1,
        "title": "Reader support",
        "monthly": True,
        "currency": "USD",
        "goal": Decimal("5000"),
        "raised": Decimal(raised),
        "start": NOV_START,
        "end": DEC_START,
        "month": dt.date(2026, 11, 1),
        "donors": 3,
    }
    values.update(fields)
    return GoalProgress(**values)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            dt.datetime(2026, 11, 17, 9, tzinfo=BERLIN),
            "13 days left until the end of November",
        ),
        (
            dt.datetime(2026, 11, 29, 9, tzinfo=BERLIN),
            "1 day left until the end of November",
        ),
        (
            dt.datetime(2026, 11, 30, 0, tzinfo=BERLIN),
            "Last day: 24 hours left until the end of November",
        ),
        (
            dt.datetime(2026, 11, 30, 23, 1, tzinfo=BERLIN),
            "Last day: 1 hour left until the end of November",
        ),
        (DEC_START, "The November campaign has ended"),
        (dt.datetime(2026, 10, 30, tzinfo=BERLIN), "Starts soon"),
    ],
)
def test_monthly_countdown_wording_for_every_case(now, expected):
    with translation.override("en"):
        assert display.build_bar(goal(), now=now, locale="en").countdown == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 10, tzinfo=BERLIN), "10 days left until 20 November"),
        (dt.datetime(2026, 11, 19, tzinfo=BERLIN), "1 day left until 20 November"),
        (dt.datetime(2026, 11, 20, 22, 30, tzinfo=BERLIN), "Last day: 2 hours left"),
        (dt.datetime(2026, 11, 21, tzinfo=BERLIN), "This campaign has ended"),
    ],
)
def test_fixed_window_countdown_wording(now, expected):
    fixed = goal(
        monthly=False,
        month=None,
        start=dt.datetime(2026, 11, 5, tzinfo=BERLIN),
        end=dt.datetime(2026, 11, 21, tzinfo=BERLIN),
    )
    with translation.override("en"):
        assert display.build_bar(fixed, now=now, locale="en").countdown == expected


def test_bar_shows_scale_amount_and_percent_for_the_locale():
    now = dt.datetime(2026, 11, 17, tzinfo=BERLIN)
    bar = display.build_bar(goal("1800"), now=now, locale="en")
    assert (bar.raised_display, bar.goal_display) == ("$1,800", "$5,000")
    assert [(t.position, t.label) for t in bar.ticks] == [
        (0, "$0"),
        (50, "$2,500"),
        (100, "$5,000"),
    ]
    assert (bar.percent, bar.percent_display, bar.fill_percent) == (36, "36%", 36)
    german = display.build_bar(goal("1800"), now=now, locale="de")
    assert german.raised_display == "1.800\xa0$"
    assert german.percent_display == "36\xa0%"


def test_overshoot_is_shown_honestly():
    bar = display.build_bar(goal("5600"), now=NOV_START, locale="en")
    assert (bar.percent, bar.fill_percent, bar.over_goal) == (112, 100, True)


def test_month_name_follows_the_language():
    now = dt.datetime(2026, 11, 17, tzinfo=BERLIN)
    assert "November" in display.build_bar(goal(), now=now, locale="en").countdown
    assert display.countdown_text(
        display.progress.Countdown("closed"),
        month=dt.date(2026, 3, 1),
        last_day=dt.date(2026, 3, 31),
        locale="de",
    ).endswith("März campaign has ended")


def test_monthly_campaign_ending_mid_month_counts_down_to_its_last_day():
    ending = goal(end=dt.datetime(2026, 11, 21, tzinfo=BERLIN))
    now = dt.datetime(2026, 11, 17, 9, tzinfo=BERLIN)
    with translation.override("en"):
        assert display.build_bar(ending, now=now, locale="en").countdown == (
            "3 days left until 20 November"
        )


def test_dates_in_the_countdown_follow_each_languages_own_form():
    import datetime as dt

    from django.utils import translation

    from tribune.funding import display, progress

    state = progress.Countdown(state="open", days=3)
    with translation.override("de"):
        text = display.countdown_text(
            state, month=None, last_day=dt.date(2026, 12, 31), locale="de"
        )
    assert "31. Dezember" in text
