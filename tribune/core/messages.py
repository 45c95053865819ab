"""Django's messages middleware, with each request's storage made on first use.

Django makes the storage for every request (the cookie storage's signer, the
session storage, the fallback over both): about 45 Python calls, paid by every
JSON write and every request that never shows or adds a message. Here the storage
is made when the request first reads or adds a message; a storage never made
was never used and has nothing to store, so the response is left as Django's
`update()` would leave it.
"""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class MessageMiddleware(DjangoMessages):
    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: default_storage(request)
        )

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        kept = request.__dict__.get("_messages")
        if isinstance(kept, SimpleLazyObject) and kept._wrapped is empty:  # type: ignore[attr-defined]
            return response  # never read nor added to
        return super().process_response(request, response)
