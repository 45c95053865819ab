"""Text typed by readers, cleaned once where it enters: no invisible controls.

Private-use characters mean nothing to other readers and are what markers in
rendered pages are made of; bidirectional controls let a name or a comment show
other text than it holds (an override can reverse "moc.elpmaxe" into a domain).
NUL is refused by PostgreSQL text columns.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(
    "["
    "\x00"
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a-\u202e"  # embeddings and overrides
    "\u2066-\u2069"  # isolates
    "\ue000-\uf8ff"  # private use
    "\U000f0000-\U0010ffff"  # supplementary private use planes A and B
    "]"
)


def clean_reader_text(text: str) -> str:
    """`text` without private-use characters, bidi controls and NUL."""
    return _INVISIBLE.sub("", text)
