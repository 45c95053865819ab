"""Gzip bodies assembled from texts compressed once and values filled in per response.

A cached page is the same text for every reader but for a few short values (the
CSRF token, the form's timestamp, the CSP nonce). Compressing the whole page for each
response cost a cache hit several times the hit itself. Here each text between the
values is compressed once into deflate blocks that end on a byte boundary
(Z_SYNC_FLUSH), and each value goes in per response as a stored (uncompressed)
block. A gzip member of such blocks is an ordinary one (RFC 1951 and 1952); only the
checksum is computed per response, over the plain text.

A text may refer back to the texts before it (a page of comments repeats itself,
and compressing each text alone made the page three times larger): its compressor
is given the 32 KiB before it as a preset dictionary, with every value's place
filled with 0xFF bytes, which UTF-8 never contains, so no match can take a byte
from a value. That needs each value's length when the texts are compressed; a
value of another length cannot be filled in (assemble returns None).

Stored blocks also keep the values out of compression: no text can be matched
against a token, which is what the BREACH attack measures. The cost is their bytes:
the demo's article page, whose 42 holes are mostly one CSRF token repeated, is
14.2 KB this way against 10.8 KB gzipped whole per response, which took 1.04 ms a
hit against 0.26 ms (docs/benchmarks.md).

Pure: bytes in, bytes out.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

# ID1 ID2, deflate, no flags, no time, no extra flags, OS unknown: Python's own
# gzip.compress(mtime=0) header but for the OS byte.
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# An empty final stored block: BFINAL=1, BTYPE=00, LEN=0, NLEN=0xFFFF.
_FINAL = b"\x01\x00\x00\xff\xff"
_STORED_MAX = 0xFFFF
LEVEL = 6  # as Django's GZipMiddleware
# Deflate's farthest reference, and a byte no UTF-8 text holds.
_WINDOW = 32 * 1024
_NEVER = b"\xff"


def compress_texts(texts: Sequence[bytes], sizes: Sequence[int]) -> tuple[bytes, ...]:
    """Each text as non-final deflate blocks ending on a byte boundary, where
    texts[i + 1] follows a value of sizes[i] bytes.

    Raises ValueError if a text holds a 0xFF byte (not UTF-8).
    """
    if len(sizes) != len(texts) - 1:
        raise ValueError("texts and values do not alternate")
    window = b""
    compressed = []
    for i, text in enumerate(texts):
        if _NEVER in text:
            raise ValueError("a text holds a byte UTF-8 never has")
        if i:
            window = (window + _NEVER * sizes[i - 1])[-_WINDOW:]
        if not text:
            compressed.append(b"")
            continue
        compressor = (
            zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=window)
            if window
            else zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        )
        compressed.append(
            compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)
        )
        window = (window + text)[-_WINDOW:]
    return tuple(compressed)


def stored(value: bytes) -> bytes:
    """`value` as non-final stored blocks (starting on a byte boundary)."""
    blocks = []
    for start in range(0, len(value), _STORED_MAX):
        chunk = value[start : start + _STORED_MAX]
        size = len(chunk)
        blocks.append(b"\x00" + struct.pack("<HH", size, size ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def assemble(
    texts: Sequence[bytes],
    compressed: Sequence[bytes],
    sizes: Sequence[int],
    values: Sequence[bytes],
) -> bytes | None:
    """The gzip member of texts[0] + values[0] + texts[1] + ... + texts[-1], or
    None when a value's length is not the one the texts were compressed for.

    Precondition: compressed == compress_texts(texts, sizes).
    """
    if len(values) != len(sizes) or len(compressed) != len(texts):
        raise ValueError("texts and values do not alternate")
    if any(len(value) != size for value, size in zip(values, sizes, strict=True)):
        return None
    body = [_HEADER, compressed[0]]
    crc = zlib.crc32(texts[0])
    size = len(texts[0])
    for value, text, packed in zip(values, texts[1:], compressed[1:], strict=True):
        body.append(stored(value))
        body.append(packed)
        crc = zlib.crc32(text, zlib.crc32(value, crc))
        size += len(value) + len(text)
    body.append(_FINAL)
    body.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(body)
