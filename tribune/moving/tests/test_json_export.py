"""export_json: everything, as JSON that follows the shipped schema."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from tribune.moving.exports import json_export
from tribune.moving.tests import world as world_module

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org/"


@pytest.fixture
def world():
    return world_module.build()


@pytest.fixture
def exported(world, tmp_path) -> dict:
    target = tmp_path / "site.json"
    call_command("export_json", output=target, base_url=BASE)
    return json.loads(target.read_text(encoding="utf-8"))


def validate(document: dict) -> None:
    schema = json_export.schema()
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(document)


def test_the_shipped_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json_export.schema())


def test_export_follows_the_schema(exported):
    validate(exported)
    assert exported["format"] == "tribune-export"
    assert exported["version"] == 1


def test_the_schema_refuses_what_the_export_must_not_write(exported):
    broken = json.loads(json.dumps(exported))
    broken["ledger"]["donations"][0]["amount"] = 30.0
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    broken = json.loads(json.dumps(exported))
    broken["comments"][0]["surprise"] = True
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_an_empty_site_exports_valid_json(db):
    out = io.StringIO()
    counts = json_export.export_json(out, base_url=BASE)
    document = json.loads(out.getvalue())
    validate(document)
    assert counts["reports"] == 0
    assert document["ledger"] == {"donations": [], "adjustments": []}


def test_reports_authors_series_and_topics(exported, world):
    reports = {r["id"]: r for r in exported["reports"]}
    flood = reports[world.flood.pk]
    assert flood["title"] == "Flood <defences> & the dam"
    assert flood["url"] == BASE.rstrip("/") + world.flood.url
    assert flood["authors"] == [a.pk for a in world.authors]
    assert sorted(flood["topics"]) == ["floods", "river-levels"]
    assert flood["series_id"] == exported["series"][0]["id"]
    assert flood["date"] == "2026-03-14"
    assert [b["type"] for b in flood["body"]][:3] == ["paragraph", "heading", "quote"]
    assert reports[world.closed.pk]["comments"] == "closed"
    assert {a["slug"] for a in exported["authors"]} == {"ana-reyes", "bo-lind"}
    assert {t["slug"] for t in exported["topics"]} == {"floods", "river-levels"}


def test_comments_keep_every_status_threads_and_vote_counts(exported, world):
    comments = {c["id"]: c for c in exported["comments"]}
    top = comments[world.top.pk]
    assert (top["upvotes"], top["downvotes"], top["score"]) == (3, 1, 2)
    assert top["author_email"] == "kit@example.org"
    assert dt.datetime.fromisoformat(top["created_at"]) == world_module.WHEN
    assert comments[world.reply.pk]["parent_id"] == world.top.pk
    assert comments[world.spam.pk]["status"] == "spam"
    assert comments[world.deleted.pk]["status"] == "deleted"
    assert comments[world.deleted.pk]["deleted_at"] is not None
    order = [c["id"] for c in exported["comments"]]
    assert order.index(world.top.pk) < order.index(world.reply.pk)


def test_subscriptions_campaigns_and_the_ledger(exported, world):
    [subscription] = exported["subscriptions"]
    assert subscription["email"] == "follower@example.org"
    assert subscription["report_id"] == world.flood.pk
    assert subscription["confirmed_at"] is not None
    [campaign] = exported["campaigns"]
    assert (campaign["title"], campaign["goal"]) == ("Spring drive", "1200.00")
    [donation] = exported["ledger"]["donations"]
    assert donation["amount"] == "30.00"
    assert donation["email"] == "giver@example.org"
    assert exported["ledger"]["adjustments"] == []


def test_command_writes_to_stdout_when_no_file_is_named(world, capsys):
    call_command("export_json", base_url=BASE)
    validate(json.loads(capsys.readouterr().out))


def test_an_unwritable_target_fails_cleanly_and_leaves_no_partial_file(world, tmp_path):
    from django.core.management import CommandError

    target = tmp_path / "missing-folder" / "site.json"
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_json", output=target, base_url=BASE)
    assert not list(Path(tmp_path).rglob("*.partial"))
