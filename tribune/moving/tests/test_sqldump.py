"""The SQL dump reader: rows of one table from mysqldump or phpMyAdmin output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tribune.moving.wordpress.importer import import_wordpress
from tribune.moving.wordpress.sqldump import SQLDumpError, read_rows
from tribune.subscriptions.models import Scope, Subscription

DATA = Path(__file__).resolve().parents[1] / "data"
COLUMNS = ("id", "email", "confirm")


def rows(text: str) -> list[dict[str, str]]:
    return list(
        read_rows(
            text, table_suffix="wc_comments_subscription", default_columns=COLUMNS
        )
    )


def test_mysqldump_rows_take_their_names_from_create_table() -> None:
    found = rows((DATA / "riverside-subscriptions.sql").read_text())
    assert [r["email"] for r in found] == [
        "ines.p@example.net",
        "tomas.r@example.com",
        "someone@example.org",
    ]
    # Escaped quotes, a semicolon and "--" inside strings are text; NULL is "".
    assert found[0]["activation_key"] == "k1;'x'"
    assert found[1]["activation_key"] == "k2 -- not a comment"
    assert found[1]["imported_from"] == ""
    assert [r["confirm"] for r in found] == ["1", "1", "0"]


def test_phpmyadmin_rows_with_a_column_list_over_several_lines() -> None:
    text = """
    # phpMyAdmin SQL Dump
    INSERT INTO `blog_wc_comments_subscription` (`email`, `confirm`, `id`) VALUES
    ('a@example.org', 1, 7),
    ('o''brien@example.org', 0, 8);
    """
    assert rows(text) == [
        {"email": "a@example.org", "confirm": "1", "id": "7"},
        {"email": "o'brien@example.org", "confirm": "0", "id": "8"},
    ]


def test_without_create_table_the_default_columns_are_used() -> None:
    text = "INSERT INTO wp_wc_comments_subscription VALUES (1,'a@example.org',1);"
    assert rows(text) == [{"id": "1", "email": "a@example.org", "confirm": "1"}]


def test_other_tables_and_statements_are_passed_over() -> None:
    text = (
        "SET NAMES utf8; INSERT INTO `wp_posts` VALUES (1,'x');"
        "/* INSERT INTO wp_wc_comments_subscription VALUES (9,'no',1); */"
    )
    assert rows(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "INSERT INTO wp_wc_comments_subscription VALUES (1,'open,1);",
        "INSERT INTO wp_wc_comments_subscription VALUES (1,'a',1,2);",
        "INSERT INTO wp_wc_comments_subscription VALUES (1,'a',__import__('os'));",
        "INSERT INTO wp_wc_comments_subscription VALUES ((1,'a',1));",
        "INSERT INTO wp_wc_comments_subscription SELECT * FROM x;",
    ],
)
def test_broken_or_hostile_dumps_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(SQLDumpError):
        rows(text)


def test_the_import_takes_subscriptions_from_an_sql_dump(home: Any) -> None:
    dump = DATA / "riverside-subscriptions.sql"
    report = import_wordpress(path=DATA / "riverside-wordpress.xml", subscriptions=dump)
    assert report.ok, report.render()
    found = Subscription.objects.order_by("email")
    assert [(s.email, s.scope) for s in found] == [
        ("ines.p@example.net", Scope.THREAD),
        ("tomas.r@example.com", Scope.COMMENT),
    ]
    assert "subscription 3: not confirmed" in report.render()
    # Running it again adds nothing.
    again = import_wordpress(path=DATA / "riverside-wordpress.xml", subscriptions=dump)
    assert again.ok and Subscription.objects.count() == 2


def test_a_broken_dump_is_listed_and_the_rest_imported(home: Any, tmp_path) -> None:
    dump = tmp_path / "subs.sql"
    dump.write_text(
        "INSERT INTO wp_wc_comments_subscription VALUES "
        "(1,'ines.p@example.net',101,101,'post','k',1,'',''),(2,'x);"
    )
    report = import_wordpress(path=DATA / "riverside-wordpress.xml", subscriptions=dump)
    assert "subscriptions subs.sql" in report.render()
    assert "unterminated" in report.render()
