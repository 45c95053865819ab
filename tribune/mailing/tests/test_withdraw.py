"""withdraw_queued: a reader leaves a list while a send to it runs."""

from __future__ import annotations

import pytest

from tribune.mailing import delivery, services
from tribune.mailing.models import OutboundEmail

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def test_only_the_queued_mail_of_that_list_is_withdrawn() -> None:
    def queue(to: str, key: str) -> OutboundEmail:
        return services.queue_email(to=to, subject="S", text="T", dedupe_key=key)

    leaving = queue("ann@example.org", "list:1")
    confirm = queue("ann@example.org", "confirm:1")
    other = queue("bob@example.org", "list:1")
    assert services.withdraw_queued(email="ANN@example.org", dedupe_prefix="list:") == 1
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {
        leaving.pk: Status.SUPPRESSED,
        confirm.pk: Status.QUEUED,
        other.pk: Status.QUEUED,
    }
    assert sorted(delivery.deliver_due()) == [Status.SENT, Status.SENT]
    with pytest.raises(services.MailingError):
        services.withdraw_queued(email="ann@example.org", dedupe_prefix="")
