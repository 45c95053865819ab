"""CSV rows to ledger entries: the PayPal activity export and a generic layout."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tribune.funding import money

# PayPal writes zone abbreviations; these are the ones its exports use.
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2,
    "EEST": 3, "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6,
    "CDT": -5, "EST": -5, "EDT": -4,
}  # fmt: skip
GENERIC_REQUIRED = ("date", "amount", "currency", "transaction_id")
PAYPAL_REQUIRED = (
    "Date",
    "Time",
    "TimeZone",
    "Gross",
    "Currency",
    "Status",
    "Transaction ID",
)
PROVIDERS = {"import", "manual", "paypal", "stripe", "patreon"}
METHODS = {"bank_transfer", "cheque", "crypto", "cash", "card", "paypal", "other"}


class RowError(ValueError):
    """Why a row cannot be imported."""


@dataclass(frozen=True)
class Row:
    """One donation read from a file, ready for services.record_donation."""

    line: int
    provider: str
    transaction_id: str
    amount: Decimal
    currency: str
    received_at: dt.datetime
    fee: Decimal | None = None
    exchange_rate: Decimal | None = None
    method: str = "other"
    recurring: bool = False
    public_name: str = ""
    email: str = ""
    message: str = ""


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _decimal(text: str, what: str) -> Decimal:
    cleaned = text.strip().replace(",", "") if text else ""
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise RowError(f"{what} {text!r} is not a number")
    return value


def _amount(text: str) -> Decimal:
    value = _decimal(text, "amount")
    if value <= 0:
        raise RowError(f"amount {text!r} is not positive (not an incoming payment)")
    try:
        return money.parse_amount(str(value))
    except money.MoneyError as exc:
        raise RowError(str(exc)) from None


def _currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise RowError(f"currency {text!r} is not a three-letter code")
    return code


def _zone(name: str, default: ZoneInfo) -> dt.tzinfo:
    name = name.strip()
    if not name:
        return default
    if name.upper() in ZONE_ABBREVIATIONS:
        return dt.timezone(dt.timedelta(hours=ZONE_ABBREVIATIONS[name.upper()]))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RowError(f"unknown time zone {name!r}") from None


def _generic_date(record: dict[str, str], tz: ZoneInfo) -> dt.datetime:
    raw_date = (record.get("date") or "").strip()
    try:
        parsed = dt.datetime.fromisoformat(raw_date)
    except ValueError:
        raise RowError(
            f"date {raw_date!r} is not ISO 8601 (2026-11-17 or 2026-11-17T10:00)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _one_of(record: dict[str, str], name: str, default: str, allowed: set[str]) -> str:
    value = (record.get(name) or default).strip().lower()
    if value not in allowed:
        if name == "method":
            raise RowError(
                f"method {value!r} is not one of {', '.join(sorted(allowed))}"
            )
        raise RowError(f"{name} {value!r} is unknown")
    return value


def _text(record: dict[str, str], name: str, limit: int | None = None) -> str:
    return (record.get(name) or "").strip()[:limit]


def _optional_decimal(record: dict[str, str], name: str) -> Decimal | None:
    raw = (record.get(name) or "").strip()
    return _decimal(raw, name) if raw else None


def _fee(record: dict[str, str]) -> Decimal | None:
    fee = _optional_decimal(record, "fee")
    return abs(fee) if fee is not None else None


def parse_generic(record: dict[str, str], line: int, tz: ZoneInfo) -> Row:
    """The generic layout: date, amount, currency, transaction_id.

    Optional: fee, exchange_rate, method, recurring, name, email, message, provider.
    A date without a zone is in the site's time zone.
    """
    received = _generic_date(record, tz)
    method = _one_of(record, "method", "other", METHODS)
    provider = _one_of(record, "provider", "import", PROVIDERS)
    transaction_id = _text(record, "transaction_id")
    if not transaction_id:
        raise RowError("transaction_id is empty")
    return Row(
        line=line,
        provider=provider,
        transaction_id=transaction_id,
        amount=_amount(record.get("amount") or ""),
        currency=_currency(record.get("currency") or ""),
        received_at=received,
        fee=_fee(record),
        exchange_rate=_optional_decimal(record, "exchange_rate"),
        method=method,
        recurring=_text(record, "recurring", 10).lower() in {"1", "yes", "true"},
        public_name=_text(record, "name", 80),
        email=_text(record, "email", 254),
        message=_text(record, "message", 1000),
    )


def parse_paypal(record: dict[str, str], line: int, tz: ZoneInfo) -> Row:
    """A row of PayPal's activity download (Date as MM/DD/YYYY, Gross, Fee, ...)."""
    status = (record.get("Status") or "").strip()
    if status != "Completed":
        raise RowError(f"status {status!r} is not Completed")
    try:
        day = dt.datetime.strptime(record["Date"].strip(), "%m/%d/%Y").date()  # noqa: DTZ007 - zone from TimeZone
        time = dt.time.fromisoformat((record.get("Time") or "00:00:00").strip())
    except (KeyError, ValueError):
        raise RowError(
            f"date {record.get('Date')!r} {record.get('Time')!r} "
            "is not MM/DD/YYYY HH:MM:SS"
        ) from None
    received = dt.datetime.combine(
        day, time, tzinfo=_zone(record.get("TimeZone") or "", tz)
    )
    transaction_id = (record.get("Transaction ID") or "").strip()
    if not transaction_id:
        raise RowError("Transaction ID is empty")
    fee = (record.get("Fee") or "").strip()
    return Row(
        line=line,
        provider="paypal",
        transaction_id=transaction_id,
        amount=_amount(record.get("Gross") or ""),
        currency=_currency(record.get("Currency") or ""),
        received_at=received,
        fee=abs(_decimal(fee, "fee")) if fee else None,
        method="paypal",
        recurring="subscription" in (record.get("Type") or "").lower(),
        email=(record.get("From Email Address") or "").strip()[:254],
    )


PARSERS = {
    "generic": (parse_generic, GENERIC_REQUIRED),
    "paypal": (parse_paypal, PAYPAL_REQUIRED),
}


def parse(lines: Iterable[str], *, layout: str, tz: ZoneInfo) -> Parsed:
    """Read every row; good ones become Rows, bad ones (line, reason)."""
    parser, required = PARSERS[layout]
    reader = csv.DictReader(_strip_bom(lines))
    missing = [name for name in required if name not in (reader.fieldnames or [])]
    if missing:
        raise RowError(
            f"the file lacks the column(s) {', '.join(missing)} for the {layout} layout"
        )
    result = Parsed()
    seen: set[tuple[str, str]] = set()
    for number, record in enumerate(reader, start=2):
        try:
            row = parser(_clean(record), number, tz)
        except RowError as exc:
            result.rejected.append((number, str(exc)))
            continue
        key = (row.provider, row.transaction_id)
        if key in seen:
            result.rejected.append(
                (number, f"transaction {row.transaction_id} appears twice in the file")
            )
            continue
        seen.add(key)
        result.rows.append(row)
    return result


def _clean(record: dict[str | Any, Any]) -> dict[str, str]:
    return {
        str(k).strip(): (v if isinstance(v, str) else "")
        for k, v in record.items()
        if k is not None
    }


def _strip_bom(lines: Iterable[str]) -> Iterator[str]:
    first = True
    for text in lines:
        yield text.lstrip("\ufeff") if first else text
        first = False
