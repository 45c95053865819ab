"""Address handling shared by the outbox, the suppression list and the rate guard."""

from __future__ import annotations

from urllib.parse import urlsplit

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def normalize_address(address: str) -> str:
    """The form every table stores: trimmed and lower-cased.

    Local parts are case-sensitive in theory (RFC 5321 section 2.4) but not at
    any provider a reader uses; one form means a suppressed or rate-limited
    address cannot be dodged by changing its case.
    """
    return address.strip().lower()


def unsubscribe_headers(url: str) -> dict[str, str]:
    """One-click unsubscribe headers for a message (RFC 8058).

    The URL must be https; plain http is accepted only on a loopback host so
    the demo works. The receiving side POSTs `List-Unsubscribe=One-Click` to it.
    """
    parts = urlsplit(url)
    loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK
    if not (parts.scheme == "https" or loopback) or not parts.hostname:
        raise ValueError("List-Unsubscribe needs an https URL (RFC 8058)")
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
