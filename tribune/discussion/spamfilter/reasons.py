"""The spam model's features in words, for the moderation queue (no ORM)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# The kinds of features.CALLS, in words.
_CALLS = {
    "promo": gettext_noop("promotes the poster's channel or work"),
    "subscribe": gettext_noop("asks to subscribe"),
    "follow": gettext_noop("asks to follow"),
    "checkout": gettext_noop("asks to check something out"),
    "visit": gettext_noop("asks to visit, search or watch"),
    "likebait": gettext_noop("asks for likes"),
    "money": gettext_noop("talks of money or free things"),
    "share": gettext_noop("asks to share"),
    "none": gettext_noop("no call to act"),
}

_BUCKETS = {
    "links": lambda v: _("number of links: %(v)s") % {"v": _bound(v)},
    "host": lambda v: _("a link to %(v)s") % {"v": v},
    "tld": lambda v: _("a link ending in .%(v)s") % {"v": v},
    "caps": lambda v: _("share of capital letters %(v)s") % {"v": _bound(v)},
    "length": lambda v: _("length %(v)s characters") % {"v": _bound(v)},
    "bangs": lambda v: _("exclamation marks: %(v)s") % {"v": _bound(v)},
    "has": lambda v: (
        _("contains a phone number") if v == "phone" else _("contains an email address")
    ),
    "website": lambda v: (
        _("gives a website") if v == "yes" else _("website %(v)s") % {"v": v}
    ),
    "account": lambda v: (
        _("posted with an account") if v == "True" else _("posted as a guest")
    ),
    "verified": lambda v: _("verified email") if v == "True" else _("unverified email"),
    "guestage": lambda v: _("guest cookie age in days %(v)s") % {"v": _bound(v)},
    "approved": lambda v: _("approved comments before: %(v)s") % {"v": _bound(v)},
    "spam": lambda v: _("spam comments before: %(v)s") % {"v": _bound(v)},
    "call": lambda v: _(_CALLS[v]) if v in _CALLS else v,
}


def _bound(bucket: str) -> str:
    if bucket.startswith("le"):
        return f"≤ {bucket[2:]}"
    if bucket.startswith("gt"):
        return f"> {bucket[2:]}"
    return bucket


def _name(value: str) -> str:
    if value.startswith("digits:"):
        return (
            _("a name with digits")
            if value.endswith("True")
            else _("a name without digits")
        )
    if value.startswith("words:"):
        return _("words in the name: %(v)s") % {"v": _bound(value[6:])}
    return _("the name contains “%(v)s”") % {"v": value}


def _word(value: str) -> str:
    special = {
        "zzlink": _("a link"),
        "zzphone": _("a phone number"),
        "zzemail": _("an email address"),
    }
    parts = value.split()
    if not any(w.startswith("zz") for w in parts):
        return _("the words “%(v)s”") % {"v": value}
    # A placeholder word stands for a link, phone number or address.
    words = [
        special.get(w)
        or (_("a link to %(v)s") % {"v": w[6:]} if w.startswith("zzhost") else f"“{w}”")
        for w in parts
    ]
    return " + ".join(words)


def describe(kind: str, value: str) -> str:
    """One model feature ("word"/"char"/"meta" and its value) in words."""
    if kind == "word":
        return _word(value)
    if kind == "char":
        return _("the letters “%(v)s”") % {"v": value.strip()}
    prefix, _sep, rest = value.partition(":")
    if prefix == "name":
        return _name(rest)
    if prefix in _BUCKETS:
        return str(_BUCKETS[prefix](rest))
    return value
