"""Who is asking: the reader's identity (account or guest cookie) and client IP."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tribune.discussion import conf

GUEST_SALT = "discussion.guest"
# A year: the guest token is what lets a browser edit and vote as the same guest.
GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Viewer:
    """A reader: a signed-in user, a guest known by cookie token, or anonymous."""

    user_id: int | None = None
    guest_token: str = ""
    is_moderator: bool = False

    @property
    def key(self) -> str | None:
        """The voter/reporter identity, or None when the reader has none yet."""
        if self.user_id is not None:
            return f"u:{self.user_id}"
        if self.guest_token:
            return f"g:{self.guest_token}"
        return None


def viewer_for(request: HttpRequest) -> Viewer:
    """The reader making the request, from the session or the signed guest cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Viewer(user_id=user.pk, is_moderator=user.is_staff)
    token = (
        request.get_signed_cookie(conf.get("GUEST_COOKIE"), default="", salt=GUEST_SALT)
        or ""
    )
    return Viewer(guest_token=token if len(token) == 32 else "")


def ensure_guest(request: HttpRequest, viewer: Viewer) -> Viewer:
    """The viewer with a guest token, making one for a new anonymous reader.

    The caller must call `remember_guest` on the response so the browser keeps it.
    """
    if viewer.key is not None:
        return viewer
    return Viewer(guest_token=secrets.token_hex(16))


def remember_guest(response: HttpResponse, viewer: Viewer) -> None:
    """Store the guest token in a signed, HTTP-only cookie (no-op for accounts)."""
    if viewer.user_id is None and viewer.guest_token:
        response.set_signed_cookie(
            conf.get("GUEST_COOKIE"),
            viewer.guest_token,
            salt=GUEST_SALT,
            max_age=GUEST_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def _is_trusted(address: str, trusted: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in trusted:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For counts only when sent by a trusted proxy.

    Walks X-Forwarded-For from the right, skipping trusted proxies, so a client
    cannot choose its address by sending the header itself.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted: list[str] = list(getattr(settings, "TRUSTED_PROXIES", []))
    address = remote
    if trusted and _is_trusted(remote, trusted):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            address = hop
            if not _is_trusted(hop, trusted):
                break
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
