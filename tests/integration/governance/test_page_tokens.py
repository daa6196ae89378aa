"""A page token is the caller's input like any field: the sort key it carries (a token anyone
can write: base64 of JSON with a digest of the query, no secret) reaches the database as the
key the next page is read after, so one PostgreSQL cannot store is refused at the edge."""

from __future__ import annotations

import base64
import hashlib
import json

import grpc
import pytest

from tests.integration.governance.harness import ASTEN
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.testing import bad_fields

pytestmark = pytest.mark.integration


def written_token(request, after: list[str]) -> str:
    """A page token as a caller can write one for ``request`` (offset, query digest, key)."""
    query = type(request)()
    query.CopyFrom(request)
    query.ClearField("page_size")
    query.ClearField("page_token")
    h = hashlib.sha256(request.DESCRIPTOR.full_name.encode())
    h.update(b"\0")
    h.update(query.SerializeToString(deterministic=True))
    raw = json.dumps({"o": 20, "q": h.hexdigest()[:24], "k": after}, separators=(",", ":"))
    raw_bytes = raw.encode()
    return base64.urlsafe_b64encode(raw_bytes).decode().rstrip("=")


@pytest.mark.parametrize("key", ["seat\x00", "seat\ud800", "seat\n", "s" * 5000])
def test_a_page_token_whose_key_the_database_cannot_hold_is_invalid_argument(gov_env, key):
    delegate = gov_env.council.delegate(ASTEN)
    request = pb.ListSeatsRequest(body=pb.BODY_PARTNER_COUNCIL, page_size=20)
    with pytest.raises(grpc.RpcError) as err:
        delegate.ListSeats(
            body=request.body, page_size=20, page_token=written_token(request, [key])
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT, err.value.details()
    assert bad_fields(err.value) == ["page_token"]


def test_a_page_token_written_by_a_caller_pages_like_the_services_own(gov_env):
    delegate = gov_env.council.delegate(ASTEN)
    first = delegate.ListSeats(body=pb.BODY_PARTNER_COUNCIL, page_size=20)
    request = pb.ListSeatsRequest(body=pb.BODY_PARTNER_COUNCIL, page_size=20)
    token = written_token(request, [first.seats[-1].seat_id])
    assert token == first.next_page_token
