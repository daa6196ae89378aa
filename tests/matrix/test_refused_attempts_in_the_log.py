"""A refused look stays in the access log, and its party's oversight sees the attempt - not what
the refusal withheld (issues #13, #15; Bijlage 3, NEN 7513, art. 12.3).

Found by the authorisation matrix: a person of a party uninvolved in a nomination who tried to
read it (a designated process director of another party, refused by 12.3) left a record naming
the subject's pseudonym and the nominating party; its own party's privacy officer then listed
the case's records (``AccessLogService.ListAccess``) and was answered with them - the pseudonym
and the controller of a nomination that party has no part in. Now a refused attempt concerns its
reader's party only in a listing of that party's own looks, stripped of what it was not given;
the controller's oversight still sees it whole.

In-process, SQLite, intake's real servicers behind the kernel's interceptor (access log on)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from tests.matrix import spec_intake as intake
from tests.matrix.serving import served
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.testing import Keys, handler_platform

OTHER_PD = (intake.FARENT, intake.PD[1])  # designated at another party, same employee id


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("refused-attempts")
    with handler_platform("intake", data_dir) as (platform, parts):
        with served(platform, parts) as (chan, _):
            keys = Keys(data_dir)
            fresh = intake.SPEC.setup(platform, parts, chan, keys)
            case_id = fresh()["looked"]  # read by its process director, refused to OTHER_PD
            stub = pb_grpc.IntakeServiceStub(chan)
            pseudonym = stub.GetNomination(
                pb.GetNominationRequest(case_id=case_id),
                metadata=keys.metadata(intake.PD[0], "process_director", intake.PD[1]),
            ).nomination.subject_pseudonym
            assert pseudonym
            yield {
                "logs": al_grpc.AccessLogServiceStub(chan),
                "keys": keys,
                "case_id": case_id,
                "pseudonym": pseudonym,
            }


def officer(world: dict[str, Any], party: str) -> Any:
    return world["keys"].metadata(party, "privacy_officer", f"fg-{party[-2:]}")


def listing(world: dict[str, Any], asker: str, **query: str) -> list[Any]:
    reply = world["logs"].ListAccess(al.ListAccessRequest(**query), metadata=officer(world, asker))
    return list(reply.entries)


def refused(world: dict[str, Any], asker: str, **query: str) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as err:
        listing(world, asker, **query)
    return err.value.code()


def test_the_refused_partys_oversight_gets_nothing_by_case_or_subject(world):
    denied = grpc.StatusCode.PERMISSION_DENIED
    assert refused(world, intake.FARENT, case_id=world["case_id"]) == denied
    assert refused(world, intake.FARENT, subject_pseudonym=world["pseudonym"]) == denied


def test_the_refused_partys_oversight_sees_the_attempt_without_what_was_withheld(world):
    mine = listing(world, intake.FARENT, party=intake.FARENT)
    (attempt,) = [e for e in mine if e.rpc == "GetNomination"]
    assert (attempt.party, attempt.person, attempt.result) == (*OTHER_PD, "denied")
    assert attempt.reasons  # the refused person was told them
    withheld = (
        attempt.subject_pseudonym,
        attempt.provider,
        attempt.resource,
        attempt.case_id,
        attempt.input_digest,
    )
    assert withheld == ("", "", "", "", "")
    assert attempt.recipient == intake.FARENT
    assert not any(world["pseudonym"] in str(e) or world["case_id"] in str(e) for e in mine)


def test_the_controllers_oversight_sees_the_refused_attempt_whole(world):
    entries = listing(world, intake.ASTEN, case_id=world["case_id"])
    (attempt,) = [e for e in entries if e.party == intake.FARENT and e.rpc == "GetNomination"]
    assert attempt.result == "denied"
    assert (attempt.subject_pseudonym, attempt.provider) == (world["pseudonym"], intake.ASTEN)
    assert attempt.case_id == world["case_id"]


def test_disclosures_access_log_shows_a_refused_party_only_its_attempt(tmp_path):
    from tests.matrix import spec_disclosure as disclosure
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as dpb
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as dpb_grpc

    with handler_platform("disclosure", tmp_path) as (platform, parts):
        with served(platform, parts) as (chan, _):
            keys = Keys(tmp_path)
            r = disclosure.SPEC.setup(platform, parts, chan, keys)()
            r["looked"]  # CELLO's delegate read GGZ's item; FARENT's namesake was refused
            reply = dpb_grpc.DisclosureServiceStub(chan).AccessLog(
                dpb.AccessLogRequest(party=disclosure.FARENT),
                metadata=keys.metadata(disclosure.FARENT, "privacy_officer", "fg-farent"),
            )
    (attempt,) = [e for e in reply.entries if e.rpc == "RequestDisclosure"]
    assert attempt.result == "denied"
    assert (attempt.subject_pseudonym, attempt.provider, attempt.case_id, attempt.resource) == (
        "",
        "",
        "",
        "",
    )
