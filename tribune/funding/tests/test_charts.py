import datetime as dt
from decimal import Decimal

import pytest

from tribune.funding import charts


@pytest.mark.parametrize(
    ("top", "step"),
    [
        ("3000", "1000"),
        ("2500", "500"),
        ("1", "0.2"),
        ("120", "25"),
        ("9999", "2000"),
        ("0", "1"),
    ],
)
def test_nice_step_is_a_round_number_giving_about_five_ticks(top, step):
    assert charts.nice_step(Decimal(top)) == Decimal(step)


def _build(daily, days=30, goal="3000"):
    return charts.build(
        [Decimal(d) for d in daily],
        days,
        Decimal(goal),
        first_day=dt.date(2026, 11, 1),
        money=lambda v: f"${v:,.0f}",
        exact=lambda v: f"${v:,.2f}",
        day_label=lambda d: d.isoformat(),
    )


def test_every_mark_shares_one_scale_that_reaches_the_goal_or_the_total():
    chart = _build(["0", "1500"], goal="3000")
    assert [t.label for t in chart.y_ticks] == ["$0", "$1,000", "$2,000", "$3,000"]
    assert chart.y_ticks[0].position == charts.BASELINE
    assert chart.y_ticks[-1].position == charts.TOP == chart.goal_y
    # Half the goal: the bar of day 2 reaches half way up, like the running total.
    assert chart.days[1].bar_height == charts.PLOT_HEIGHT / 2
    assert chart.cumulative.endswith(f",{charts.TOP + charts.PLOT_HEIGHT / 2}")
    over = _build(["4200"], goal="3000")
    assert over.y_ticks[-1].label == "$5,000" and over.goal_y > charts.TOP


def test_days_carry_their_date_and_figures_and_ticks_span_the_window():
    chart = _build(["10", "0", "5.5"], days=30)
    assert [d.label for d in chart.days] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert [(d.given, d.raised, d.pace) for d in chart.days] == [
        ("$10.00", "$10.00", "$100.00"),
        ("$0.00", "$10.00", "$200.00"),
        ("$5.50", "$15.50", "$300.00"),
    ]
    assert chart.days[1].bar_height == 0
    assert [t.label for t in chart.x_ticks] == [
        "2026-11-01", "2026-11-06", "2026-11-11", "2026-11-16", "2026-11-21", "2026-11-26",
    ]  # fmt: skip
    assert chart.x_ticks[-1].position < charts.WIDTH - charts.RIGHT


def test_an_empty_window_still_has_axes():
    chart = _build([], days=1, goal="0")
    assert chart.days == []
    assert [t.position for t in chart.y_ticks][::5] == [charts.BASELINE, charts.TOP]
    assert chart.y_ticks[-1].label == "$1"
