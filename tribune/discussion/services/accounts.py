"""Writes of reader accounts: sign-up confirmed by email, as an alternative to
guest comments.

Sign-up asks only for the address; the name and password are set on the page
the emailed link opens, so nothing typed by a stranger reaches the address or
unlocks an account on it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from tribune.core import clock, ratelimit
from tribune.core.text import clean_reader_text
from tribune.discussion.errors import RateLimitedError
from tribune.discussion.models import DiscussionSettings
from tribune.mailing import services as mailing

# One confirmation mail per address per ten minutes, whatever is asked.
CONFIRM_EVERY_SECONDS = 600


def _confirm_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("discussion:account_confirm", args=[uid, token])


@transaction.atomic
def register_reader(
    *, email: str, base_url: str, ip: str | None, rules: DiscussionSettings
) -> User | None:
    """Create an inactive account without a usable password and mail its link.

    The name and password are chosen on the page the link opens, so a stranger
    who types someone's address sets nothing on it and no typed text reaches
    that inbox.  Raises RateLimitedError when the client's network (IPv4
    address or IPv6 /64) signed up more than `rules` allow this hour.  An
    address that already has an account gets no new one (the answer to the
    visitor is the same, so sign-up does not reveal who has an account); a
    still unconfirmed one gets its link again.  Mail is queued on commit, at
    most once per address every ten minutes and `rules` times a day.  Returns
    the new account, or None when the address was known.
    """
    if not ratelimit.hit(
        scope="discussion.signup.ip",
        key=ratelimit.client_key(ip),
        limit=rules.signups_per_ip_per_hour,
        window=3600,
    ):
        raise RateLimitedError(
            _("Too many sign-ups from your network. Please try again in an hour."),
            code="too_many_signups",
        )
    address = email.strip().lower()
    users = get_user_model()
    existing = users.objects.filter(email__iexact=address).first()
    if existing is not None:
        if not existing.is_active:
            _send_confirmation(existing, base_url, rules)
        return None
    user = users.objects.create_user(username=address, email=address, password=None)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _send_confirmation(user, base_url, rules)
    return user


def _send_confirmation(user: User, base_url: str, rules: DiscussionSettings) -> None:
    if not ratelimit.hit(
        scope="discussion.signup.email",
        key=user.email,
        limit=rules.signups_per_address_per_day,
        window=24 * 3600,
    ):
        return
    if not mailing.allow_send(
        email=user.email, purpose="account_confirm", per=CONFIRM_EVERY_SECONDS
    ):
        return
    # Only the link and the site's own words: nothing a visitor typed.
    context = {
        "link": base_url.rstrip("/") + _confirm_path(user),
        "SITE_NAME": settings.SITE_NAME,
    }
    window = int(clock.now().timestamp()) // CONFIRM_EVERY_SECONDS
    mailing.queue_templated_email(
        "discussion/mail/confirm",
        to=user.email,
        context=context,
        dedupe_key=f"account-confirm:{user.pk}:{window}",
    )


@transaction.atomic
def confirm_reader(*, uidb64: str, token: str, name: str, password: str) -> User | None:
    """Activate the account the link names with the name and password chosen now.

    Precondition: a form validated `name` and `password`.  None for a bad or
    used link.  The token is Django's password-reset token: it expires
    (PASSWORD_RESET_TIMEOUT) and stops working once the password is set.
    """
    found = check_confirm_link(uidb64=uidb64, token=token)
    if found is None:
        return None
    # Two presses of the button at once: the second sees the account active.
    user = get_user_model().objects.select_for_update().get(pk=found.pk)
    if user.is_active:
        return None
    user.first_name = clean_reader_text(name).strip()
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["first_name", "password", "is_active"])
    return user


def check_confirm_link(*, uidb64: str, token: str) -> User | None:
    """The not yet confirmed account a link names, or None for a bad or used link."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=False).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user
