"""`tribune live`: the Server-Sent Events process (uvicorn), beside the web server."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tribune.live import stream


class Command(BaseCommand):
    help = "Serve the live updates stream (Server-Sent Events) on --bind HOST:PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8001")

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        host, _, port = options["bind"].rpartition(":")
        uvicorn.run(
            stream.get_application(),
            host=host or "127.0.0.1",
            port=int(port),
            lifespan="on",
            # One process, whatever WEB_CONCURRENCY says: uvicorn takes its workers
            # from it and refuses (exits) to run an application object in several.
            workers=1,
            access_log=False,
            # Heartbeats keep streams alive; a stream never times out on its own.
            timeout_keep_alive=5,
            # Streams never end by themselves: on stop, close them after this
            # long; browsers reconnect to the next process with Last-Event-ID.
            timeout_graceful_shutdown=2,
            log_level="warning",
        )
