"""Decision records you can replay (issue #17): each access-log record keeps its decision's input
(pseudonymous: free text as its digest), the Merkle leaf covers it (VerifyLog finds an edited or
blanked input), records written before keep their version 1 leaf, and the kernel keeps the input
of a handler's refusal, an authz refusal and an allowed read."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from tests.unit.test_accesslog import Log
from zorgtafel.kernel.accesslog import inputs, store
from zorgtafel.kernel.accesslog.records import LEAF_VERSION, LEAF_VERSION_2, leaf_of_row
from zorgtafel.kernel.accesslog.service import Look, looking, noted, reader
from zorgtafel.kernel.accesslog.verify import leaves_of
from zorgtafel.kernel.auth import Principal
from zorgtafel.kernel.callcontext import CallContext, RefusedCall
from zorgtafel.kernel.errors import PermissionDenied
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.policy.decision import Decision, digest_of, input_digest
from zorgtafel.testing.handlers import handler_platform

PARTY = "00000099000000000038"
JUSTIFICATION = "Anna de Vries is in danger tonight, her brother said so"
DISCLOSURE_INPUT = {
    "action": "read",
    "purpose": "care_coordination",
    "item": {"id": "item-1", "case_id": "case-1"},
    "subject": {"age": 15},
    "break_glass": {
        "justification": JUSTIFICATION,
        "consulted_colleague": "person-9",
        "client_informed": "told Anna at her aunt's home",
    },
}


@pytest.fixture
def log(tmp_path, database_url):
    from sqlalchemy import text

    lg = Log(tmp_path, database_url)
    yield lg
    lg.log.close()
    if database_url:
        with lg.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{lg.schema}" CASCADE'))
    lg.engine.dispose()


def _decision(policy: str, value: dict, allow: bool = False) -> Decision:
    return Decision.from_result(
        policy, "sha256:rev", value, {"allow": allow, "reasons": ["no (art. 8.4c)"]}
    )


# -- what is kept ---------------------------------------------------------------------------------


def test_the_kept_input_replaces_free_text_by_its_digest_and_keeps_every_fact_else():
    kept = inputs.of_decision(_decision("zorgtafel.disclosure", DISCLOSURE_INPUT))
    assert JUSTIFICATION not in kept and "Anna" not in kept and "aunt" not in kept
    policy, value = inputs.parse(kept)
    assert policy == "zorgtafel.disclosure"
    assert value["break_glass"]["justification"] == digest_of(JUSTIFICATION)
    assert value["break_glass"]["client_informed"] == digest_of("told Anna at her aunt's home")
    assert value["break_glass"]["consulted_colleague"] == "person-9"
    assert value["subject"] == {"age": 15} and value["purpose"] == "care_coordination"


def test_a_blank_justification_stays_blank_so_a_replayed_refusal_stays_a_refusal():
    blank = {**DISCLOSURE_INPUT, "break_glass": {"justification": "  ", "consulted_colleague": "x"}}
    _, value = inputs.parse(inputs.of_decision(_decision("zorgtafel.disclosure", blank)))
    assert value["break_glass"]["justification"] == ""


def test_any_overlong_string_is_digested_whatever_the_policy():
    _, value = inputs.parse(
        inputs.recorded_input("zorgtafel.casework.view", json.dumps({"note": "x" * 300}))
    )
    assert value["note"].startswith("sha256:") and len(value["note"]) == 71


def test_no_decision_keeps_nothing():
    assert inputs.of_decision(None) == "" and inputs.parse("") is None


# -- the leaf covers it ---------------------------------------------------------------------------


def test_a_record_with_its_input_is_a_version_2_leaf_and_one_without_keeps_version_1():
    lg_record = Log.record(Log.__new__(Log), 1)
    v1 = leaf_of_row(lg_record.row(1))
    v2 = leaf_of_row(
        Log.record(Log.__new__(Log), 1, decision_input='{"input":{},"policy":"p"}').row(1)
    )
    assert v1.startswith(LEAF_VERSION.encode()) and v2.startswith(LEAF_VERSION_2.encode())
    assert v2.endswith(b'{"input":{},"policy":"p"}')


def test_kept_inputs_verify_and_the_database_hashes_them_as_python_does(log):
    kept = inputs.of_decision(_decision("zorgtafel.disclosure", DISCLOSURE_INPUT))
    log.log.append([log.record(1), log.record(2, decision_input=kept), log.record(3)])
    with log.engine.connect() as conn:
        by_store = list(store.hashed_leaves(conn, log.t))
        by_python = list(leaves_of(store.iter_values(conn, log.t)))
    assert by_store == by_python and len(by_store) == 3
    assert log.verify().intact


@pytest.mark.parametrize("forged", ["", '{"input":{"purpose":"other"},"policy":"p"}'])
def test_an_edited_or_blanked_input_is_found_by_verification(log, forged):
    kept = inputs.of_decision(_decision("zorgtafel.disclosure", DISCLOSURE_INPUT))
    log.log.append([log.record(1), log.record(2, decision_input=kept), log.record(3)])
    with log.engine.begin() as conn:
        conn.execute(update(log.t.log).where(log.t.log.c.seq == 2).values(decision_input=forged))
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 2


# -- the kernel keeps the deciding input ------------------------------------------------------------

CTX_INPUT = {"method": "/zorgtafel.intake.v1.IntakeService/GetNomination", "principal": {}}
CTX = CallContext(
    method="/zorgtafel.intake.v1.IntakeService/GetNomination",
    principal=Principal(PARTY, "person-7", "process_director", "dev_token"),
    party_status="active",
    authz_decision_id="authz-decision-1",
    policy_revision="rev-1",
    authz_input_json=json.dumps(CTX_INPUT, sort_keys=True, separators=(",", ":")),
)


@pytest.fixture
def intake(tmp_path):
    with handler_platform("intake", tmp_path) as (platform, _parts):
        yield platform


def _record(platform, case_id: str) -> dict:
    with platform.uow_factory() as uow:
        [r] = reader(uow).latest("case_id", case_id)
    return r


class _Engine:
    revision = "sha256:rev"

    def __init__(self, allow: bool) -> None:
        self.allow = allow

    def decide(self, policy, value):
        return _decision(policy, dict(value), self.allow)


def test_a_handlers_refusal_keeps_the_refusing_decisions_input_noted_by_the_gate(intake):
    facts = {"action": "read", "nomination": {"case_id": "case-5"}, "principal": {"party": PARTY}}
    with looking("case-5") as look:
        decision = PolicyGate(_Engine(allow=False)).decide("zorgtafel.intake.access", facts)
        denied = PermissionDenied(decision.reasons, decision.decision_id, decision.revision)
        intake.access_log.look(CTX, look, denied)
    r = _record(intake, "case-5")
    assert r["result"] == "denied" and r["decision_id"] == decision.decision_id
    assert inputs.parse(r["decision_input"]) == ("zorgtafel.intake.access", facts)
    assert r["input_digest"] == input_digest(facts).removeprefix("sha256:")
    with intake.uow_factory() as uow:
        assert reader(uow).verify(intake.access_log.keys).intact


def test_a_handlers_allowing_decision_and_the_authz_decision_keep_their_inputs(intake):
    facts = {"action": "read", "nomination": {"case_id": "case-6"}}
    decision = _decision("zorgtafel.intake.access", facts, allow=True)
    intake.access_log.look(CTX, Look(case_id="case-6", decision=decision))
    assert inputs.parse(_record(intake, "case-6")["decision_input"])[1] == facts
    intake.access_log.look(CTX, Look(case_id="case-7"))
    r = _record(intake, "case-7")
    assert r["decision_id"] == "authz-decision-1"
    assert inputs.parse(r["decision_input"]) == ("zorgtafel.authz", CTX_INPUT)


def test_an_authz_refusal_keeps_its_input(intake):
    class Request:
        case_id = "case-8"

    refused_input = {"method": CTX.method, "principal": {"party": PARTY, "role": "x"}}
    intake.access_log.refused_call(
        RefusedCall(
            CTX.method,
            CTX.principal,
            "active",
            "deny-8",
            "rev",
            ("no",),
            Request(),
            input_json=json.dumps(refused_input),
        )
    )
    r = _record(intake, "case-8")
    assert inputs.parse(r["decision_input"]) == ("zorgtafel.authz", refused_input)
    assert len(r["input_digest"]) == 64


def test_the_gate_notes_decisions_only_while_a_read_is_served():
    noted(_decision("p", {}))  # outside a read: nothing kept, nothing raised
    with looking("case-9") as look:
        d = PolicyGate(_Engine(allow=True)).decide("zorgtafel.authz", {"method": "m"})
        assert look.decisions == {d.decision_id: d}
