import datetime as dt
import random
import re

import pytest
import time_machine
from django.core.cache import cache

from tribune.core import clock
from tribune.discussion import spam
from tribune.discussion.errors import RateLimitedError, SpamSuspectedError


def test_form_token_is_refused_before_the_minimum_fill_time(settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 3
    token = spam.issue_form_token()
    with pytest.raises(SpamSuspectedError) as caught:
        spam.check_form_token(token)
    assert caught.value.code == "too_fast"
    with time_machine.travel(clock.now() + dt.timedelta(seconds=4)):
        spam.check_form_token(token)


def test_form_token_expires(settings):
    token = spam.issue_form_token()
    later = clock.now() + dt.timedelta(hours=25)
    with time_machine.travel(later), pytest.raises(SpamSuspectedError) as caught:
        spam.check_form_token(token)
    assert caught.value.code == "form_expired"


def test_form_tokens_of_one_second_are_one_and_each_second_signs_its_own(settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 3
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        token = spam.issue_form_token()
        assert spam.issue_form_token() == token  # made once per second
        settings.SECRET_KEY = "another-key-" + "x" * 50
        rekeyed = spam.issue_form_token()
        assert rekeyed != token  # a new key signs afresh
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, 5, tzinfo=dt.UTC)):
        later = spam.issue_form_token()
        assert later != rekeyed
        spam.check_form_token(rekeyed)  # five seconds old, under the new key
        with pytest.raises(SpamSuspectedError):
            spam.check_form_token(later)  # this second's: too fast


@pytest.mark.parametrize("token", ["", "form", "form:abc:def"])
def test_forged_form_token_is_refused(token):
    with pytest.raises(SpamSuspectedError) as caught:
        spam.check_form_token(token)
    assert caught.value.code == "bad_form"


def test_held_words_match_whole_words_ignoring_case():
    words = ["casino", "cheap pills"]
    assert spam.find_held_word("Best CASINO!", words) == "casino"
    assert spam.find_held_word("buy Cheap   pills", words) is None
    assert spam.find_held_word("buy cheap pills now", words) == "cheap pills"
    assert spam.find_held_word("casinos", words) is None
    assert spam.find_held_word("anything", []) is None


def test_rate_limit_windows_reset(settings):
    cache.clear()
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 2
    spam.check_rate(ip="192.0.2.1", email="")
    spam.check_rate(ip="192.0.2.1", email="")
    with pytest.raises(RateLimitedError):
        spam.check_rate(ip="192.0.2.1", email="")
    spam.check_rate(ip="192.0.2.2", email="")  # another client is unaffected


def test_the_whole_list_search_finds_exactly_what_the_word_by_word_search_finds():
    rng = random.Random(7)
    vocabulary = ["cas", "casino", "casinos", "cheap pills", "pill", "é", "x.y", "a+b"]
    letters = "casinopl .é+xyb\n"
    for _ in range(3000):
        words = rng.sample(vocabulary, rng.randrange(1, 5))
        text = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 30)))
        expected = next(
            (
                w
                for w in words
                if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.lower())
            ),
            None,
        )
        assert spam.find_held_word(text, words) == expected


def test_a_token_checked_before_is_still_refused_once_expired_or_rekeyed(settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 3
    start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        token = spam.issue_form_token()
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        spam.check_form_token(token)
        spam.check_form_token(token)  # the second time from the checked tokens
        assert any(key[0] == token for key in spam._verified)
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        with pytest.raises(SpamSuspectedError) as caught:
            spam.check_form_token(token)
        assert caught.value.code == "form_expired"
    with time_machine.travel(start + dt.timedelta(seconds=20), tick=False):
        settings.SECRET_KEY = "another-key-" + "y" * 50
        with pytest.raises(SpamSuspectedError) as caught:
            spam.check_form_token(token)
        assert caught.value.code == "bad_form"
