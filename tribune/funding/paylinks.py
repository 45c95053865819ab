"""Where a reader goes to pay outside Stripe, with the amount where the link takes one.

Pure: URLs in, URLs out. PayPal.me links take the amount as a path segment
("paypal.me/name/25USD"); PayPal's donate links take `amount` and
`currency_code` query parameters. Any other link is left as the editor set it.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_AMOUNT_KEYS = {"amount", "currency_code"}


def takes_amount(url: str) -> bool:
    """The link carries an amount to PayPal (PayPal.me or a donate link)."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if host == "paypal.me":
        return parts.path.strip("/").count("/") == 0 and bool(parts.path.strip("/"))
    query = dict(parse_qsl(parts.query))
    return host.endswith("paypal.com") and (
        parts.path.rstrip("/").endswith("/donate")
        or query.get("cmd") in {"_donations", "_s-xclick"}
    )


def paypal_link(url: str, amount: Decimal, currency: str) -> str:
    """The editor's PayPal link with the reader's amount, where it can take one."""
    if not takes_amount(url):
        return url
    parts = urlsplit(url)
    value = f"{amount:.2f}"
    if parts.netloc.lower().removeprefix("www.") == "paypal.me":
        path = f"/{parts.path.strip('/')}/{value}{currency.upper()}"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query)
        if k not in {"amount", "currency_code"}
    ]
    query += [("amount", value), ("currency_code", currency.upper())]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment)
    )


def origins(*urls: str) -> list[str]:
    """The https origins of the given links, for the page's CSP form-action."""
    found = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.netloc:
            found.append(f"https://{parts.netloc}")
    return sorted(set(found))
