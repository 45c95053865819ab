"""Every write to bans: making, changing and lifting them, each logged."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from tribune.core import clock, generations
from tribune.discussion import networks, selectors
from tribune.discussion.errors import InvalidCommentError
from tribune.discussion.models import Action, Ban, BanMode, ModerationAction


def _log(ban: Ban, action: Action, moderator: User | None, note: str) -> None:
    ModerationAction.objects.create(
        ban=ban, moderator=moderator, action=action, note=note[:300]
    )


def _forget_bans() -> None:
    """Every process reloads its copy of the active bans: now, and again after
    the commit (a process that reloaded in between saw the old rows)."""
    generations.bump(selectors.BANS_GENERATION)
    transaction.on_commit(lambda: generations.bump(selectors.BANS_GENERATION))


def _describe(ban: Ban) -> str:
    targets = [
        f"account {ban.user_id}" if ban.user_id else "",
        ban.email,
        f"guest {ban.guest_token[:8]}" if ban.guest_token else "",
        ban.network,
    ]
    return f"{ban.get_mode_display()}: " + ", ".join(t for t in targets if t)


@transaction.atomic
def ban_poster(
    *,
    moderator: User,
    reason: str,
    mode: str = BanMode.SHADOW,
    expires_at: dt.datetime | None = None,
    user: User | None = None,
    email: str = "",
    guest_token: str = "",
    network: str = "",
) -> Ban:
    """Ban an account, an email address, a guest browser and/or an IP range.

    Precondition: the caller checked that `moderator` may moderate.  `network`
    is normalised by networks.normalise.  Logged; every process sees the ban
    from its next request after the commit.  Raises InvalidCommentError for no
    target, a bad range, an unknown mode or a missing reason.
    """
    email = (email or "").strip().lower()
    guest_token = (guest_token or "").strip()
    try:
        network = networks.normalise(network) if network.strip() else ""
    except networks.NetworkError:
        raise InvalidCommentError(
            _("Give an IPv4 address or range, or an IPv6 range of /64 or wider."),
            field="network",
            code="bad_network",
        ) from None
    if user is None and not (email or guest_token or network):
        raise InvalidCommentError(
            _("Choose at least one thing to ban."), code="no_target"
        )
    ban = Ban(
        user=user,
        email=email,
        guest_token=guest_token,
        network=network,
        created_by=moderator,
    )
    _set_terms(ban, mode=mode, reason=reason, expires_at=expires_at)
    ban.save()
    _log(ban, Action.BAN, moderator, f"{_describe(ban)} · {ban.reason}")
    _forget_bans()
    return ban


def _set_terms(
    ban: Ban, *, mode: str, reason: str, expires_at: dt.datetime | None
) -> None:
    if mode not in BanMode.values:
        raise InvalidCommentError(_("Choose how the ban acts."), field="mode")
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidCommentError(
            _("Give a reason; it is kept in the moderation log."), field="reason"
        )
    ban.mode, ban.reason, ban.expires_at = mode, reason[:300], expires_at


@transaction.atomic
def update_ban(
    *,
    ban: Ban,
    moderator: User,
    mode: str,
    reason: str,
    expires_at: dt.datetime | None,
) -> Ban:
    """Change how a ban acts, why, and until when; logged.

    Raises InvalidCommentError for an unknown mode or a missing reason.
    """
    locked = Ban.objects.select_for_update().get(pk=ban.pk)
    _set_terms(locked, mode=mode, reason=reason, expires_at=expires_at)
    locked.save(update_fields=["mode", "reason", "expires_at"])
    until = expires_at.isoformat() if expires_at else "-"
    _log(locked, Action.BAN_EDIT, moderator, f"{_describe(locked)} · {until}")
    _forget_bans()
    return locked


@transaction.atomic
def lift_ban(*, ban: Ban, moderator: User, note: str = "") -> Ban:
    """End a ban now; logged.  Lifting a lifted ban changes nothing."""
    locked = Ban.objects.select_for_update().get(pk=ban.pk)
    if locked.lifted_at is None:
        locked.lifted_at = clock.now()
        locked.save(update_fields=["lifted_at"])
        _log(locked, Action.UNBAN, moderator, note)
        _forget_bans()
    return locked
