"""Response bodies read under a hard cap on their inflated size, and gzipped request bodies.

A gzip bomb of a few kilobytes can inflate to gigabytes, so the cap is
enforced while inflating, a bounded piece at a time: a body past the limit
is refused before it is ever whole in memory.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator

from sync.http.errors import BodyTooLarge, TransferInterrupted, TransportError

# Largest piece handed out at once, so memory stays small even for a large body.
PIECE_BYTES = 1024 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS


def capped_body(
    chunks: Iterable[bytes], content_encoding: str | None, limit: int
) -> Iterator[bytes]:
    """Yield the decoded body from raw ``chunks``; raise ``BodyTooLarge`` past ``limit`` bytes."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding == "identity":
        yield from _counted(chunks, limit)
    elif encoding in ("gzip", "x-gzip"):
        yield from _inflated(chunks, limit)
    else:
        # We only ever offer gzip, so anything else is a broken peer, not a transient fault.
        raise TransportError(f"unsupported Content-Encoding {content_encoding!r}")


def whole_body(chunks: Iterable[bytes], content_encoding: str | None, limit: int) -> bytes:
    """The decoded body in one piece, refusing a bomb before its inflated bytes pile up.

    A gzipped body is first received whole (its compressed size is capped
    too) and inflated once just to count, a piece at a time, then inflated
    for real only when it fits: memory never holds more than the limit.
    """
    encoding = (content_encoding or "identity").strip().lower()
    if encoding == "identity":
        return b"".join(_counted(chunks, limit))
    compressed = b"".join(_counted(chunks, limit))
    for _ in capped_body([compressed], encoding, limit):
        pass
    return b"".join(capped_body([compressed], encoding, limit))


def _counted(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise BodyTooLarge(limit)
        yield chunk


def _inflated(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj(_GZIP_WBITS)
    total = 0
    started = False
    for chunk in chunks:
        data = chunk
        while data:
            started = True
            if inflater.eof:  # a further gzip member follows the first
                inflater = zlib.decompressobj(_GZIP_WBITS)
            try:
                # One byte over the limit is enough to know it is too large.
                piece = inflater.decompress(data, min(PIECE_BYTES, limit - total + 1))
            except zlib.error as exc:
                raise TransportError(f"corrupt gzip body: {exc}") from exc
            total += len(piece)
            if total > limit:
                raise BodyTooLarge(limit)
            if piece:
                yield piece
            data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
    if started and not inflater.eof:
        raise TransferInterrupted("gzip body ended before its end marker")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip a request body; ``mtime=0`` so the same body always compresses the same."""
    return gzip.compress(data, compresslevel=6, mtime=0)
