"""Editors' funding pages in the Wagtail admin: dashboard, ledger, entries, wall."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from functools import partial, wraps
from typing import Any

from babel.dates import format_skeleton
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tribune.core import clock
from tribune.funding import (
    charts,
    display,
    donor_selectors,
    money,
    progress,
    selectors,
    services,
)
from tribune.funding.admin_forms import (
    LedgerFilterForm,
    ManualDonationForm,
    ReversalForm,
)
from tribune.funding.models import Donation, Provider, SupporterMessage

PAGE_SIZE = 50
# The dashboard lists declined monthly charges of this many past days.
FAILED_DAYS = 30
View = Callable[..., HttpResponseBase]


def require_perm(permission: str) -> Callable[[View], View]:
    """Only editors holding `permission` (superusers hold all) may pass."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _short_date(day: dt.date, *, locale: str) -> str:
    """A day as the editor's language writes it briefly ("Nov 16", "16. Nov.")."""
    try:
        return format_skeleton("MMMd", day, locale=locale)
    except ValueError:
        return format_skeleton("MMMd", day, locale="en")


@require_perm("funding.view_donation")
def dashboard(request: HttpRequest) -> HttpResponse:
    """This month against a straight-line pace, past months, top-line numbers."""
    campaign = selectors.get_active_campaign()
    reports = []
    if campaign is not None:
        now = clock.now()
        tz = selectors.site_tz()
        locale = display.active_locale()
        if campaign.window == campaign.Window.MONTHLY:
            month = progress.month_of(now, tz)
            months = [month]
            for _step in range(2):
                months.append(
                    progress.month_of(
                        progress.month_window(months[-1], tz)[0] - dt.timedelta(days=1),
                        tz,
                    )
                )
            windows: list[dt.date | None] = list(months)
        else:
            windows = [None]
        for window in windows:
            report = selectors.get_window_report(
                campaign=campaign, month=window, now=now
            )
            first_day, _end = (
                progress.month_window(window, tz)
                if window is not None
                else selectors.window_of(campaign, now)[:2]
            )
            reports.append(
                {
                    "report": report,
                    "chart": charts.build(
                        report.daily,
                        report.days,
                        report.goal,
                        first_day=first_day.astimezone(tz).date(),
                        money=partial(
                            money.format_amount,
                            currency=campaign.currency,
                            locale=locale,
                        ),
                        exact=partial(
                            money.format_exact,
                            currency=campaign.currency,
                            locale=locale,
                        ),
                        day_label=partial(_short_date, locale=locale),
                    ),
                    "percent": progress.percent(report.raised, report.goal),
                    "ahead": report.raised - report.pace,
                    "behind": report.pace - report.raised,
                }
            )
    return render(
        request,
        "funding/admin/dashboard.html",
        {
            "campaign": campaign,
            "reports": reports,
            "rule": progress.RULE,
            "failed_monthly": list(
                donor_selectors.list_failed_monthly(
                    since=clock.now() - dt.timedelta(days=FAILED_DAYS)
                )[:50]
            ),
            "failed_days": FAILED_DAYS,
            "ended_monthly": donor_selectors.list_ended_monthly(
                since=clock.now() - dt.timedelta(days=FAILED_DAYS)
            ),
            "embed_script": request.build_absolute_uri("/static/funding/embed.js"),
        },
    )


def _filtered(request: HttpRequest) -> tuple[LedgerFilterForm, Any]:
    form = LedgerFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.list_ledger(
            month=data["month"],
            provider=data["provider"],
            method=data["method"],
            payment_status=data["payment_status"],
            query=data["q"],
        )
    else:
        rows = selectors.list_ledger()
    return form, rows


