"""The load test's integrity checks (tribune/demo/integrity.py)."""

from __future__ import annotations

from tribune.demo.integrity import check_integrity


def test_everything_accounted_for_is_ok() -> None:
    result = check_integrity(
        accepted=["a", "b"],
        refused=["c"],
        stored=["a", "b", "someone-else"],
        queued=["<m1@x>", "m2@x"],
        delivered=["m1@x", "<m2@x>"],
    )
    assert result.ok
    assert (result.comments_accepted, result.comments_stored) == (2, 2)
    assert (result.mails_queued, result.mails_delivered) == (2, 2)


def test_an_accepted_comment_missing_from_the_database_is_lost() -> None:
    result = check_integrity(
        accepted=["a", "b"], refused=[], stored=["a"], queued=[], delivered=[]
    )
    assert not result.ok
    assert result.comments_lost == ["b"]


def test_a_comment_stored_behind_an_error_is_reported() -> None:
    result = check_integrity(
        accepted=["a"], refused=["b"], stored=["a", "b"], queued=[], delivered=[]
    )
    assert result.comments_stored_behind_error == ["b"]
    assert result.comments_stored == 2
    assert not result.ok


def test_missing_and_duplicated_mail_are_reported() -> None:
    result = check_integrity(
        accepted=[],
        refused=[],
        stored=[],
        queued=["m1", "m2", "m3"],
        delivered=["m1", "<m1>", "m2"],
    )
    assert result.mails_missing == ["m3"]
    assert result.mails_duplicated == {"m1": 2}
    assert result.mails_delivered == 2
    assert not result.ok
