"""The APIs' shared ground (core/api.py) on a small JsonApi of its own, served by
ninja through the same URL patterns the apps use."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import URLPattern
from ninja.responses import Status
from pydantic import BaseModel, StrictBool

from tribune.core.api import CSRF_HEADER, Error, JsonApi

api = JsonApi(mount="/probe/", title="Probe", urls_namespace="probe")


class Note(BaseModel):
    text: str
    pinned: StrictBool = False


class Saved(BaseModel):
    text: str
    pinned: bool


@api.get("/notes/{id:note_id}", response={200: Saved, 404: Error}, url_name="note")
def read_note(request: HttpRequest, note_id: int) -> dict[str, Any]:
    return {"text": f"note {note_id}", "pinned": False}


@api.post(
    "/notes",
    response={201: Saved, 400: Error, 403: Error, 413: Error, 415: Error},
    url_name="notes",
    openapi_extra=CSRF_HEADER,
)
def write_note(request: HttpRequest, data: Note) -> Any:
    return Status(201, data.model_dump())


@api.patch("/notes/{id:note_id}", response={200: Saved}, url_name="note")
def pin_note(request: HttpRequest, note_id: int) -> dict[str, Any]:
    return {"text": f"note {note_id}", "pinned": True}


PATTERNS = api.urlpatterns(document="openapi.json", name="probe_openapi")


def view(route: str) -> Any:
    found = [
        p for p in PATTERNS if isinstance(p, URLPattern) and str(p.pattern) == route
    ]
    return found[0].callback


def answer(response: Any) -> tuple[int, dict[str, Any]]:
    return response.status_code, json.loads(response.content)


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()


def test_reads_need_no_csrf_token(rf):
    status, data = answer(
        view("notes/<id:note_id>")(rf.get("/probe/notes/3"), note_id=3)
    )
    assert (status, data) == (200, {"text": "note 3", "pinned": False})


def test_a_write_without_a_csrf_token_is_refused_in_the_error_shape(rf):
    request = rf.post("/probe/notes", {"text": "x"}, content_type="application/json")
    status, data = answer(view("notes")(request))
    assert status == 403
    assert data["error"]["code"] == "csrf_failed"
    assert data["error"]["message"]


def csrf_post(rf: RequestFactory, body: bytes, content_type: str, **extra: str) -> Any:
    """A POST carrying a valid CSRF cookie and header, as the site's scripts send."""
    token_request = rf.get("/")
    token = get_token(token_request)
    request = rf.post(
        "/probe/notes", body, content_type=content_type, HTTP_X_CSRFTOKEN=token, **extra
    )
    request.COOKIES["csrftoken"] = token_request.META["CSRF_COOKIE"]
    return view("notes")(request)


def test_a_write_from_another_origin_is_refused_unless_trusted(rf, settings):
    """Django's origin check, with CSRF_TRUSTED_ORIGINS as it is now (the
    check is kept per process, and made again when the setting changes)."""
    body, partner = b'{"text": "x"}', "https://partner.example"
    ours = csrf_post(rf, body, "application/json", HTTP_ORIGIN="http://testserver")
    assert ours.status_code == 201
    refused = csrf_post(rf, body, "application/json", HTTP_ORIGIN=partner)
    assert (refused.status_code, answer(refused)[1]["error"]["code"]) == (
        403,
        "csrf_failed",
    )
    settings.CSRF_TRUSTED_ORIGINS = [partner]
    trusted = csrf_post(rf, body, "application/json", HTTP_ORIGIN=partner)
    assert trusted.status_code == 201
    settings.CSRF_TRUSTED_ORIGINS = []
    again = csrf_post(rf, body, "application/json", HTTP_ORIGIN=partner)
    assert again.status_code == 403


def test_a_write_whose_token_does_not_match_the_cookie_is_refused(rf):
    token_request = rf.get("/")
    get_token(token_request)
    request = rf.post(
        "/probe/notes",
        b'{"text": "x"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=get_token(rf.get("/")),  # another browser's
    )
    request.COOKIES["csrftoken"] = token_request.META["CSRF_COOKIE"]
    status, data = answer(view("notes")(request))
    assert (status, data["error"]["code"]) == (403, "csrf_failed")


def test_a_write_with_the_csrf_token_is_validated_and_answered(rf):
    status, data = answer(csrf_post(rf, b'{"text": "kept"}', "application/json"))
    assert (status, data) == (201, {"text": "kept", "pinned": False})


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (b'{"text": 5}', "text", "text must be a string."),
        (b'{"text": "x", "pinned": "yes"}', "pinned", "pinned must be true or false."),
        (b"{}", "text", "text is required."),
    ],
)
def test_a_wrong_type_is_bad_type_naming_the_field(rf, body, field, message):
    status, data = answer(csrf_post(rf, body, "application/json"))
    assert status == 400
    assert data["error"] == {"code": "bad_type", "message": message, "field": field}


@pytest.mark.parametrize(
    "body", [b"{nope", b"[]", b'"text"', b"1e999999", b"\xff\xfe\x00", b"[" * 50_000]
)
def test_a_body_that_is_not_one_json_object_is_bad_json(rf, body):
    status, data = answer(csrf_post(rf, body, "application/json"))
    assert (status, data["error"]["code"]) == (400, "bad_json")


def test_a_missing_body_where_one_is_needed_is_bad_json(rf):
    status, data = answer(csrf_post(rf, b"", "application/json"))
    assert (status, data["error"]["code"]) == (400, "bad_json")


def test_a_body_that_is_not_json_is_415_before_the_csrf_check(rf):
    request = rf.post("/probe/notes", "text=x", content_type="text/plain")
    status, data = answer(view("notes")(request))
    assert (status, data["error"]["code"]) == (415, "unsupported_media_type")


def test_a_body_over_the_upload_limit_is_413(rf, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    request = rf.post(
        "/probe/notes", json.dumps({"text": "x" * 500}), content_type="application/json"
    )
    status, data = answer(view("notes")(request))
    assert (status, data["error"]["code"]) == (413, "too_large")


def test_a_method_no_operation_takes_is_405_in_json_with_the_allowed_ones_in_order(rf):
    response = view("notes/<id:note_id>")(rf.delete("/probe/notes/3"), note_id=3)
    assert response.status_code == 405
    assert response["Allow"] == "GET, PATCH"
    assert json.loads(response.content)["error"] == {
        "code": "method_not_allowed",
        "message": "Use GET, PATCH here.",
    }


def test_the_document_is_generated_from_the_types_under_the_mount(rf):
    response = view("openapi.json")(rf.get("/probe/openapi.json"))
    document = json.loads(response.content)
    assert set(document["paths"]) == {"/probe/notes/{note_id}", "/probe/notes"}
    post = document["paths"]["/probe/notes"]["post"]
    assert set(post["responses"]) == {"201", "400", "403", "413", "415"}
    assert post["parameters"][0]["name"] == "X-CSRFToken"
    assert document["components"]["schemas"]["Note"]["required"] == ["text"]
    assert api.document() is api.document()


def test_the_document_answers_other_methods_with_405(rf):
    response = view("openapi.json")(rf.post("/probe/openapi.json"))
    assert (response.status_code, response["Allow"]) == (405, "GET")


def test_ninjas_root_route_is_left_to_the_apps_catch_all():
    assert "" not in {str(p.pattern) for p in PATTERNS}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/", "/api/openapi.json/x", "/support/openapi.json/"]
)
def test_the_mount_points_themselves_are_no_endpoint(client, path):
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "not_found"
