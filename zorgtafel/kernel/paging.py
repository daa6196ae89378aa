"""Paging of list RPCs (AIP-158): ``page_size`` (default 100, at most 500) and an opaque
``page_token`` bound to the query it continues, so a token from another query (another filter,
another caller's view) is refused instead of skipping or repeating results.

The token is the offset into the query's ordered results and a digest of the query; it carries
no personal data and grants nothing: every page is authorised like the first.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import TypeVar

from google.protobuf.message import Message

from zorgtafel.kernel.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
T = TypeVar("T")


def _query_digest(request: Message) -> str:
    """The request without its paging fields: what a token must continue."""
    query = type(request)()
    query.CopyFrom(request)
    for name in ("page_size", "page_token"):
        query.ClearField(name)
    return hashlib.sha256(query.SerializeToString(deterministic=True)).hexdigest()[:24]


def _encode(offset: int, digest: str) -> str:
    raw = json.dumps({"o": offset, "q": digest}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, digest: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        offset = data["o"]
        if data["q"] != digest or not isinstance(offset, int) or offset < 0:
            raise ValueError
        return offset
    except (ValueError, KeyError, TypeError, UnicodeEncodeError):
        raise InvalidArgument(
            "page_token", "not a token of this query: start again without one"
        ) from None


def page(items: Sequence[T], request: Message) -> tuple[Sequence[T], str]:
    """One page of ``items`` (already in their stable order) for ``request``, and the token
    of the next page ("" when this is the last)."""
    size = getattr(request, "page_size")  # noqa: B009 - declared by each list request
    if size < 0 or size > MAX_PAGE_SIZE:
        raise InvalidArgument(
            "page_size", f"0 (the default, {DEFAULT_PAGE_SIZE}) to {MAX_PAGE_SIZE}"
        )
    size = size or DEFAULT_PAGE_SIZE
    digest = _query_digest(request)
    token = getattr(request, "page_token")  # noqa: B009
    offset = _decode(token, digest) if token else 0
    chunk = items[offset : offset + size]
    end = offset + len(chunk)
    return chunk, (_encode(end, digest) if end < len(items) else "")
