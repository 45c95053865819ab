"""Scoring one new comment for offensive language, for the posting path.

The site's word list (any language) decides first: a listed word scores 100.
Otherwise the English model scores each sentence, and again with leetspeak read
as letters where a word mixes letters and digits or symbols; the comment scores
its worst sentence, since one insult in a long comment is diluted in a score of
the whole text (a long, calm paragraph ending in an insult scores under 10).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tribune.discussion.models import DiscussionSettings
from tribune.discussion.offensive import model
from tribune.discussion.offensive.wordlist import WordList, decode_for_model

# Sentences end at . ! ? or a line break; a comment has at most this many scored
# (MAX_LENGTH 5000 characters leaves about 40 sentences of normal length).
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\n+")
MAX_SENTENCES = 200
# A letter next to a digit or a leetspeak symbol: "sh1t", "$hit", "b!tch".
_LEETSPEAK = re.compile(r"[^\W\d_][0-9@$!*]+[^\W\d_]|[0-9@$][^\W\d_]")


@dataclass(frozen=True)
class OffensiveVerdict:
    """What the check found: `score` 0-100 (None when the site switched it
    off), the list entry that matched, and whether the site's threshold holds
    the comment."""

    score: int | None = None
    match: str = ""
    flagged: bool = False


@functools.lru_cache(maxsize=8)
def _word_list(setting: str) -> WordList:
    """The parsed list, once per process and setting text."""
    return WordList.parse(setting.splitlines())


def sentences(text: str) -> list[str]:
    """The sentences of `text` that the model scores one by one."""
    found = [s.strip() for s in _SENTENCE_END.split(text)]
    return [s for s in found if s][:MAX_SENTENCES]


def model_score(text: str) -> int:
    """The English model's score of `text`, 0-100: its worst sentence."""
    pieces = sentences(text)
    pieces += [decode_for_model(p) for p in pieces if _LEETSPEAK.search(p)]
    probabilities = model.get_model().probabilities(pieces)
    return round(max(probabilities, default=0.0) * 100)


def threshold_of(rules: DiscussionSettings) -> int:
    """The site's threshold, 0 when the check is switched off."""
    return rules.offensive_threshold if rules.offensive_check else 0


def screen_comment(
    *, text: str, name: str, rules: DiscussionSettings
) -> OffensiveVerdict:
    """Score a comment's text (and the author's name, against the word list).

    Pure apart from the process's model and list caches; no database access.
    """
    threshold = threshold_of(rules)
    if threshold <= 0:
        return OffensiveVerdict()
    match = _word_list(rules.offensive_words).find(f"{text}\n{name}")
    if match is not None:
        return OffensiveVerdict(score=100, match=match[:100], flagged=True)
    score = model_score(text)
    return OffensiveVerdict(score=score, flagged=score >= threshold)