@require_perm("funding.view_donation")
def ledger(request: HttpRequest) -> HttpResponseBase:
    """The ledger with filters; ?export=csv downloads the filtered rows."""
    form, rows = _filtered(request)
    if request.GET.get("export") == "csv":
        return _csv(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    donations = list(page.object_list)
    states = selectors.ledger_states(donations)
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "funding/admin/ledger.html",
        {
            "form": form,
            "page": page,
            "rows": [(d, states[d.pk]) for d in donations],
            "query": query.urlencode(),
            "rule": progress.RULE,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start with these as formulas.
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


CSV_COLUMNS = [
    "received_at", "month", "provider", "transaction_id", "method", "status",
    "amount", "fee", "net", "currency", "original_amount", "original_currency",
    "exchange_rate", "recurring", "public_name", "email",
]  # fmt: skip


def _csv(rows: Any) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        batch: list[Donation] = []
        for donation in rows.iterator(chunk_size=500):
            batch.append(donation)
            if len(batch) == 500:
                yield from _csv_rows(writer, batch)
                batch = []
        yield from _csv_rows(writer, batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="donations.csv"'
    return response


def _csv_rows(writer: Any, batch: list[Donation]) -> Iterator[str]:
    states = selectors.ledger_states(batch)
    for d in batch:
        values = {
            "received_at": d.received_at.astimezone(selectors.site_tz()).isoformat(),
            "status": states[d.pk],
            **{c: getattr(d, c) for c in CSV_COLUMNS if hasattr(d, c)},
        }
        yield writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])


@require_perm("funding.add_donation")
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    """A gift received outside the providers: bank transfer, cheque, crypto, cash."""
    now = clock.now()
    tz = selectors.site_tz()
    form = ManualDonationForm(
        request.POST or None,
        ledger_currency=services.ledger_currency(at=now),
        today=now.astimezone(tz).date(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day: dt.date = data["received_on"]
        received_at = (
            now
            if day == now.astimezone(tz).date()
            else dt.datetime.combine(day, dt.time(12), tzinfo=tz)
        )
        try:
            donation = services.record_payment(
                services.Payment(
                    provider=Provider.MANUAL,
                    transaction_id=data["reference"]
                    or f"manual-{uuid.uuid4().hex[:12]}",
                    amount=data["amount"],
                    currency=data["currency"],
                    exchange_rate=data["exchange_rate"],
                    received_at=received_at,
                    method=data["method"],
                    public_name=data["public_name"],
                    email=data["email"],
                    message=data["message"],
                    show_on_wall=data["show_on_wall"],
                    note=data["note"],
                    recorded_by=request.user,
                )
            )
        except services.LedgerError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Recorded %(amount)s.")
                % {
                    "amount": money.format_exact(
                        donation.amount, donation.currency, display.active_locale()
                    )
                },
            )
            return HttpResponseRedirect(reverse("funding_admin:ledger"))
    return render(request, "funding/admin/record.html", {"form": form})


@require_perm("funding.add_adjustment")
@require_http_methods(["GET", "POST"])
def reverse_donation(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction: a refund or lost dispute entry against a gift."""
    donation = get_object_or_404(Donation, pk=pk)
    form = ReversalForm(request.POST or None, donation=donation)
    if request.method == "POST" and form.is_valid():
        services.record_adjustment(
            provider=donation.provider,
            reference=f"admin-{uuid.uuid4().hex[:12]}",
            transaction_id=donation.transaction_id,
            kind=form.cleaned_data["kind"],
            amount=form.cleaned_data["amount"],
            currency=donation.original_currency,
            occurred_at=clock.now(),
        )
        messages.success(request, _("Correction recorded."))
        return HttpResponseRedirect(reverse("funding_admin:ledger"))
    return render(
        request, "funding/admin/reverse.html", {"form": form, "donation": donation}
    )


@require_perm("funding.change_supportermessage")
@require_http_methods(["GET", "POST"])
def wall(request: HttpRequest) -> HttpResponse:
    """Approve or reject supporters' names and messages before they show."""
    if request.method == "POST":
        message = get_object_or_404(SupporterMessage, pk=request.POST.get("message"))
        services.moderate_message(
            message=message, approve=request.POST.get("action") == "approve"
        )
        return HttpResponseRedirect(reverse("funding_admin:wall"))
    pending = SupporterMessage.objects.filter(
        status=SupporterMessage.Status.PENDING
    ).select_related("donation")[:200]
    return render(request, "funding/admin/wall.html", {"pending": pending})
