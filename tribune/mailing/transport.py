"""Hands one message to the mail server, with a last-moment check before it commits.

SMTP commits a message when the server answers the end-of-data line
("<CRLF>.<CRLF>", RFC 5321 section 4.1.1.4); a connection lost before that line
aborts the transaction. `send` therefore runs the conversation up to that line,
asks `before_handover` whether the message is still this worker's to send (the
callback records the hand-over durably), and only then sends the final line.
"""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

_CRLF = b"\r\n"
_LEADING_DOT = re.compile(rb"(?m)^\.")


class TransportError(Exception):
    """The message was not handed over; `temporary` says whether to retry."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


class HandoverUnknownError(Exception):
    """The end of the message went out but no answer came back."""


class NotOursError(Exception):
    """`before_handover` refused: the row was erased or taken back meanwhile."""


def send(message: EmailMessage, *, before_handover: Callable[[], bool]) -> None:
    """Deliver `message` through the configured backend.

    Raises TransportError when the server (or the network) refused before the
    hand-over, HandoverUnknownError when the answer to the end of data was lost,
    NotOursError when `before_handover` returned False (nothing was delivered).
    """
    backend = get_connection(fail_silently=False)
    if isinstance(backend, SMTPBackend):
        _send_smtp(backend, message, before_handover)
        return
    # Console, file and memory backends have no commit point of their own.
    if not before_handover():
        raise NotOursError("the message is no longer this worker's")
    try:
        backend.send_messages([message])
    except Exception as exc:
        raise HandoverUnknownError(f"{type(exc).__name__}: {exc}") from exc


def _send_smtp(
    backend: SMTPBackend, message: EmailMessage, before_handover: Callable[[], bool]
) -> None:
    try:
        backend.open()
    except (OSError, smtplib.SMTPException) as exc:
        raise TransportError(_describe(exc), temporary=True) from exc
    connection = backend.connection
    if connection is None:  # open() raises rather than fail silently
        raise TransportError("no SMTP connection", temporary=True)
    try:
        _converse(connection, message, before_handover)
    finally:
        try:
            backend.close()
        except (OSError, smtplib.SMTPException):
            # The message's fate is already decided; a failed QUIT changes nothing.
            backend.connection = None


def _converse(
    connection: smtplib.SMTP,
    message: EmailMessage,
    before_handover: Callable[[], bool],
) -> None:
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(a, encoding) for a in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    try:
        connection.ehlo_or_helo_if_needed()
        _expect(connection.mail(sender), {250})
        for recipient in recipients:
            _expect(connection.rcpt(recipient), {250, 251})
        connection.putcmd("data")
        _expect(connection.getreply(), {354})
        body = _LEADING_DOT.sub(b"..", data)
        if not body.endswith(_CRLF):
            body += _CRLF
        connection.send(body)
    except (OSError, smtplib.SMTPException) as exc:
        raise TransportError(_describe(exc), temporary=True) from exc
    if not before_handover():
        # Closing without the end-of-data line makes the server drop the message.
        connection.close()
        raise NotOursError("the message is no longer this worker's")
    try:
        # The body and the end-of-data line go out as two writes; without
        # TCP_NODELAY, Nagle's algorithm holds the short second write until the
        # server's delayed ACK of the first (about 40 ms per message).
        if connection.sock is not None:
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.send(b"." + _CRLF)
        reply = connection.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        raise HandoverUnknownError(_describe(exc)) from exc
    _expect(reply, {250})


def _expect(reply: tuple[int, bytes], accepted: set[int]) -> None:
    code, text = reply
    if code in accepted:
        return
    detail = f"{code} {text.decode('utf-8', 'replace')}"
    # 4xx asks the client to try again later; 5xx is final (RFC 5321 4.2.1).
    # A lost connection reads as -1 and is worth a retry.
    raise TransportError(detail, temporary=not 500 <= code < 600)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]
