"""Staff actions on one outbox row: send a failed or unknown message again, or mark
an unknown one as sent. POST only; each calls its service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribune.mailing import services
from tribune.mailing.models import OutboundEmail

# Acting on the log needs more than reading it.
PERMISSION = "mailing.change_outboundemail"


def _inspect(email: OutboundEmail) -> HttpResponse:
    return redirect("outboundemail:inspect", email.pk)


@require_POST
def retry_email(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        services.retry_email(email=email)
    except services.MailingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return _inspect(email)


@require_POST
def mark_email_sent(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        services.mark_email_sent(email=email)
    except services.MailingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The message is recorded as sent."))
    return _inspect(email)
