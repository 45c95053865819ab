"""The site's list of offensive words and phrases, matched the way people evade it.

Pure functions on strings, no ORM.  The text and every listed entry go through
the same `skeleton`, so an entry in any language matches however it is typed:

- NFKC (full-width and mathematical letters become plain ones), case folding,
  accents dropped (U+0300-U+036F after NFD), invisible characters dropped
  (zero-width, bidi controls, soft hyphens, variation selectors, tags, private
  use), a few Cyrillic and Greek look-alikes read as Latin letters;
- common leetspeak inside words (``sh1t``, ``$hit``, ``b!tch``, ``4ss``);
  numbers alone stay numbers, and a final ``!`` is punctuation;
- a letter repeated more often than the entry has it (``fuuuck``), never less,
  so "as" never matches "ass";
- letters spelt apart (``f u c k``, ``f.u.c.k``, ``f_u_c_k``);
- masked letters inside a word (``f*ck``, ``sh**``): same length, first and last
  letters real, at most half masked.

Matching is by whole words (tokens), which keeps "Scunthorpe"-type false
positives out: "class" holds no "ass".  An entry ending in ``*`` matches words
that begin with it ("fuck*": "fucking", "fucker").  Phrases match consecutive
words.  Matching is linear in the text: a dictionary lookup per word, no regular
expression built from the list, so a crafted comment cannot make it backtrack.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Characters nobody sees: dropped before matching.  Format characters (Cf:
# zero-width space/joiners, bidi marks and overrides, soft hyphen, BOM, tags),
# combining accents, the combining grapheme joiner, variation selectors, Hangul
# fillers, and private use.  test_wordlist checks that every Cf is listed.
_DROPPED = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters other than tab and newlines
    "\u00ad\u0300-\u036f\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\ue000-\uf8ff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef"
    "\U000f0000-\U0010ffff"
    "]"
)

# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables,
# the common lower-case ones); applied to the list too, so entries written in
# those scripts still match their own words.
_LOOKALIKES = str.maketrans(
    {
        "\u0430": "a",
        "\u0432": "b",
        "\u0435": "e",
        "\u0455": "s",
        "\u0456": "i",
        "\u0458": "j",
        "\u043a": "k",
        "\u043c": "m",
        "\u043d": "h",
        "\u043e": "o",
        "\u0440": "p",
        "\u0441": "c",
        "\u0442": "t",
        "\u0443": "y",
        "\u0445": "x",
        "\u03b1": "a",
        "\u03b2": "b",
        "\u03b5": "e",
        "\u03b9": "i",
        "\u03ba": "k",
        "\u03bd": "v",
        "\u03bf": "o",
        "\u03c1": "p",
        "\u03c4": "t",
        "\u03c5": "u",
        "\u03c7": "x",
    }
)

# Leetspeak read inside words.  "l", "1", "!" and "i" all become "i" on both
# sides: "he11" and "hell" have one skeleton, whichever the list says.
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "l": "i",
        "!": "i",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "8": "b",
        "9": "g",
    }
)
# The same for text shown to the English model, which knows the letter "l".
_LEET_FOR_MODEL = {k: v for k, v in _LEET.items() if k != ord("l")}

# A word: letters and digits, plus the symbols people write letters with.
_WORD = re.compile(r"(?:[^\W_]|[@$!*])+")
MASK = "*"
_REPEATS = re.compile(r"(.)\1+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Consecutive one-letter words joined into one ("f u c k" -> "fuck").
_SPELT_APART = 3


def normalise(text: str) -> str:
    """`text` as matching sees it: NFKC, case-folded, without accents,
    invisible characters or look-alike letters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DROPPED.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).translate(_LOOKALIKES)


def _word_skeleton(word: str, table: dict[int, str]) -> str:
    """One word with leetspeak read as letters; pure numbers stay as they are."""
    word = word.strip("!")
    if not _HAS_LETTER.search(word):
        return word
    return word.translate(table)


def _join_spelt_apart(words: list[str]) -> list[str]:
    if not words or min(map(len, words)) > 1:
        return words
    joined: list[str] = []
    letters: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word != MASK:
            letters.append(word)
            continue
        if len(letters) >= _SPELT_APART:
            joined.append("".join(letters))
        else:
            joined.extend(letters)
        letters = []
        if word:
            joined.append(word)
    return joined


def skeleton_words(text: str) -> list[str]:
    """The words of `text` after normalisation and leetspeak, letters spelt
    apart joined; what the list is matched against."""
    words = [_word_skeleton(w, _LEET) for w in _WORD.findall(normalise(text))]
    return _join_spelt_apart([w for w in words if w])


