"""The same decisions through both engines (embedded regopy and OPA via the REST test double)."""

from __future__ import annotations

import cases
import pytest

from zorgtafel.policy.decision import Decision

GOV = "/zorgtafel.governance.v1.GovernanceService/"
INTAKE = "/zorgtafel.intake.v1.IntakeService/"
DISCLOSURE = "/zorgtafel.disclosure.v1.DisclosureService/"

CASEWORK = "/zorgtafel.casework.v1.CaseworkService/"


def relayed(inp: dict) -> dict:
    """The same call relayed by a suite service with the person's token (art. 12.2f)."""
    return {
        **inp,
        "principal": {
            **inp["principal"],
            "authenticated_by": "mtls_relay",
            "relayed_by": "casework",
        },
    }


AUTHZ_CASES = [
    (cases.authz(INTAKE + "Assess", "process_director"), True),
    (cases.authz(INTAKE + "Assess", "caseworker"), False),
    (cases.authz(GOV + "CastVote", "board_member"), True),
    (cases.authz(GOV + "CastVote", "manager"), False),
    (cases.authz(GOV + "ApplyAccession", "manager"), True),
    (cases.authz(DISCLOSURE + "AccessLog", "privacy_officer"), True),
    (cases.authz(DISCLOSURE + "VerifyLog", "caseworker"), False),
    (cases.authz(GOV + "ListParties", "caseworker", status="excluded"), False),
    (cases.authz("/zorgtafel.x.v1.X/Unknown", "process_director"), False),
    ({}, False),
    (relayed(cases.authz(DISCLOSURE + "RequestDisclosure", "caseworker")), True),
    (relayed(cases.authz(CASEWORK + "GetPreReadSet", "caseworker")), False),
    (relayed(cases.authz(DISCLOSURE + "Provide", "caseworker")), False),
]

DISCLOSURE_CASES = [
    (cases.disclosure(), True),
    (cases.disclosure(item__retracted=True), False),
    (cases.disclosure(purpose="research"), False),
    (cases.disclosure(recipient__party=cases.SHELTER), False),
    (cases.disclosure(action="pre_read"), False),
    (
        cases.disclosure(
            action="third_party_release", recipient__is_party=False, recipient__party="Stichting X"
        ),
        False,
    ),
    (cases.disclosure(item__legal_basis="consent"), False),
]


@pytest.mark.parametrize("inp,allowed", AUTHZ_CASES)
def test_authz(engine, inp, allowed):
    decision = engine.decide("zorgtafel.authz", inp)
    assert isinstance(decision, Decision)
    assert decision.allow is allowed
    assert decision.reasons and all(isinstance(r, str) for r in decision.reasons)
    assert decision.revision == engine.revision


def test_authz_denies_a_relay_beyond_the_pre_read_citing_need_to_know(engine):
    decision = engine.decide(
        "zorgtafel.authz", relayed(cases.authz(CASEWORK + "GetPreReadSet", "caseworker"))
    )
    assert decision.allow is False
    assert any("relay" in r and "art. 8.4c" in r for r in decision.reasons)


@pytest.mark.parametrize("inp,allowed", DISCLOSURE_CASES)
def test_disclosure(engine, inp, allowed):
    decision = engine.decide("zorgtafel.disclosure", inp)
    assert decision.allow is allowed
    assert any("art." in r or "Bijlage" in r for r in decision.reasons)


def test_break_glass_obligations(engine):
    inp = cases.disclosure(
        item__legal_basis="consent",
        break_glass={"justification": "acute threat", "consulted_colleague": "bram"},
    )
    decision = engine.decide("zorgtafel.disclosure", inp)
    assert decision.allow is True
    assert {o["type"] for o in decision.obligations} >= {
        "log_break_glass",
        "notify_provider",
        "review",
    }


def test_redact_obligation(engine):
    decision = engine.decide(
        "zorgtafel.disclosure", cases.disclosure(item__terms__summary_only_fields=["statement"])
    )
    assert decision.allow is True
    assert [dict(o) for o in decision.obligations if o["type"] == "redact"][0]["fields"] == (
        "statement",
    )


def test_criteria_advice(engine):
    result = engine.evaluate("zorgtafel.intake.criteria", cases.CRITERIA)
    assert result["advice"] == "qualifies"
    assert result["held"] == ["A", "C", "D"]
    result = engine.evaluate(
        "zorgtafel.intake.criteria", dict(cases.CRITERIA, life_domains=["housing"])
    )
    assert result["advice"] == "does_not_qualify"


def test_invite(engine):
    result = engine.evaluate("zorgtafel.casework.invite", cases.INVITE)
    assert result["invite"] == [cases.CARE]
    assert result["refused"][0]["party"] == cases.SHELTER


def test_decision_carries_audit_fields(embedded):
    decision = embedded.decide(
        "zorgtafel.authz", cases.authz(INTAKE + "Assess", "process_director")
    )
    again = embedded.decide("zorgtafel.authz", cases.authz(INTAKE + "Assess", "process_director"))
    assert decision.input_digest == again.input_digest and decision.input_digest.startswith(
        "sha256:"
    )
    assert decision.decision_id != again.decision_id
    assert decision.decided_at.tzinfo is not None
    assert decision.result["allow"] is True


def test_not_a_package_name_is_an_error(embedded):
    from zorgtafel.policy.errors import PolicyError

    with pytest.raises(PolicyError):
        embedded.decide("zorgtafel/authz; drop", {})
