"""Server answers as JSON, with a bound on how deeply they nest.

Python's parser recurses once per level of nesting, and so do pydantic and
our own code after it: an answer of a thousand ``[`` (2 KB) would end in a
``RecursionError`` far from the network. No answer of the contract nests
deeper than about ten levels, so anything past ``MAX_DEPTH`` is refused as a
broken answer before it is parsed.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64

_BRACKETS_AND_QUOTES = b'"[]{}'
_EVERYTHING_ELSE = bytes(b for b in range(256) if b not in _BRACKETS_AND_QUOTES)
_STRING = re.compile(rb'"[^"]*"')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class TooDeep(ValueError):
    """The body nests deeper than ``MAX_DEPTH``."""


def nesting_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body``, brackets inside strings not counted.

    Done in C as far as it goes (escapes, then everything but quotes and
    brackets, then whole strings dropped), so the Python loop sees only the
    brackets that structure the answer.
    """
    # ``\\`` first: what remains of a backslash before a quote then escapes it.
    plain = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = _STRING.sub(b"", plain.translate(None, _EVERYTHING_ELSE))
    return max(accumulate(_STEP[c] for c in skeleton), default=0)


def loads(body: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses, with ``TooDeep``, a body nesting past ``max_depth``."""
    raw = body.encode() if isinstance(body, str) else body
    depth = nesting_depth(raw)
    if depth > max_depth:
        raise TooDeep(f"the answer nests {depth} levels deep (at most {max_depth})")
    return json.loads(raw)
