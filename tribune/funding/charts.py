"""Geometry for the admin's inline SVG chart: daily bars, cumulative line, pace line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 600
HEIGHT = 200


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    cumulative: str
    pace: str
    goal_y: float
    width: int = WIDTH
    height: int = HEIGHT


def _y(value: Decimal, top: Decimal) -> float:
    if top <= 0:
        return float(HEIGHT)
    return round(HEIGHT - float(value / top) * HEIGHT, 1)


def build(daily: Sequence[Decimal], days_in_window: int, goal: Decimal) -> Chart:
    """Daily bars scaled to the biggest day; cumulative and pace scaled to the goal.

    The pace is the straight line from nothing on the first day to the goal at
    the end of the window.
    """
    days = max(days_in_window, len(daily), 1)
    slot = WIDTH / days
    biggest = max(daily, default=Decimal(0))
    bars = []
    running = Decimal(0)
    points = [f"0,{HEIGHT}"]
    top = max(goal, sum(daily, Decimal(0)), Decimal(1))
    for index, amount in enumerate(daily):
        height = (
            0.0 if biggest <= 0 else round(float(amount / biggest) * HEIGHT * 0.5, 1)
        )
        bars.append(
            Bar(
                round(index * slot + slot * 0.15, 1),
                HEIGHT - height,
                round(slot * 0.7, 1),
                height,
            )
        )
        running += amount
        points.append(f"{round((index + 1) * slot, 1)},{_y(running, top)}")
    return Chart(
        bars=bars,
        cumulative=" ".join(points),
        pace=f"0,{HEIGHT} {WIDTH},{_y(goal, top)}",
        goal_y=_y(goal, top),
    )