def decode_for_model(text: str) -> str:
    """`text` normalised with leetspeak read as letters, for the English model
    (which was trained on plain spelling)."""
    words = [_word_skeleton(w, _LEET_FOR_MODEL) for w in _WORD.findall(normalise(text))]
    return " ".join(_join_spelt_apart([w for w in words if w]))


Runs = tuple[tuple[str, int], ...]


def runs(word: str) -> Runs:
    """`word` as (letter, how many times in a row) pairs: "book" -> o twice."""
    found: list[tuple[str, int]] = []
    for ch in word:
        if found and found[-1][0] == ch:
            found[-1] = (ch, found[-1][1] + 1)
        else:
            found.append((ch, 1))
    return tuple(found)


def _letters(word_runs: Runs) -> str:
    return "".join(ch for ch, _count in word_runs)


def _covers(word: Runs, entry: Runs) -> bool:
    """The text's word has the entry's letters, each at least as often."""
    return len(word) == len(entry) and all(
        w_ch == e_ch and w_n >= e_n
        for (w_ch, w_n), (e_ch, e_n) in zip(word, entry, strict=True)
    )


def _begins_with(word: Runs, entry: Runs) -> bool:
    head = word[: len(entry)]
    return len(head) == len(entry) and all(
        w_ch == e_ch and w_n >= e_n
        for (w_ch, w_n), (e_ch, e_n) in zip(head, entry, strict=True)
    )


def _unmasks(word: str, plain: str) -> bool:
    """A masked word ("f*ck") stands for `plain`: same length, real first and
    last letters, at most half masked, every real letter in place."""
    return (
        len(word) == len(plain)
        and word[0] != MASK
        and word[-1] != MASK
        and word.count(MASK) * 2 <= len(word)
        and all(w in (p, MASK) for w, p in zip(word, plain, strict=True))
    )


@dataclass(frozen=True)
class Entry:
    """One line of the list: as the site wrote it, and as matching sees it."""

    text: str
    words: tuple[Runs, ...]
    plain: str  # the skeleton of a one-word entry, for masked words
    prefix: bool = False
    letters: str = ""  # the first word's letters without repeats


@dataclass
class WordList:
    """The site's entries, indexed for a lookup per word of the text."""

    by_letters: dict[str, list[Entry]] = field(default_factory=dict)
    by_length: dict[int, list[Entry]] = field(default_factory=dict)
    prefixes: list[Entry] = field(default_factory=list)

    @classmethod
    def parse(cls, lines: Iterable[str]) -> WordList:
        """The list from the setting's lines (one word or phrase each; blank
        lines and lines without a letter or digit are skipped)."""
        wordlist = cls()
        for line in lines:
            text = line.strip()
            prefix = text.endswith(MASK)
            words = skeleton_words(text.rstrip(MASK))
            if not words or any(MASK in w for w in words):
                continue
            entry = Entry(
                text=text,
                words=tuple(runs(w) for w in words),
                plain=words[0] if len(words) == 1 else "",
                prefix=prefix and len(words) == 1,
                letters=_letters(runs(words[0])),
            )
            if entry.plain:
                wordlist.by_length.setdefault(len(entry.plain), []).append(entry)
            if entry.prefix:
                wordlist.prefixes.append(entry)
            else:
                wordlist.by_letters.setdefault(entry.letters, []).append(entry)
        return wordlist

    def __bool__(self) -> bool:
        return bool(self.by_letters or self.prefixes)

    def find(self, text: str) -> str | None:
        """The first entry found in `text`, as the site wrote it, or None."""
        if not self:
            return None
        words = skeleton_words(text)
        # Letters without repeats, for all words in one pass ("\0" never repeats
        # across words: each word has at least one character).
        collapsed = _REPEATS.sub(r"\1", "\0".join(words)).split("\0")
        masked = any(MASK in w for w in words)
        for at, letters in enumerate(collapsed):
            found = self._match_at(words, letters, at)
            if found is None and masked:
                found = self._match_masked(words[at])
            if found is not None:
                return found.text
        return None

    def _match_at(self, words: list[str], letters: str, at: int) -> Entry | None:
        # Letter runs are counted only for words that may match: most do not.
        for entry in self.by_letters.get(letters, ()):
            following = [runs(w) for w in words[at : at + len(entry.words)]]
            if len(following) == len(entry.words) and all(
                _covers(w, e) for w, e in zip(following, entry.words, strict=True)
            ):
                return entry
        for entry in self.prefixes:
            if letters.startswith(entry.letters) and _begins_with(
                runs(words[at]), entry.words[0]
            ):
                return entry
        return None

    def _match_masked(self, word: str) -> Entry | None:
        if MASK not in word:
            return None
        for entry in self.by_length.get(len(word), ()):
            if _unmasks(word, entry.plain):
                return entry
        return None
