"""What the spam model sees of a comment: plain values in, tokens out (no ORM)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Bare domains count as links too ("check out mysite.com"): spam often avoids
# the scheme so that link counters miss it.
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ly|me|tv|co|us"
    r"|uk|de|ru|io|gl|be|to|tk|xyz|online|site|club)\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?([^/?#:]+)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")

# Calls to act that comment spam makes whatever its words or spelling: promote
# my channel, subscribe, follow, check out, visit, like this comment, money,
# share.  One token each, so the model learns them across discussions where the
# n-grams differ ("sucscribe", "sub 4 sub", "our new song").  Talk about a
# video's views or "please" was tried too and flagged good comments (decision 0023).
CALLS = {
    "promo": re.compile(
        r"\b(?:my|our)\s+(?:new\s+|first\s+|latest\s+|youtube\s+)?"
        r"(?:channel|video|vids?|song|music|page|playlist|band|rap|cover|vlog"
        r"|account|blog|site|website|mixtape|album)s?\b"
    ),
    "subscribe": re.compile(
        r"\bs[a-z]{0,3}scri[bp][a-z]*|\bsubs?\b|sub\s*(?:4|for)\s*sub"
    ),
    "follow": re.compile(r"\bfollow\b"),
    "checkout": re.compile(r"\bcheck\s*(?:out|it|my|this|me)\b"),
    "visit": re.compile(r"\b(?:visit|go to|search|look up|watch)\s+(?:my|our|this|\")"),
    "likebait": re.compile(
        r"\b(?:like|thumbs? up)\b[^.!?]{0,40}\b(?:if|this comment|for)\b"
        r"|\blike this comment\b"
    ),
    "money": re.compile(
        r"\b(?:money|earn|free|gift\s*cards?|paypal|cash|income|bitcoin|iphone)\b|\$\s?\d"
    ),
    "share": re.compile(r"\bshare\b"),
}


@dataclass(frozen=True)
class Sample:
    """One comment as the model sees it.

    The facts about the poster are None when unknown (the seed corpus knows
    only text and name); the model then learns nothing from them.
    """

    text: str
    name: str = ""
    website: str = ""
    has_account: bool | None = None
    email_verified: bool | None = None
    guest_age_days: float | None = None
    approved_before: int | None = None
    spam_before: int | None = None


def clean_text(text: str) -> str:
    """Text without HTML entities, tags or byte-order marks, lower-cased."""
    text = html.unescape(_TAG.sub(" ", text.replace("\ufeff", "")))
    return text.lower()


def hosts(text: str) -> list[str]:
    """The host names of the links in `text`, without "www."."""
    found = []
    for match in _URL.finditer(text):
        host = _HOST.match(match.group(0))
        if host:
            found.append(host.group(1).lower().removeprefix("www."))
    return found


def text_for_words(sample: Sample) -> str:
    """The body with links replaced by a placeholder word and their host."""
    text = clean_text(sample.text)
    text = _EMAIL.sub(" zzemail ", text)
    text = _URL.sub(lambda m: f" zzlink {_host_word(m.group(0))} ", text)
    return _PHONE.sub(" zzphone ", text)


def text_for_chars(sample: Sample) -> str:
    """The cleaned body, for character n-grams."""
    return " ".join(clean_text(sample.text).split())


def _host_word(url: str) -> str:
    host = _HOST.match(url)
    name = host.group(1).lower().removeprefix("www.") if host else ""
    return "zzhost" + re.sub(r"[^a-z0-9]", "", name)


def _bucket(value: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"le{edge:g}"
    return f"gt{edges[-1]:g}"


def meta_tokens(sample: Sample) -> list[str]:
    """Words for the links, shape, calls to act, name, website and proofs."""
    return [
        *_text_tokens(sample),
        *call_tokens(sample),
        *_author_tokens(sample),
        *_record_tokens(sample),
    ]


def call_tokens(sample: Sample) -> list[str]:
    """One token per kind of call to act in the text (CALLS), or "call:none"."""
    text = clean_text(sample.text)
    return [f"call:{kind}" for kind, rx in CALLS.items() if rx.search(text)] or [
        "call:none"
    ]


def _text_tokens(sample: Sample) -> list[str]:
    """Links, capitals, length, exclamation marks, phone numbers, addresses."""
    raw = sample.text.replace("\ufeff", "")
    text = clean_text(raw)
    links = hosts(text)
    tokens = [f"links:{_bucket(len(links), (0, 1, 2))}"]
    for host in links:
        parts = host.split(".")
        tokens += [f"host:{host}", f"tld:{parts[-1]}"]
    letters = [c for c in raw if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    tokens.append(f"caps:{_bucket(upper, (0.1, 0.3, 0.6))}")
    tokens.append(f"length:{_bucket(len(text), (20, 60, 150, 400))}")
    tokens.append(f"bangs:{_bucket(raw.count('!'), (0, 2))}")
    if _PHONE.search(text):
        tokens.append("has:phone")
    if _EMAIL.search(text):
        tokens.append("has:email")
    return tokens


def _author_tokens(sample: Sample) -> list[str]:
    """The shape of the shown name, and the website."""
    tokens = []
    name = sample.name.strip()
    if name:
        tokens.append(f"name:digits:{any(c.isdigit() for c in name)}")
        # Only the name's shape: its words named one discussion's spammers and
        # taught nothing about the next (leave-one-file-out, decision 0030).
        tokens.append(f"name:words:{_bucket(len(name.split()), (1, 2))}")
    if sample.website:
        site = hosts(sample.website.lower()) or [sample.website.lower()]
        tokens += ["website:yes", f"website:{site[0]}"]
    return tokens


def _record_tokens(sample: Sample) -> list[str]:
    """What the poster proved and their history, where known."""
    tokens = []
    if sample.has_account is not None:
        tokens.append(f"account:{sample.has_account}")
    if sample.email_verified is not None:
        tokens.append(f"verified:{sample.email_verified}")
    if sample.guest_age_days is not None:
        tokens.append(f"guestage:{_bucket(sample.guest_age_days, (0.01, 1, 30))}")
    if sample.approved_before is not None:
        tokens.append(f"approved:{_bucket(sample.approved_before, (0, 2, 10))}")
    if sample.spam_before is not None:
        tokens.append(f"spam:{_bucket(sample.spam_before, (0, 1))}")
    return tokens
