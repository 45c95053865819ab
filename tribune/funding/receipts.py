"""Signed addresses of receipts and yearly statements: no login, not guessable.

A receipt link carries the donation's id, a statement link the donor's address
and the year, each signed with the site's SECRET_KEY (django.core.signing) under
its own salt, so one kind of token cannot be used for the other. Links expire
after FUNDING_RECEIPT_MAX_AGE seconds. The thank-you mail and "Your page" (/me/)
use `receipt_url` and `statement_url`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from tribune.funding import conf
from tribune.funding.models import Donation

_RECEIPT_SALT = "tribune.funding.receipt"
_STATEMENT_SALT = "tribune.funding.statement"


class LinkError(ValueError):
    """A receipt or statement link that was altered, or is too old."""


@dataclass(frozen=True)
class StatementKey:
    email: str
    year: int


def receipt_token(donation: Donation) -> str:
    return signing.dumps({"d": donation.pk}, salt=_RECEIPT_SALT, compress=True)


def statement_token(email: str, year: int) -> str:
    return signing.dumps(
        {"e": email.strip().lower(), "y": int(year)},
        salt=_STATEMENT_SALT,
        compress=True,
    )


def receipt_url(donation: Donation) -> str:
    """The path of the gift's receipt page (HTML; its PDF is linked from it)."""
    return reverse("funding:receipt", args=[receipt_token(donation)])


def statement_url(email: str, year: int) -> str:
    """The path of the donor's statement of every gift in `year`."""
    return reverse("funding:statement", args=[statement_token(email, year)])


def statement_pdf_url(email: str, year: int) -> str:
    """The path of the same statement as a PDF."""
    return reverse("funding:statement_pdf", args=[statement_token(email, year)])


def absolute(path: str) -> str:
    """A path on this site as a full address, for mails."""
    return conf.base_url() + path


def read_receipt_token(token: str) -> int:
    """The donation id a receipt token names; raises LinkError."""
    try:
        value = signing.loads(token, salt=_RECEIPT_SALT, max_age=conf.receipt_max_age())
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        raise LinkError("the receipt link is not valid or has expired") from None
    if not isinstance(value, dict) or not isinstance(value.get("d"), int):
        raise LinkError("the receipt link is not valid")
    return int(value["d"])


def read_statement_token(token: str) -> StatementKey:
    """The address and year a statement token names; raises LinkError."""
    try:
        value = signing.loads(
            token, salt=_STATEMENT_SALT, max_age=conf.receipt_max_age()
        )
    except signing.BadSignature:
        raise LinkError("the statement link is not valid or has expired") from None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("e"), str)
        or not isinstance(value.get("y"), int)
    ):
        raise LinkError("the statement link is not valid")
    return StatementKey(email=value["e"], year=value["y"])
