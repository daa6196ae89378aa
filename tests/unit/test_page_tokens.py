"""Page tokens are the caller's input: the sort key a token carries is read back only when the
database can hold it as the key a page is read after (ids and times), else INVALID_ARGUMENT
naming page_token, as for a token of another query."""

from __future__ import annotations

import base64
import json

import pytest

from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel import paging
from zorgtafel.kernel.errors import InvalidArgument


def _token(request, after: object) -> str:
    digest = paging.window(request).digest
    raw = json.dumps({"o": 20, "q": digest, "k": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "key",
    [
        "seat\x00",  # PostgreSQL's text holds no NUL
        "seat\ud800",  # a lone surrogate is no UTF-8 (neither database takes it)
        "seat\n",
        "",
        "s" * 129,
        "seat one",
    ],
)
def test_a_token_whose_sort_key_is_no_id_or_time_is_refused_naming_page_token(key):
    request = pb.ListSeatsRequest(body=pb.BODY_PARTNER_COUNCIL, page_size=20)
    request.page_token = _token(request, [key])
    with pytest.raises(InvalidArgument) as err:
        paging.window(request)
    assert [f for f, _ in err.value.violations] == ["page_token"]


@pytest.mark.parametrize(
    "after",
    [
        ["council-delegate-00000099000000000001"],
        ["2026-12-07T01:24:53.123456Z", "rev-0123456789abcdef0123456789abcdef"],
        ["2026-12-07T01:24:53.123456+00:00", "case-1"],
        ["case-1", "2026-12-07", "act-3"],
        ["42"],
    ],
)
def test_a_token_of_ids_and_times_pages_after_them(after):
    request = pb.ListSeatsRequest(body=pb.BODY_PARTNER_COUNCIL, page_size=20)
    request.page_token = _token(request, after)
    assert paging.window(request).after == tuple(after)


@pytest.mark.parametrize("junk", ["\x00", " ", "\n", "!", "*", "===="])
@pytest.mark.parametrize("key", ["seat-1", "seat-12", "seat-123", "seat-1234"])
def test_a_token_with_a_character_no_token_holds_is_refused_naming_page_token(junk, key):
    """Tokens of every length (base64 pads each differently), the junk at the end or inside."""
    request = pb.ListSeatsRequest(body=pb.BODY_PARTNER_COUNCIL, page_size=20)
    token = _token(request, [key])
    for written in (token + junk, token[:8] + junk + token[8:]):
        request.page_token = written
        with pytest.raises(InvalidArgument) as err:
            paging.window(request)
        assert [f for f, _ in err.value.violations] == ["page_token"]
    request.page_token = token
    assert paging.window(request).after == (key,)
