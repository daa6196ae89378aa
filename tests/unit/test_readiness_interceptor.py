"""A party unknown to a service's projection is UNAVAILABLE (retryable: its registration may
still be on its way), never PERMISSION_DENIED; a known excluded party is refused by the
policy. The real interceptor, servicers and Rego, in process over a socket."""

from __future__ import annotations

import grpc
import pytest

from zorgtafel.testing import Keys, handler_platform, served, set_party_status

METHOD = "/zorgtafel.intake.v1.IntakeService/GetNomination"
ACTIVE, EXCLUDED, NEWCOMER = (
    "00000099000000000037",
    "00000099000000000038",
    "00000099000000000077",
)


def code_of(chan: grpc.Channel, keys: Keys, party: str) -> grpc.StatusCode:
    call = chan.unary_unary(
        METHOD, request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    try:
        call(b"", metadata=keys.metadata(party, "caseworker", "p"), timeout=30)
    except grpc.RpcError as err:
        return err.code()
    return grpc.StatusCode.OK


@pytest.fixture(scope="module")
def intake(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("readiness")
    with handler_platform("intake", data_dir) as (platform, parts):
        set_party_status(platform, ACTIVE, "active")
        set_party_status(platform, EXCLUDED, "excluded")
        with served(platform, parts) as chan:
            yield platform, chan, Keys(data_dir)


def test_an_unknown_party_is_unavailable_until_its_registration_arrives(intake):
    platform, chan, keys = intake
    assert code_of(chan, keys, NEWCOMER) == grpc.StatusCode.UNAVAILABLE
    set_party_status(platform, NEWCOMER, "active")  # the accession's event is applied
    assert code_of(chan, keys, NEWCOMER) not in (
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNAUTHENTICATED,
    )


def test_an_excluded_party_is_refused_by_the_policy_at_once(intake):
    platform, chan, keys = intake
    assert code_of(chan, keys, EXCLUDED) == grpc.StatusCode.PERMISSION_DENIED
    member = "00000099000000000036"
    set_party_status(platform, member, "active")
    assert code_of(chan, keys, member) != grpc.StatusCode.PERMISSION_DENIED
    set_party_status(platform, member, "excluded")  # the exclusion's event is applied
    assert code_of(chan, keys, member) == grpc.StatusCode.PERMISSION_DENIED
