"""The goal bar's words and figures for a locale: shared by tag, JSON, embed."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_skeleton
from babel.numbers import format_percent
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tribune.funding import conf, money, progress
from tribune.funding.selectors import GoalProgress, site_tz


@dataclass(frozen=True)
class Tick:
    position: int
    label: str


@dataclass(frozen=True)
class Bar:
    """Everything the bar shows, already formatted."""

    title: str
    currency: str
    raised: str
    goal: str
    raised_display: str
    goal_display: str
    percent: int
    percent_display: str
    fill_percent: int
    over_goal: bool
    ticks: list[Tick]
    state: str
    days: int
    hours: int
    countdown: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def active_locale() -> str:
    """FUNDING_LOCALE, or the active language as a Babel locale."""
    configured = conf.locale()
    if configured:
        return configured
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def _babel_locale(locale: str) -> str:
    return locale if locale and locale[0].isalpha() else "en"


def countdown_text(
    state: progress.Countdown, *, month: dt.date | None, last_day: dt.date, locale: str
) -> str:
    """The countdown sentence, e.g. "13 days left until the end of November"."""
    loc = _babel_locale(locale)
    try:
        month_name = format_date(month, "LLLL", locale=loc) if month else ""
        # Each language's own order and marks ("31. Dezember", "31 de diciembre");
        # English keeps the day first, as the goal bar always said.
        last = (
            format_date(last_day, "d MMMM", locale=loc)
            if loc.startswith("en")
            else format_skeleton("dMMMM", last_day, locale=loc)
        )
    except ValueError:
        month_name = format_date(month, "LLLL", locale="en") if month else ""
        last = format_date(last_day, "d MMMM", locale="en")
    if state.state == "open" and month:
        return ngettext(
            "%(days)d day left until the end of %(month)s",
            "%(days)d days left until the end of %(month)s",
            state.days,
        ) % {"days": state.days, "month": month_name}
    if state.state == "open":
        return ngettext(
            "%(days)d day left until %(date)s",
            "%(days)d days left until %(date)s",
            state.days,
        ) % {"days": state.days, "date": last}
    if state.state == "last_day" and month:
        return ngettext(
            "Last day: %(hours)d hour left until the end of %(month)s",
            "Last day: %(hours)d hours left until the end of %(month)s",
            state.hours,
        ) % {"hours": state.hours, "month": month_name}
    if state.state == "last_day":
        return ngettext(
            "Last day: %(hours)d hour left",
            "Last day: %(hours)d hours left",
            state.hours,
        ) % {"hours": state.hours}
    if state.state == "upcoming":
        return gettext("Starts soon")
    if month:
        return gettext("The %(month)s campaign has ended") % {"month": month_name}
    return gettext("This campaign has ended")


def build_bar(goal: GoalProgress, *, now: dt.datetime, locale: str = "") -> Bar:
    """Format a campaign's progress for display at `now` in `locale`."""
    locale = locale or active_locale()
    tz = site_tz()
    state = progress.countdown(now, goal.start, goal.end, tz)
    last_day = (goal.end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    pct = progress.percent(goal.raised, goal.goal)
    try:
        percent_display = format_percent(
            Decimal(pct) / 100, locale=_babel_locale(locale)
        )
    except ValueError:
        percent_display = f"{pct} %"
    return Bar(
        title=goal.title,
        currency=goal.currency,
        raised=str(goal.raised),
        goal=str(goal.goal),
        raised_display=money.format_amount(goal.raised, goal.currency, locale),
        goal_display=money.format_amount(goal.goal, goal.currency, locale),
        percent=pct,
        percent_display=percent_display,
        fill_percent=int(progress.fill(goal.raised, goal.goal) * 100),
        over_goal=goal.raised > goal.goal,
        ticks=[
            Tick(
                int(position * 100), money.format_amount(amount, goal.currency, locale)
            )
            for position, amount in progress.ticks(goal.goal, conf.tick_fractions())
        ],
        state=state.state,
        days=state.days,
        hours=state.hours,
        countdown=countdown_text(
            state,
            # A monthly campaign that stops mid-month counts down to its last day.
            month=goal.month
            if goal.month and last_day.month != (last_day + dt.timedelta(days=1)).month
            else None,
            last_day=last_day,
            locale=locale,
        ),
    )
