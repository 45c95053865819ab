import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from tribune.discussion import conf, identity
from tribune.discussion.errors import RateLimitedError
from tribune.discussion.identity import Viewer
from tribune.discussion.tests import factories

rf = RequestFactory()


def request(remote="198.51.100.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert identity.client_ip(request(forwarded="203.0.113.1")) == "198.51.100.7"


def test_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert identity.client_ip(request(forwarded="203.0.113.1")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    got = identity.client_ip(
        request(remote="10.0.0.2", forwarded="1.2.3.4, 203.0.113.1, 10.0.0.5")
    )
    # 1.2.3.4 was sent by the client itself and cannot be believed.
    assert got == "203.0.113.1"


def test_garbage_in_the_header_gives_no_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert identity.client_ip(request(remote="10.0.0.1", forwarded="<script>")) is None


@pytest.mark.django_db
def test_anonymous_reader_has_no_key_until_a_guest_token_is_made():
    viewer = identity.viewer_for(request())
    assert viewer.key is None
    guest = identity.ensure_guest(request(), viewer)
    assert guest.key == f"g:{guest.guest_token}"
    assert len(guest.guest_token) == 32


@pytest.mark.django_db
def test_guest_cookie_round_trips_signed_and_http_only():
    guest = identity.ensure_guest(request(), Viewer())
    response = HttpResponse()
    identity.remember_guest(response, guest)
    cookie = response.cookies[conf.get("GUEST_COOKIE")]
    assert cookie["httponly"]
    back = rf.get("/")
    back.COOKIES[conf.get("GUEST_COOKIE")] = cookie.value
    assert identity.viewer_for(back).guest_token == guest.guest_token


def test_forged_guest_cookie_is_ignored():
    forged = rf.get("/")
    forged.COOKIES[conf.get("GUEST_COOKIE")] = "a" * 32
    assert identity.viewer_for(forged).key is None


@pytest.mark.django_db
def test_signed_in_user_is_keyed_by_account(django_user_model):
    user = django_user_model.objects.create_user("kim", password="pw-for-tests-1")
    req = request()
    req.user = user
    assert identity.viewer_for(req).key == f"u:{user.pk}"


@pytest.mark.django_db
def test_guest_cookie_tells_its_age_and_is_not_set_again():
    with time_machine.travel("2026-12-01 10:00Z", tick=False):
        guest = identity.ensure_guest(request(), Viewer())
        response = HttpResponse()
        identity.remember_guest(response, guest)
    back = rf.get("/")
    back.COOKIES[conf.get("GUEST_COOKIE")] = response.cookies[
        conf.get("GUEST_COOKIE")
    ].value
    known = identity.viewer_for(back)
    assert known.guest_since == dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC).timestamp()
    again = HttpResponse()
    identity.remember_guest(again, known)
    assert conf.get("GUEST_COOKIE") not in again.cookies


@pytest.mark.django_db
def test_new_guests_per_network_are_limited(settings):
    rules = factories.rules(new_guests_per_ip_per_hour=2)
    made = [identity.ensure_guest(request("2001:db8::1"), Viewer()) for _ in range(2)]
    assert len({v.guest_token for v in made}) == 2
    with pytest.raises(RateLimitedError):
        identity.ensure_guest(request("2001:db8::ffff"), Viewer())  # the same /64
    assert identity.ensure_guest(request("198.51.100.9"), Viewer()).guest_token
    assert rules.new_guests_per_ip_per_hour == 2


def _djangos_cookie(token, secure=False):
    """The guest cookie as Django's set_signed_cookie sets it."""
    response = HttpResponse()
    response.set_signed_cookie(
        conf.get("GUEST_COOKIE"),
        token,
        salt=identity.GUEST_SALT,
        max_age=identity.GUEST_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
    return response.cookies[conf.get("GUEST_COOKIE")].OutputString()


def _our_cookie(token):
    response = HttpResponse()
    identity.remember_guest(response, Viewer(guest_token=token))
    return response.cookies[conf.get("GUEST_COOKIE")].OutputString()


@pytest.mark.parametrize("moment", ["2026-12-01 10:00:00Z", "2031-05-17 23:59:59Z"])
def test_the_guest_cookie_is_the_one_django_signs(moment):
    """The key is derived once per process, not per cookie: same bytes."""
    with time_machine.travel(moment, tick=False):
        for token in ("a" * 32, "0123456789abcdef" * 2):
            assert _our_cookie(token) == _djangos_cookie(token)


def test_the_guest_cookie_follows_the_settings(settings):
    token = "b" * 32
    with time_machine.travel("2026-12-01 10:00Z", tick=False):
        first = _our_cookie(token)
        settings.SECRET_KEY = "another-secret-key-" + "x" * 40
        settings.SESSION_COOKIE_SECURE = True
        assert _our_cookie(token) == _djangos_cookie(token, secure=True) != first
        settings.DISCUSSION_GUEST_COOKIE = "renamed_guest"
        assert _our_cookie(token).startswith("renamed_guest=")
        assert _our_cookie(token) == _djangos_cookie(token, secure=True)


class OtherSigner(signing.TimestampSigner):
    """A project's own signing backend: Django's set_signed_cookie uses it."""

    def signature(self, value, key=None):
        return "other-" + super().signature(value, key)


def test_another_signing_backend_signs_the_guest_cookie(settings):
    settings.SIGNING_BACKEND = f"{__name__}.OtherSigner"
    with time_machine.travel("2026-12-01 10:00Z", tick=False):
        ours = _our_cookie("c" * 32)
        assert ours == _djangos_cookie("c" * 32)
    assert ":other-" in ours


def test_a_change_of_trusted_proxies_is_followed(settings):
    settings.TRUSTED_PROXIES = []
    behind = request(remote="10.0.0.2", forwarded="203.0.113.1")
    assert identity.client_ip(behind) == "10.0.0.2"
    settings.TRUSTED_PROXIES = ["not a network", "10.0.0.0/8"]
    assert identity.client_ip(behind) == "203.0.113.1"


def test_addresses_are_given_in_their_usual_spelling(settings):
    settings.TRUSTED_PROXIES = []
    assert identity.client_ip(request(remote="2001:DB8:0:0::1")) == "2001:db8::1"
    assert identity.client_ip(request(remote="not an address")) is None
    assert identity.client_ip(request(remote="")) is None


def test_the_guest_cookie_key_is_kept_under_djangos_own_signer():
    # Else every cookie is signed by Django, deriving the key each time.
    assert identity._guest_signing()[2] is not None


def test_a_long_forwarded_hop_is_parsed_but_never_kept(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    identity._parsed_address.cache_clear()
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1" * 10_000)
    assert identity.client_ip(request) is None
    assert identity._parsed_address.cache_info().currsize == 1  # 10.0.0.1 only
