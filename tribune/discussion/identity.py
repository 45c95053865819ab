"""Who is asking: the reader's identity (account or guest cookie) and client IP."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import force_bytes
from django.utils.translation import gettext as _

from tribune.core import ratelimit
from tribune.discussion import conf
from tribune.discussion.errors import RateLimitedError
from tribune.discussion.models import DiscussionSettings

GUEST_SALT = "discussion.guest"
# A year: the guest token is what lets a browser edit and vote as the same guest.
GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Viewer:
    """A reader: a signed-in user, a guest known by cookie token, or anonymous."""

    user_id: int | None = None
    guest_token: str = ""
    is_moderator: bool = False
    # When the browser's guest cookie was issued (Unix time); None when the
    # guest was not read from a cookie (new, or made by the server).
    guest_since: float | None = None

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
    name = conf.get("GUEST_COOKIE")
    token = request.get_signed_cookie(name, default="", salt=GUEST_SALT) or ""
    if len(token) != 32:
        return Viewer()
    return Viewer(guest_token=token, guest_since=_signed_at(request.COOKIES[name]))


def _signed_at(cookie: str) -> float | None:
    # The signature was checked; its timestamp is when the cookie was issued,
    # since remember_guest sets it only once.
    try:
        return float(signing.b62_decode(cookie.rsplit(":", 2)[1]))
    except (IndexError, ValueError):
        return None


def ensure_guest(request: HttpRequest, viewer: Viewer) -> Viewer:
    """The viewer with a guest token, making one for a new anonymous reader.

    Raises RateLimitedError when the client's network (IPv4 address or IPv6
    /64) has made more new guests this hour than the site settings allow, so
    dropping the cookie does not make a new voter or reporter for free.  Side
    effect: a new guest is counted.  The caller must call `remember_guest` on
    the response so the browser keeps it.
    """
    if viewer.key is not None:
        return viewer
    try:
        rules = DiscussionSettings.for_request(request)
    except DiscussionSettings.DoesNotExist:  # no site answers this host: defaults
        rules = DiscussionSettings(moderation="publish")
    if not ratelimit.hit(
        scope="discussion.guest.ip",
        key=ratelimit.client_key(client_ip(request)),
        limit=rules.new_guests_per_ip_per_hour,
        window=3600,
    ):
        raise RateLimitedError(
            _(
                "Too many new visitors from your network. Please try again in an "
                "hour, or sign in."
            ),
            code="too_many_guests",
        )
    return Viewer(guest_token=secrets.token_hex(16))


def remember_guest(response: HttpResponse, viewer: Viewer) -> None:
    """Store the guest token in a signed, HTTP-only cookie (no-op for accounts).

    A cookie the browser sent is not set again, so its signed timestamp keeps
    telling how long the guest has been known.
    """
    if viewer.user_id is None and viewer.guest_token and viewer.guest_since is None:
        name, secure, key = _guest_signing()
        if key is None:
            response.set_signed_cookie(
                name,
                viewer.guest_token,
                salt=GUEST_SALT,
                max_age=GUEST_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=secure,
            )
            return
        signed_at = signing.b62_encode(int(time.time()))
        response.set_cookie(
            name,
            _signed(key, f"{viewer.guest_token}:{signed_at}"),
            max_age=GUEST_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=secure,
        )


def _signed(key: bytes, value: str) -> str:
    """`value` signed as Django's Signer.sign does (SHA-256), with the HMAC
    key it derives."""
    mac = hmac.digest(key, value.encode(), "sha256")
    return f"{value}:{base64.urlsafe_b64encode(mac).strip(b'=').decode()}"


# The guest cookie's name, its Secure flag, and the HMAC key that signs it:
# Django's set_signed_cookie makes a signer and derives the key from
# SECRET_KEY for every cookie. No key where Django would sign otherwise (a
# SIGNING_BACKEND other than its TimestampSigner with SHA-256, or a salt
# Django no longer reads back): Django signs. Made again when a setting
# changes (override_settings in tests).
_kept_signing: tuple[str, bool, bytes | None] | None = None


def _guest_signing() -> tuple[str, bool, bytes | None]:
    global _kept_signing
    kept = _kept_signing
    if kept is None:
        name = conf.get("GUEST_COOKIE")
        kept = _kept_signing = (name, settings.SESSION_COOKIE_SECURE, _key(name))
    return kept


def _key(name: str) -> bytes | None:
    # The salt HttpResponse.set_signed_cookie gives the cookie signer (Django 5).
    salt = f"django.http.cookies.v2:{len(GUEST_SALT)}:{GUEST_SALT}{name}"
    signer = signing.get_cookie_signer(salt=salt)
    if type(signer) is not signing.TimestampSigner or (
        signer.sep,
        signer.algorithm,
    ) != (":", "sha256"):
        return None
    # As django.utils.crypto.salted_hmac derives it for each signature.
    salted = force_bytes(signer.salt) + b"signer" + force_bytes(signer.key)
    key = hashlib.sha256(salted).digest()
    # Used only while Django reads a cookie signed with it back.
    probe = HttpRequest()
    probe.COOKIES[name] = _signed(key, f"probe:{signing.b62_encode(int(time.time()))}")
    back = probe.get_signed_cookie(name, default=None, salt=GUEST_SALT)
    return key if back == "probe" else None


# The trusted proxies' networks, parsed once (an entry that is no network is
# left out, as it never matched); made again when the setting changes.
_kept_proxies: tuple[Any, ...] | None = None


def _proxies() -> tuple[Any, ...]:
    global _kept_proxies
    kept = _kept_proxies
    if kept is None:
        networks = []
        for entry in getattr(settings, "TRUSTED_PROXIES", []):
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                continue
        kept = _kept_proxies = tuple(networks)
    return kept


def _forget(**kwargs: Any) -> None:
    global _kept_signing, _kept_proxies
    _kept_signing = _kept_proxies = None


setting_changed.connect(_forget, dispatch_uid="tribune-discussion-identity")


def _address(text: str) -> tuple[Any, str] | None:
    """The address written in `text` and its usual spelling, or None (kept: a
    post asks twice, and the same clients come back; a forwarded hop is any
    text a client sends, so long ones are not kept)."""
    if len(text) <= ratelimit.LONGEST_KEPT_ADDRESS:
        return _parsed_address(text)
    return _parsed_address.__wrapped__(text)


@functools.lru_cache(maxsize=4096)
def _parsed_address(text: str) -> tuple[Any, str] | None:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    return ip, str(ip)


def _is_trusted(address: str, trusted: tuple[Any, ...]) -> bool:
    found = _address(address)
    return found is not None and any(found[0] in network for network in trusted)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For counts only when sent by a trusted proxy.

    Walks X-Forwarded-For from the right, skipping trusted proxies, so a client
    cannot choose its address by sending the header itself.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _proxies()
    address = remote
    if trusted and _is_trusted(remote, trusted):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            address = hop
            if not _is_trusted(hop, trusted):
                break
    found = _address(address)
    return None if found is None else found[1]
