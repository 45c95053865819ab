"""Reader accounts: sign-up confirmed by email, as an alternative to guest comments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tribune.core import clock
from tribune.core.text import clean_reader_text
from tribune.mailing import services as mailing

# One confirmation mail per address per ten minutes, whatever is asked.
CONFIRM_EVERY_SECONDS = 600


def _confirm_path(user: User) -> str:
    from django.urls import reverse

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("discussion:account_confirm", args=[uid, token])


@transaction.atomic
def register_reader(
    *, email: str, name: str, password: str, base_url: str
) -> User | None:
    """Create an inactive account and mail its confirmation link.

    Precondition: the form validated email, name and password.  An address that
    already has an account gets no new one and no password change (the answer
    to the visitor is the same, so sign-up does not reveal who has an account);
    a still unconfirmed one gets its link again.  Mail is queued on commit and
    at most once per address every ten minutes.  Returns the new account, or
    None when the address was known.
    """
    address = email.strip().lower()
    users = get_user_model()
    existing = users.objects.filter(email__iexact=address).first()
    if existing is not None:
        if not existing.is_active:
            _send_confirmation(existing, base_url)
        return None
    user = users.objects.create_user(
        username=address,
        email=address,
        password=password,
        first_name=clean_reader_text(name).strip(),
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    _send_confirmation(user, base_url)
    return user


def _send_confirmation(user: User, base_url: str) -> None:
    if not mailing.allow_send(
        email=user.email, purpose="account_confirm", per=CONFIRM_EVERY_SECONDS
    ):
        return
    context = {
        "user": user,
        "link": base_url.rstrip("/") + _confirm_path(user),
        "SITE_NAME": settings.SITE_NAME,
    }
    window = int(clock.now().timestamp()) // CONFIRM_EVERY_SECONDS
    mailing.queue_email(
        to=user.email,
        subject=render_to_string(
            "discussion/mail/confirm_subject.txt", context
        ).strip(),
        text=render_to_string("discussion/mail/confirm.txt", context),
        dedupe_key=f"account-confirm:{user.pk}:{window}",
    )


def confirm_reader(*, uidb64: str, token: str) -> User | None:
    """Activate the account the link names, or None for a bad or used link.

    The token is Django's password-reset token: it expires
    (PASSWORD_RESET_TIMEOUT) and stops working once the account has signed in.
    """
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
