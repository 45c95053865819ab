"""Schemathesis over /api/openapi.json: no server errors, every answer as documented.

Runs the WSGI application in process with a bounded number of examples per
operation, so `make test` runs it in well under a minute.
"""

import datetime as dt

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tribune.discussion import spam
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

# A CSRF secret sent as both cookie and header, as the site's JavaScript does.
CSRF = "schemathesisCsrfSecret0123456789"


# Loaded at collection, outside any test database: serving the document reads none.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def world(db):
    """A report with one comment, so some generated ids name real things."""
    factories.rules()
    article = newsroom.article()
    factories.comment(in_thread=factories.thread(page=article))
    # As Django's test client does: the test's transaction must outlive requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_documented_and_never_fails(case):
    if isinstance(case.body, dict) and "started" in case.body:
        # A real form token, old enough to pass the fill-time check.
        with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)):
            case.body["started"] = spam.issue_form_token()
    # identity: the in-process client does not undo GZipMiddleware.
    case.call_and_validate(
        headers={"X-CSRFToken": CSRF, "Accept-Encoding": "identity"},
        cookies={"csrftoken": CSRF},
    )
