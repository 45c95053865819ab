"""The live events backlog: what was sent, so a reconnect replays what it missed."""

from __future__ import annotations

from django.db import models

from tribune.core import clock


class LiveEvent(models.Model):
    """One public event on one channel ("article:<page id>" or "goal").

    Rows are written only for what every reader may see; the id is the SSE
    event id a browser sends back as Last-Event-ID.
    """

    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["channel", "id"], name="live_event_channel_id"),
            models.Index(fields=["created_at"], name="live_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.kind}"
