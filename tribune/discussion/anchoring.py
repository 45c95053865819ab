"""Anchoring of inline feedback to passages of an article body, across revisions."""

# An anchor joins the two W3C Web Annotation selectors a selection maps to
# (https://www.w3.org/TR/annotation-model/): a TextQuoteSelector (exact, prefix,
# suffix; section 4.2.4) and a TextPositionSelector (start, end; section 4.2.5),
# scoped to one body block.  As the spec requires, offsets count code points
# (Python str indices), not the UTF-16 units a browser reports; the client converts.
# Re-anchoring follows the Hypothesis client (github.com/hypothesis/client,
# src/annotator/anchoring/types.ts and match-quote.ts): trust the position while
# the quote is still there, else find the quote and rank its occurrences by how well
# their surroundings match prefix/suffix, else search approximately and keep a match
# only if it is close enough.  Plain values in and out: no Django here.

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

DEFAULT_CONTEXT = 32  # prefix/suffix length, as Hypothesis's TextQuoteAnchor stores
DEFAULT_RADIUS = 2
# Fuzzy similarity is 1 - edit_distance / len(quote), so 0.75 lets about one
# character in four change: a typo fix or a swapped word in a sentence-long quote
# passes, a rewritten sentence does not.  Lower values re-attach comments to text
# that no longer says what the reader commented on, which is worse than showing
# the comment as orphaned; Hypothesis allows len/2 errors but then ranks with
# context, which we also do (QUOTE_WEIGHT, CONTEXT_WEIGHT) on top of this bar.
DEFAULT_THRESHOLD = 0.75
# A quote shorter than this ("the", "Paris") recurs by chance, so outside its own
# block, or when only approximately present, it is accepted only if one side of
# its stored context still resembles the candidate's surroundings.  Unrelated
# 32-char windows of English score ~0.2 (median), ~0.45 (99th percentile).
DISTINCTIVE_LENGTH = 16
MIN_CONTEXT_EVIDENCE = 0.5
# Weights from match-quote.ts (quote 50, prefix 20 + suffix 20); the position,
# weighted 2 there, is only a tie-breaker here.
QUOTE_WEIGHT, CONTEXT_WEIGHT = 50.0, 40.0


class AnchorError(ValueError):
    """A selection that cannot be anchored (unknown block, empty range, ...)."""


@dataclass(frozen=True)
class Block:
    """One body block: its stable id (StreamField UUID) and its plain text."""

    id: str
    text: str


@dataclass(frozen=True)
class Anchor:
    """A passage of one block: TextQuoteSelector + TextPositionSelector fields."""

    block_id: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class Method(StrEnum):
    """How a placement was found, from most to least certain."""

    EXACT = "exact"
    CONTEXT = "context"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Placement:
    """Where an anchor went; `anchor` is None when ORPHANED (score 0.0).

    `score` is the placed quote's similarity: 1.0 for EXACT and CONTEXT (verbatim
    up to whitespace), 1 - edit distance / length for FUZZY (>= threshold).
    """

    anchor: Anchor | None
    method: Method
    score: float


ORPHANED = Placement(None, Method.ORPHANED, 0.0)

