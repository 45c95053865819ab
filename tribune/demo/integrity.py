"""Integrity of a load test's outcome: comments and mail counted end to end.

Pure functions on plain values, shared by `make loadtest` (bench/loadtest.py)
and the tests: what clients were told against what the database and the SMTP
server hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Integrity:
    comments_accepted: int
    comments_stored: int
    # Accepted (201) but not in the database: a lost comment.
    comments_lost: list[str] = field(default_factory=list)
    # In the database although the client got an error or no answer.
    comments_stored_behind_error: list[str] = field(default_factory=list)
    mails_queued: int = 0
    mails_delivered: int = 0
    # Queued but never received by the SMTP server.
    mails_missing: list[str] = field(default_factory=list)
    # Received more than once (message id, times).
    mails_duplicated: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (
            self.comments_lost
            or self.comments_stored_behind_error
            or self.mails_missing
            or self.mails_duplicated
        )


def _message_id(value: str) -> str:
    return value.strip().strip("<>").strip()


def check_integrity(
    *,
    accepted: Iterable[str],
    refused: Iterable[str],
    stored: Iterable[str],
    queued: Iterable[str],
    delivered: Iterable[str],
) -> Integrity:
    """Compare the clients' view with the database's and the SMTP server's.

    `accepted` and `refused` are the keys of comment posts answered 201 and
    otherwise (an error or no answer); `stored` the keys found in the database.
    A refused post that was stored anyway is reported, since the client will
    retry it or give up while it shows. `queued` are the outbox's message ids and
    `delivered` the ids as the SMTP server received them, repeats included.
    """
    accepted_set, stored_set = set(accepted), set(stored)
    refused_set = set(refused) - accepted_set
    received = Counter(_message_id(m) for m in delivered)
    queued_set = {_message_id(m) for m in queued}
    return Integrity(
        comments_accepted=len(accepted_set),
        comments_stored=len(stored_set & (accepted_set | refused_set)),
        comments_lost=sorted(accepted_set - stored_set),
        comments_stored_behind_error=sorted(refused_set & stored_set),
        mails_queued=len(queued_set),
        mails_delivered=len(queued_set & set(received)),
        mails_missing=sorted(queued_set - set(received)),
        mails_duplicated={m: n for m, n in sorted(received.items()) if n > 1},
    )
