"""Geometry for the admin's inline SVG chart: axes, daily bars, running total, pace.

Pure: plain values in, plain values out. The caller passes the formatters, so
labels follow the editor's language without this module knowing about locales.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
HEIGHT = 260
# Room for the money labels on the left and the dates below.
LEFT = 72
RIGHT = 12
TOP = 12
BOTTOM = 28
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
BASELINE = TOP + PLOT_HEIGHT

MoneyFormat = Callable[[Decimal], str]
DayFormat = Callable[[dt.date], str]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Day:
    """One elapsed day: its bar, its hover area and its figures, formatted."""

    date: dt.date
    label: str
    x: float
    slot: float
    bar_x: float
    bar_y: float
    bar_width: float
    bar_height: float
    given: str
    raised: str
    pace: str


@dataclass(frozen=True)
class Chart:
    days: list[Day]
    cumulative: str
    pace: str
    goal_y: float
    goal_label: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = BASELINE
    plot_height: int = PLOT_HEIGHT
    width: int = WIDTH
    height: int = HEIGHT


def nice_step(top: Decimal, count: int = 5) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `count` ticks."""
    if top <= 0:
        return Decimal(1)
    raw = top / count
    power = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * factor >= raw:
            return power * factor
    return power * 10  # pragma: no cover - the loop always returns


def _y(value: Decimal, top: Decimal) -> float:
    return round(BASELINE - float(value / top) * PLOT_HEIGHT, 1)


def build(
    daily: Sequence[Decimal],
    days_in_window: int,
    goal: Decimal,
    *,
    first_day: dt.date,
    money: MoneyFormat,
    exact: MoneyFormat,
    day_label: DayFormat,
) -> Chart:
    """Lay out the window's days on one money scale shared by every mark.

    The pace is the straight line from nothing on the first day to the goal at
    the end of the window; the y axis reaches the goal or the total, whichever
    is higher, rounded up to a whole tick. `money` labels the ticks ("$1,800"),
    `exact` the figures of each day ("$1,800.00").
    """
    days = max(days_in_window, len(daily), 1)
    slot = PLOT_WIDTH / days
    total = sum(daily, Decimal(0))
    step = nice_step(max(goal, total, Decimal(1)))
    top = step * math.ceil(max(goal, total, Decimal(1)) / step)
    y_ticks = []
    value = Decimal(0)
    while value <= top:
        y_ticks.append(Tick(_y(value, top), money(value)))
        value += step
    every = max(1, math.ceil(days / 6))
    x_ticks = [
        Tick(
            round(LEFT + index * slot + slot / 2, 1),
            day_label(first_day + dt.timedelta(days=index)),
        )
        for index in range(0, days, every)
    ]
    running = Decimal(0)
    points = [f"{LEFT},{BASELINE}"]
    rows = []
    for index, amount in enumerate(daily):
        running += amount
        height = round(float(amount / top) * PLOT_HEIGHT, 1) if amount > 0 else 0.0
        date = first_day + dt.timedelta(days=index)
        rows.append(
            Day(
                date=date,
                label=day_label(date),
                x=round(LEFT + index * slot, 1),
                slot=round(slot, 1),
                bar_x=round(LEFT + index * slot + slot * 0.15, 1),
                bar_y=round(BASELINE - height, 1),
                bar_width=round(slot * 0.7, 1),
                bar_height=height,
                given=exact(amount),
                raised=exact(running),
                pace=exact((goal * (index + 1) / days).quantize(Decimal("0.01"))),
            )
        )
        points.append(f"{round(LEFT + (index + 1) * slot, 1)},{_y(running, top)}")
    return Chart(
        days=rows,
        cumulative=" ".join(points),
        pace=f"{LEFT},{BASELINE} {WIDTH - RIGHT},{_y(goal, top)}",
        goal_y=_y(goal, top),
        goal_label=exact(goal),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
