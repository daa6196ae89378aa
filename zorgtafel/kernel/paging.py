"""Paging of list RPCs (AIP-158): ``page_size`` (default 100, at most 500) and an opaque
``page_token`` bound to the query it continues, so a token from another query (another filter,
another caller's view) is refused instead of skipping or repeating results.

The token is the offset into the query's ordered results and a digest of the query (for a list
paged in SQL by key, ``window``, also the sort key of the last row shown: ids and dates); it
carries no personal data and grants nothing: every page is authorised like the first.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from google.protobuf.message import Message

from zorgtafel.kernel.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
T = TypeVar("T")
# A part of the sort key a token carries: an id, a sequence number or an ISO/RFC 3339 time, as
# ``Window.cut`` writes them. Anyone can write a token (its digest is no secret), and the key is
# the value the next page is read after, in SQL: only these characters reach the database (a
# NUL, which PostgreSQL's text refuses, or a lone surrogate, which no UTF-8 holds, would
# answer INTERNAL).
SORT_KEY = re.compile(r"[A-Za-z0-9._:@+-]{1,128}")


def _query_digest(request: Message) -> str:
    """The request without its paging fields: what a token must continue."""
    query = type(request)()
    query.CopyFrom(request)
    for name in ("page_size", "page_token"):
        query.ClearField(name)
    # The message type is part of the query: an unfiltered request of one list serialises
    # like an unfiltered request of another, and a token must not cross lists.
    h = hashlib.sha256(request.DESCRIPTOR.full_name.encode())
    h.update(b"\0")
    h.update(query.SerializeToString(deterministic=True))
    return h.hexdigest()[:24]


def _encode(offset: int, digest: str, after: list[str] | None = None) -> str:
    data: dict[str, object] = {"o": offset, "q": digest}
    if after is not None:
        data["k"] = after
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _payload(token: str) -> Any:
    """The JSON a token holds: unpadded URL-safe base64 of it and nothing else (a lenient
    decoder skips characters outside the alphabet, so a token with a NUL or a space in it
    would read as the token without them)."""
    if not token.isascii() or "=" in token:
        raise ValueError("not a page token")
    padded = token + "=" * (-len(token) % 4)
    return json.loads(base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True))


def _decode_key(token: str) -> tuple[str, ...] | None:
    """The sort key a token continues after (None: an offset token); call after ``_decode``
    accepted the token."""
    key = _payload(token).get("k")
    if key is None:
        return None
    if not isinstance(key, list) or not all(
        isinstance(k, str) and SORT_KEY.fullmatch(k) for k in key
    ):
        raise InvalidArgument("page_token", "not a token of this query: start again without one")
    return tuple(key)


def _decode(token: str, digest: str) -> int:
    try:
        data = _payload(token)
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


@dataclass(frozen=True)
class Window:
    """A page of a list paged in SQL: the query fetches ``limit`` (one row more than it shows,
    so whether another page follows is known without a count), after the sort key ``after``
    of the previous page's last row when the list pages by key (keyset: as cheap on the last
    page as on the first, and no row skipped or repeated when rows come and go), else from
    ``offset``."""

    offset: int
    size: int
    digest: str
    after: tuple[str, ...] | None = None

    @property
    def limit(self) -> int:
        return self.size + 1

    def cut(
        self, rows: Sequence[T], key: Callable[[T], tuple[str, ...]] | None = None
    ) -> tuple[Sequence[T], str]:
        """The rows shown (at most ``size`` of the ``limit`` fetched) and the next page's
        token ("" when this is the last); with ``key``, the token carries the sort key of the
        last row shown (ids and dates, never content)."""
        if len(rows) <= self.size:
            return rows, ""
        shown = rows[: self.size]
        after = list(key(shown[-1])) if key is not None else None
        return shown, _encode(self.offset + self.size, self.digest, after)


def window(request: Message) -> Window:
    """The page ``request`` asks for, its ``page_size`` and ``page_token`` checked as ``page``
    checks them (a token of another query is INVALID_ARGUMENT)."""
    size = getattr(request, "page_size")  # noqa: B009 - declared by each list request
    if size < 0 or size > MAX_PAGE_SIZE:
        raise InvalidArgument(
            "page_size", f"0 (the default, {DEFAULT_PAGE_SIZE}) to {MAX_PAGE_SIZE}"
        )
    digest = _query_digest(request)
    token = getattr(request, "page_token")  # noqa: B009
    if not token:
        return Window(0, size or DEFAULT_PAGE_SIZE, digest)
    offset = _decode(token, digest)
    return Window(offset, size or DEFAULT_PAGE_SIZE, digest, _decode_key(token))


def time_and_id(after: tuple[str, ...] | None) -> tuple[datetime, str] | None:
    """The (time, id) sort key a keyset page token continues after, as ``Window.cut`` wrote it
    from an aware time's ISO text and an id; None for a first page. A token that holds
    anything else is INVALID_ARGUMENT, like a token of another query."""
    if after is None:
        return None
    try:
        at, key = after
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
        if when.tzinfo is None or not key:
            raise ValueError(at)
    except ValueError:
        raise InvalidArgument(
            "page_token", "not a token of this query: start again without one"
        ) from None
    return when, key