# Editors and paste sources change invisible or typographic details, not words:
# whitespace runs (NBSP, thin spaces, newlines) compare as one space, invisible
# format characters (soft hyphen, zero-width space, word joiner, BOM) are dropped,
# curly quotes compare as straight ones.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_GAP = re.compile(rf"[\s{_INVISIBLE}]+")
_FOLD = str.maketrans(
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f", "''''\"\"\"\""
)


def _normalise(raw: str) -> tuple[str, list[int]]:
    """Return the comparison form of `raw` and each of its characters' raw offset.

    The offsets list has one extra entry, len(raw), for spans ending at the end.
    """
    folded = raw.translate(_FOLD)  # one character for one: offsets unaffected
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for gap in _GAP.finditer(folded):
        start, end = gap.span()
        parts.append(folded[pos:start])
        origin.extend(range(pos, start))
        visible = gap.group().lstrip(_INVISIBLE)
        if visible.rstrip(_INVISIBLE):  # the run holds whitespace, not only format
            parts.append(" ")
            origin.append(end - len(visible))
        pos = end
    parts.append(folded[pos:])
    origin.extend(range(pos, len(raw) + 1))
    return "".join(parts), origin


def _norm(raw: str) -> str:
    return _normalise(raw)[0]


class _Index:
    """Per-revision lookups, built once and shared by all anchors."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = list(blocks)
        self.position: dict[str, int] = {}
        for i, block in enumerate(self.blocks):
            self.position.setdefault(block.id, i)  # ids are unique; else first wins
        self._texts: dict[int, tuple[str, list[int]]] = {}

    def text(self, i: int) -> tuple[str, list[int]]:
        if i not in self._texts:  # lazily: an unchanged article needs none of it
            self._texts[i] = _normalise(self.blocks[i].text)
        return self._texts[i]

    def find(self, i: int, quote: str) -> list[int]:
        """Normalised start offsets of every (possibly overlapping) occurrence."""
        norm, hits = self.text(i)[0], []
        at = norm.find(quote)
        while at != -1:
            hits.append(at)
            at = norm.find(quote, at + 1)
        return hits


@dataclass(frozen=True)
class _Candidate:
    block: int
    start: int  # normalised offsets
    end: int
    similarity: float
    context: float  # length-weighted prefix/suffix similarity
    evidence: float  # best single side, for the short-quote rule
    offset_gap: int  # distance from the old start, the last tie-breaker


def _anchor_at(block: Block, start: int, end: int, context: int) -> Anchor:
    text = block.text
    before, after = text[max(0, start - context) : start], text[end : end + context]
    return Anchor(block.id, text[start:end], before, after, start, end)


def make_anchor(
    blocks: Sequence[Block],
    block_id: str,
    start: int,
    end: int,
    context: int = DEFAULT_CONTEXT,
) -> Anchor:
    """Build the anchor for a reader's selection text[start:end] of one block.

    Preconditions: `block_id` names one of `blocks`; 0 <= start < end <= len(text)
    in code points; the selection holds more than whitespace; context >= 0.
    Raises AnchorError otherwise.  Whitespace around the selection is trimmed off,
    as Hypothesis does: the reader meant the words.
    """
    block = next((b for b in blocks if b.id == block_id), None)
    if block is None:
        raise AnchorError(f"unknown block {block_id!r}")
    if not 0 <= start < end <= len(block.text):
        raise AnchorError(f"bad range {start}:{end} for {len(block.text)} chars")
    if context < 0:
        raise AnchorError("context must not be negative")
    while start < end and _GAP.match(block.text[start]):
        start += 1
    while end > start and _GAP.match(block.text[end - 1]):
        end -= 1
    if start == end:
        raise AnchorError("selection is only whitespace")
    return _anchor_at(block, start, end, context)


def reanchor(
    anchor: Anchor,
    blocks: Sequence[Block],
    *,
    radius: int = DEFAULT_RADIUS,
    threshold: float = DEFAULT_THRESHOLD,
) -> Placement:
    """Find where `anchor` lies in `blocks`, the body of a new revision.

    Tries, in order: EXACT (same block, quote still at its offsets), CONTEXT (the
    quote verbatim up to whitespace, in its block or else any block, chosen by
    prefix/suffix then proximity), FUZZY (an approximate quote within `radius`
    blocks of its old block, similarity >= `threshold`), else ORPHANED.
    Preconditions: radius >= 0 and 0 < threshold <= 1 (ValueError otherwise).
    """
    return reanchor_many([anchor], blocks, radius=radius, threshold=threshold)[0]


def reanchor_many(
    anchors: Sequence[Anchor],
    blocks: Sequence[Block],
    *,
    radius: int = DEFAULT_RADIUS,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Placement]:
    """Re-anchor many anchors against one revision, sharing the block indexes.

    Takes `reanchor`'s keyword arguments and preconditions; returns one placement
    per anchor, in order.  Normalised block texts are computed once, on demand.
    """
    if radius < 0 or not 0 < threshold <= 1:
        raise ValueError("need radius >= 0 and 0 < threshold <= 1")
    index = _Index(blocks)
    return [_reanchor(a, index, a.start, radius, threshold) for a in anchors]


def locate_quote(
    blocks: Sequence[Block],
    block_id: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
) -> Anchor | None:
    """Anchor a quote sent by a browser without offsets; None if it is absent.

    The quote must occur verbatim up to whitespace, in `block_id` or, if context
    allows, another block (the page may be stale, or `block_id` unknown).  There
    is no fuzzy matching: the stored quote must be what the reader saw.
    Precondition: `exact` is not blank (AnchorError otherwise).
    """
    if not _norm(exact).strip(" "):
        raise AnchorError("quote is empty")
    probe = Anchor(block_id, exact, prefix, suffix, -1, -1)
    return _reanchor(probe, _Index(blocks), None, -1, 1.0).anchor


def _reanchor(
    anchor: Anchor, index: _Index, hint: int | None, radius: int, threshold: float
) -> Placement:
    """Place one anchor; a negative radius turns the fuzzy step off."""
    home = index.position.get(anchor.block_id)
    if home is not None and _intact(anchor, index.blocks[home].text):
        return Placement(anchor, Method.EXACT, 1.0)  # the common, cheap case
    quote = _norm(anchor.exact).strip(" ")
    if not quote:
        return ORPHANED
    prefix, suffix = _norm(anchor.prefix), _norm(anchor.suffix)
    search = _Search(anchor, index, hint, home, quote, prefix, suffix)
    # CONTEXT in its own block: the best occurrence wins; a short quote without
    # context support only if no other block has a credible one (split paragraph).
    own = search.in_own_block()
    if own is not None and search.credible(own):
        return search.place(own, Method.CONTEXT)
    # CONTEXT elsewhere: the paragraph was split, merged, moved, or re-created.
    best = search.elsewhere()
    if best is not None:
        return search.place(best, Method.CONTEXT)
    if own is not None:
        return search.place(own, Method.CONTEXT)
    centre = (
        home if home is not None else _guess_home(index, search.prefix, search.suffix)
    )
    if radius < 0 or centre is None:
        return ORPHANED
    best = search.fuzzy(centre, radius, threshold)
    return ORPHANED if best is None else search.place(best, Method.FUZZY)


@dataclass(frozen=True)
class _Search:
    """One anchor looked for in an index: how candidates rank, and where they go."""

    anchor: Anchor
    index: _Index
    hint: int | None
    home: int | None
    quote: str  # normalised
    prefix: str
    suffix: str

    def rank(self, i: int, start: int, end: int, similarity: float) -> _Candidate:
        norm, origin = self.index.text(i)
        prefix, suffix = self.prefix, self.suffix
        sides = []  # (weight, similarity) per stored side; empty sides are neutral
        if prefix:
            before = norm[max(0, start - len(prefix)) : start]
            sides.append((len(prefix), _ratio(prefix, before)))
        if suffix:
            sides.append((len(suffix), _ratio(suffix, norm[end : end + len(suffix)])))
        weight = sum(w for w, _ in sides)
        context = sum(w * s for w, s in sides) / weight if sides else 1.0
        evidence = max((s for _, s in sides), default=1.0)
        gap = abs(origin[start] - self.hint) if self.hint is not None else 0
        return _Candidate(i, start, end, similarity, context, evidence, gap)

    def credible(self, c: _Candidate) -> bool:
        return (
            len(self.quote) >= DISTINCTIVE_LENGTH or c.evidence >= MIN_CONTEXT_EVIDENCE
        )

    def place(self, c: _Candidate, method: Method) -> Placement:
        anchor = self.anchor
        origin, block = self.index.text(c.block)[1], self.index.blocks[c.block]
        start, end = origin[c.start], origin[c.end - 1] + 1
        if (c.block, start, end) == (self.home, anchor.start, anchor.end) and (
            block.text[start:end] == anchor.exact
        ):
            method = Method.EXACT  # only the context moved; the passage did not
        new = _anchor_at(block, start, end, DEFAULT_CONTEXT)
        return Placement(new, method, c.similarity)

    def in_own_block(self) -> _Candidate | None:
        """The best verbatim occurrence in the anchor's own block, credible or not."""
        home, size = self.home, len(self.quote)
        if home is None:
            return None
        hits = self.index.find(home, self.quote)
        found = [self.rank(home, s, s + size, 1.0) for s in hits]
        return max(found, key=lambda c: (c.context, -c.offset_gap), default=None)

    def elsewhere(self) -> _Candidate | None:
        """The best credible verbatim occurrence in another block, nearest first."""
        home, size = self.home, len(self.quote)
        found = [
            c
            for i in range(len(self.index.blocks))
            if i != home
            for c in (
                self.rank(i, s, s + size, 1.0) for s in self.index.find(i, self.quote)
            )
            if self.credible(c)
        ]

        def far(i: int) -> int:
            return abs(i - home) if home is not None else 0

        return max(
            found, key=lambda c: (c.context, -far(c.block), -c.offset_gap), default=None
        )

    def fuzzy(self, centre: int, radius: int, threshold: float) -> _Candidate | None:
        """FUZZY: rings of blocks at growing distance; the nearest ring with a
        credible match wins, since an edited passage rarely travels far from its
        block."""
        anchor = self.anchor
        widen = (
            not (anchor.prefix[-1:].isalnum() and anchor.exact[0].isalnum()),
            not (anchor.exact[-1].isalnum() and anchor.suffix[:1].isalnum()),
        )
        for distance in range(radius + 1):
            ring = sorted({centre - distance, centre + distance})
            found = [
                c
                for i in ring
                if 0 <= i < len(self.index.blocks)
                for s, e, sim in _approximate(
                    self.index, i, self.quote, threshold, widen
                )
                if self.credible(c := self.rank(i, s, e, sim))
            ]
            if found:
                return max(found, key=lambda c: (_blend(c), -c.offset_gap))
        return None


def _blend(c: _Candidate) -> float:
    return QUOTE_WEIGHT * c.similarity + CONTEXT_WEIGHT * c.context


def _ratio(a: str, b: str) -> float:
    # autojunk treats frequent letters as noise in long strings: never wanted here.
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _intact(anchor: Anchor, text: str) -> bool:
    """True if the quote and its context are still verbatim at the stored offsets."""
    start, end = anchor.start, anchor.end
    return (
        len(anchor.prefix) <= start < end <= len(text)
        and text[start:end] == anchor.exact
        and text[start - len(anchor.prefix) : start] == anchor.prefix
        and text[end : end + len(anchor.suffix)] == anchor.suffix
    )


def _guess_home(index: _Index, prefix: str, suffix: str) -> int | None:
    """The block now holding the old context, for a block whose id is gone."""
    probes = [p for p in (prefix.strip(" "), suffix.strip(" ")) if len(p) >= 8]
    best, most = None, 0
    for i in range(len(index.blocks)):
        hits = sum(p in index.text(i)[0] for p in probes)
        if hits > most:
            best, most = i, hits
    return best


def _approximate(
    index: _Index, i: int, quote: str, threshold: float, widen: tuple[bool, bool]
) -> list[tuple[int, int, float]]:
    """Approximate occurrences of `quote` in block i as (start, end, similarity)."""
    m = len(quote)
    k = int((1 - threshold) * m + 1e-9)  # edit budget
    if k == 0:
        return []  # only verbatim matches qualify, and those were looked for
    # No q-gram or pigeonhole prefilter: with a quarter of the characters allowed
    # to change, their bounds pass nearly every block of prose (measured).
    norm = index.text(i)[0]
    ends = _myers(quote, norm, anchored=False)
    results, j = [], 0
    while j < len(ends):
        if ends[j] > k:
            j += 1
            continue
        best = j  # the best end in this run of acceptable ends
        while j < len(ends) and ends[j] <= k:
            best = j if ends[j] < ends[best] else best
            j += 1
        end = best + 1
        lo = max(0, end - m - k)
        # Reversed and anchored at `end`, one more pass scores every start.
        back = _myers(quote[::-1], norm[lo:end][::-1], anchored=True)
        size = min(range(len(back)), key=lambda s: (back[s], abs(s + 1 - m)))
        start = end - size - 1
        for s, e in (_widen(norm, start, end, widen), (start, end)):
            # Levenshtein distance: the last column of an anchored pass.
            distance = _myers(quote, norm[s:e], anchored=True)[-1] if e > s else m
            similarity = 1 - distance / m
            if similarity >= threshold:  # whole words if still close enough
                results.append((s, e, similarity))
                break
    return results


def _widen(
    text: str, start: int, end: int, widen: tuple[bool, bool]
) -> tuple[int, int]:
    """Extend a span to whole words on the sides where the old quote had them."""
    while widen[0] and 0 < start < len(text) and text[start - 1 : start + 1].isalnum():
        start -= 1
    while widen[1] and 0 < end < len(text) and text[end - 1 : end + 1].isalnum():
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def _myers(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Edit distance of `pattern` against text ending at each position.

    Myers' bit-vector algorithm (J. ACM 46(3), 1999), as explained by Hyyrö
    (2001): out[j] is the distance to text[:j + 1] if `anchored`, else to the best
    substring ending at j.  Precondition: `pattern` is not empty.
    """
    m = len(pattern)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    peq: dict[str, int] = {}
    for bit, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << bit)
    pv, mv, score = mask, 0, m
    carry = 1 if anchored else 0  # row 0 grows one per column only when anchored
    out: list[int] = []
    get, append = peq.get, out.append
    for char in text:
        eq = get(char, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (mask ^ (xh | pv))  # xor with mask: an m-bit complement
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (mask ^ (xv | ph))
        mv = ph & xv
        append(score)
    return out
