"""The only module of the app that queues mail: the link to "Your page"."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from tribune.mailing import services as mailing
from tribune.selfservice import conf


def send_link(*, email: str, secret: str, link_id: int) -> None:
    """Queue the mail with a one-time link; sent on commit by the worker.

    The text is the same for every address: it says nothing about whether
    the site holds anything for it.
    """
    base = str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    context = {
        "link": f"{base}{reverse('selfservice:link', args=[secret])}",
        "minutes": conf.get("LINK_MINUTES"),
    }
    mailing.queue_email(
        to=email,
        subject=_("Your link to your page"),
        text=render_to_string("selfservice/mail/link.txt", context),
        html=render_to_string("selfservice/mail/link.html", context),
        dedupe_key=f"selfservice.link:{link_id}",
        # A reader who stopped all mail must still be able to come back here.
        asked_for=True,
    )
