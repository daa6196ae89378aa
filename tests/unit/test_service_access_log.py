"""The kernel's access log of a service (``ServiceAccessLog``), the same in all four: what a
read's record holds, a refusal's record, what a damaged or closed log does (refuses: nothing is
released unlogged), and the handler's ``saw`` outside a logged read."""

from __future__ import annotations

import pytest

from zorgtafel.kernel.accesslog.service import Look, looking, reader, saw
from zorgtafel.kernel.auth import Principal
from zorgtafel.kernel.callcontext import CallContext, RefusedCall
from zorgtafel.kernel.errors import PermissionDenied, Unavailable
from zorgtafel.testing.handlers import handler_platform

PARTY = "00000099000000000038"
CTX = CallContext(
    method="/zorgtafel.intake.v1.IntakeService/GetNomination",
    principal=Principal(PARTY, "person-7", "process_director", "dev_token"),
    party_status="active",
    authz_decision_id="authz-decision-1",
    policy_revision="rev-1",
    trace_id="a" * 32,
    span_id="b" * 16,
)


@pytest.fixture
def intake(tmp_path):
    with handler_platform("intake", tmp_path) as (platform, _parts):
        yield platform


def _records(platform, case_id: str) -> list[dict]:
    with platform.uow_factory() as uow:
        return reader(uow).latest("case_id", case_id)


def test_an_allowed_read_is_one_record_with_who_what_about_whom_and_the_authz_decision(intake):
    look = Look(case_id="case-1", subject="psn-1", resource="identity,triage")
    intake.access_log.look(CTX, look)
    [r] = _records(intake, "case-1")
    assert (r["party"], r["person"], r["role"]) == (PARTY, "person-7", "process_director")
    assert (r["rpc"], r["result"], r["subject_pseudonym"]) == ("GetNomination", "allowed", "psn-1")
    assert r["resource"] == "identity,triage" and r["recipient"] == PARTY
    assert (r["decision_id"], r["policy_revision"]) == ("authz-decision-1", "rev-1")
    assert (r["trace_id"], r["span_id"]) == ("a" * 32, "b" * 16)
    with intake.uow_factory() as uow:
        assert reader(uow).verify(intake.access_log.keys).intact


def test_a_read_decided_by_the_handlers_policy_names_that_decision_and_its_input_digest(intake):
    class Decided:
        decision_id, revision, input_digest = "handler-decision", "rev-2", "sha256:" + "d" * 64

    intake.access_log.look(CTX, Look(case_id="case-2", decision=Decided()))
    [r] = _records(intake, "case-2")
    assert (r["decision_id"], r["policy_revision"], r["input_digest"]) == (
        "handler-decision",
        "rev-2",
        "d" * 64,
    )


def test_a_read_the_handlers_policy_refused_is_logged_denied_with_the_policys_reasons(intake):
    denied = PermissionDenied(("not involved in the case (art. 8.4c)",), "deny-1", "rev-3")
    intake.access_log.look(CTX, Look(case_id="case-3", subject="psn-3"), denied)
    [r] = _records(intake, "case-3")
    assert (r["result"], r["decision_id"], r["policy_revision"]) == ("denied", "deny-1", "rev-3")
    assert r["reasons"] == ["not involved in the case (art. 8.4c)"]


def test_a_call_the_authz_policy_refused_is_logged_with_a_well_formed_case_id_only(intake):
    class Request:
        def __init__(self, case_id: str) -> None:
            self.case_id = case_id

    for case_id, kept in (("case-4", "case-4"), ("x" * 200, ""), ("'; drop", "")):
        intake.access_log.refused_call(
            RefusedCall(
                CTX.method, CTX.principal, "active", "deny-2", "rev", ("no",), Request(case_id)
            )
        )
        with intake.uow_factory() as uow:
            newest = reader(uow).latest("party", PARTY, 1)[0]
        assert (newest["case_id"], newest["result"], newest["action"]) == (kept, "denied", "call")


def test_a_log_that_cannot_record_refuses_the_read_unavailable(intake):
    intake.access_log.close()
    with pytest.raises(Unavailable):
        intake.access_log.look(CTX, Look(case_id="case-5"))
    assert _records(intake, "case-5") == []


def test_saw_fills_the_look_of_the_read_being_served_and_does_nothing_outside_one():
    saw(case_id="case-6")  # a handler test or a write: no look, nothing happens
    with looking("case-7") as look:
        saw(subject="psn-7", resource="minutes:m-1")
    assert (look.case_id, look.subject, look.resource) == ("case-7", "psn-7", "minutes:m-1")
    with looking("not a valid id!") as look:
        pass
    assert look.case_id == ""  # a caller's malformed id is not recorded as a case
    with pytest.raises(TypeError):
        saw(name="a person's name")  # only the look's identifier fields exist


def test_a_records_resource_names_whole_identifiers_and_counts_the_ones_left_off():
    from zorgtafel.kernel.accesslog.service import listed

    assert listed(["a", "b", "a", ""]) == "a,b"  # each once, blanks dropped
    ids = [f"action:{i:040d}" for i in range(20)]
    text = listed(ids)
    assert len(text) <= 256 and text.endswith(f",+{20 - text.count('action:')}")
    assert all(part in ids for part in text.split(",")[:-1])  # no identifier cut in half
