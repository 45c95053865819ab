"""Funding's JSON endpoints on django-ninja: headers, methods and the error shape."""

import json

import pytest
from django.test import Client

from tribune.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_progress_json_may_be_read_by_other_sites_and_cached_for_half_a_minute(client):
    factories.campaign()
    response = client.get("/support/progress.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=30"
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["bar"]["currency"] == "USD"


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("post", "/support/progress.json", "GET"),
        ("delete", "/support/openapi.json", "GET"),
        ("get", "/support/webhooks/stripe/", "POST"),
        ("put", "/support/webhooks/patreon/", "POST"),
    ],
)
def test_other_methods_are_405_in_the_error_shape(client, method, url, allowed):
    response = getattr(client, method)(url)
    assert (response.status_code, response["Allow"]) == (405, allowed)
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_webhooks_need_no_csrf_token_and_answer_in_the_error_shape(stripe_keys):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/support/webhooks/stripe/", b"{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"


def test_an_unconfigured_provider_is_404_whatever_the_headers(client, settings):
    settings.PATREON_WEBHOOK_SECRET = ""
    response = client.post(
        "/support/webhooks/patreon/", b"{}", content_type="application/json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (
        404,
        "not_configured",
    )
