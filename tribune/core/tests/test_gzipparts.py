"""Gzip members built from texts compressed once: every decoder reads them as the
plain text, whatever the texts and values."""

from __future__ import annotations

import gzip
import random
import zlib

import pytest

from tribune.core import gzipparts


def _build(texts: list[bytes], values: list[bytes]) -> bytes | None:
    sizes = [len(v) for v in values]
    compressed = gzipparts.compress_texts(texts, sizes)
    return gzipparts.assemble(texts, compressed, sizes, values)


def _plain(texts: list[bytes], values: list[bytes]) -> bytes:
    out = [texts[0]]
    for value, text in zip(values, texts[1:], strict=True):
        out += [value, text]
    return b"".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_any_texts_and_values_decode_to_the_plain_text(seed: int) -> None:
    rng = random.Random(seed)
    # Values drawn from the texts' own words too: a match into a value would
    # decode to the wrong bytes, so the decoders below would catch it.
    words = [b"<li>", b"comment", b"csrf", "\u202e".encode(), b"\x00", b" ", b"\n"]
    count = rng.randint(0, 6)
    texts = [
        b"".join(rng.choice(words) for _ in range(rng.choice([0, 1, 50, 9000])))
        for _ in range(count + 1)
    ]
    values = [
        rng.choice(
            [
                rng.randbytes(rng.choice([0, 1, 32, 64, 70_000])),
                b"".join(rng.choice(words) for _ in range(rng.randint(1, 40))),
            ]
        ).replace(b"\xff", b"")
        for _ in range(count)
    ]
    member = _build(texts, values)
    assert member is not None
    plain = _plain(texts, values)
    assert gzip.decompress(member) == plain
    # A strict streaming decoder too (what a browser's inflate does).
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert decoder.decompress(member) + decoder.flush() == plain
    assert decoder.eof and not decoder.unused_data


def test_other_values_of_the_same_sizes_fill_the_same_texts() -> None:
    texts = [b"<p>token " * 300, b"</p><p>" * 300, b"end"]
    sizes = [64, 24]
    compressed = gzipparts.compress_texts(texts, sizes)
    for fill in (b"a", b"b", b"<"):
        values = [fill * 64, fill * 24]
        member = gzipparts.assemble(texts, compressed, sizes, values)
        assert member is not None and gzip.decompress(member) == _plain(texts, values)
    assert gzipparts.assemble(texts, compressed, sizes, [b"a" * 63, b"b" * 24]) is None


def test_a_page_of_repeating_rows_compresses_as_gzip_of_the_whole_does() -> None:
    # Each text refers back across the values before it; what is added is the
    # values themselves, stored, and a few bytes of block framing each.
    row = b'<li class="comment" id="comment-%d"><p>Words about the levy</p>'
    form = b'<form method="post"><input name="csrfmiddlewaretoken" value="'
    texts = [
        b"".join(row % i for i in range(k, k + 8)) + form for k in range(0, 400, 8)
    ]
    values = [bytes(random.Random(n).choices(b"abcdefXYZ019", k=64)) for n in range(49)]
    member = _build(texts, values)
    assert member is not None
    whole = gzip.compress(_plain(texts, values), compresslevel=6)
    framed = sum(len(value) + 10 for value in values)
    assert len(member) < 1.1 * len(whole) + framed
    alone = gzipparts.compress_texts(texts[1:2], [])  # without the texts before it
    assert len(gzipparts.compress_texts(texts, [64] * 49)[1]) < len(alone[0]) / 3


def test_values_are_stored_not_compressed() -> None:
    # A token is never a match for any other text (BREACH reads compressed sizes).
    token = b"x" * 64
    member = _build([b"<p>" + token + b"</p>", b"<p>end</p>"], [token])
    assert member is not None and token in member


def test_texts_must_be_utf8_and_alternate_with_values() -> None:
    with pytest.raises(ValueError, match="UTF-8"):
        gzipparts.compress_texts([b"a\xffb"], [])
    with pytest.raises(ValueError, match="alternate"):
        gzipparts.compress_texts([b"a"], [3])
