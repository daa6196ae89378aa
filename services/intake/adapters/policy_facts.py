"""The facts intake gives the policy engine, and obeying its answers.

* ``zorgtafel.intake.criteria`` (Bijlage 2) advises on a nomination; the person decides.
* ``zorgtafel.intake.access`` decides who reads or acts on a nomination and who is asked in a
  triage round (art. 1.15, 8.4c, 12.2a, 16.1, 16.2).
* ``zorgtafel.casework.invite`` decides which parties may lawfully be invited (art. 12.2e).

Inputs are checked against the policies' JSON Schemas in the tests
(``zorgtafel.policy.schemas.validate_input``). The kernel's ``PolicyGate`` asks: any engine
failure is a deny answered UNAVAILABLE (fail closed); anything but ``allow is True`` is
PERMISSION_DENIED with the policy's reasons.
"""

from __future__ import annotations

from typing import Mapping

from sqlalchemy import select

from services.intake.domain.model import Advice, MeetingPlan, Nomination
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import PermissionDenied, Unavailable
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.uow import UnitOfWork

CRITERIA = "zorgtafel.intake.criteria"
ACCESS = "zorgtafel.intake.access"
INVITE = "zorgtafel.casework.invite"


# -- Bijlage 2 --------------------------------------------------------------------------------
def criteria_input(nom: Nomination) -> dict:
    return nom.criteria_facts()


def advise(gate: PolicyGate, nom: Nomination) -> Advice:
    result = gate.evaluate(CRITERIA, criteria_input(nom))
    advice = result.get("advice")
    if advice not in ("qualifies", "does_not_qualify"):
        raise Unavailable("the criteria policy gave no advice: not assessed (fail closed)")
    return Advice(
        qualifies=advice == "qualifies",
        criteria_held=tuple(str(x) for x in result.get("held", ())),
        reasons=tuple(str(x) for x in result.get("reasons", ())),
        revision=gate.revision or "unknown",
    )


# -- access ---------------------------------------------------------------------------------
def access_input(action: str, caller: Caller, nom: Nomination) -> dict:
    return {
        "action": action,
        "principal": caller.as_input(),
        "nomination": {
            "case_id": nom.case_id,
            "nominating_party": nom.nominating_party,
            "status": nom.status.value,
            "asked_parties": list(nom.triage.asked) if nom.triage else [],
        },
    }


def check_access(gate: PolicyGate, action: str, caller: Caller, nom: Nomination) -> None:
    gate.require(ACCESS, access_input(action, caller, nom))


def party_statuses(uow: UnitOfWork, parties) -> dict[str, str]:
    t = uow.tables["party_directory"]
    rows = uow.session.execute(
        select(t.c.party_id, t.c.status).where(t.c.party_id.in_(list(parties)))
    ).all()
    known = {r.party_id: r.status for r in rows}
    return {p: known.get(p, "unknown") for p in parties}


def check_asked_parties(
    gate: PolicyGate, uow: UnitOfWork, nom: Nomination, parties, caller: Caller
) -> None:
    """Each candidate is decided on its own; the refusal names every refused one's reasons."""
    statuses = party_statuses(uow, parties)
    reasons: list[str] = []
    last = None
    for party in parties:
        inp = access_input("ask_in_triage", caller, nom)
        inp["candidate"] = {"party": party, "status": statuses[party]}
        decision = gate.decide(ACCESS, inp)
        if decision.allow is not True:
            reasons.extend(decision.reasons)
            last = decision
    if last is not None:
        raise PermissionDenied(reasons, last.decision_id, last.revision, policy=ACCESS)


# -- art. 12.2e -------------------------------------------------------------------------------
def invite_input(
    nom: Nomination,
    meeting: MeetingPlan,
    lawful_themes: Mapping[str, tuple[str, ...]],
    statuses: Mapping[str, str],
) -> dict:
    """Candidates for ``zorgtafel.casework.invite``: a party unknown to the party projection
    is not a party of the covenant (9.2: meetings are not public)."""
    asked = set(nom.triage.asked) if nom.triage else set()
    candidates = []
    for party in meeting.invitees:
        status = statuses[party]
        candidates.append(
            {
                "party": party,
                "is_party": status != "unknown",
                "status": status,
                "relevance": "asked_in_triage" if party in asked else "named_by_process_director",
                "lawful_themes": sorted(lawful_themes.get(party, ())),
            }
        )
    return {
        "case": {
            "id": nom.case_id,
            "themes": list(meeting.themes),
            "nominating_party": nom.nominating_party,
        },
        "candidates": candidates,
    }


def check_invitees(
    gate: PolicyGate,
    uow: UnitOfWork,
    nom: Nomination,
    meeting: MeetingPlan,
    lawful_themes: Mapping[str, tuple[str, ...]],
) -> None:
    statuses = party_statuses(uow, meeting.invitees)
    result = gate.evaluate(INVITE, invite_input(nom, meeting, lawful_themes, statuses))
    invited = set(result.get("invite", ()))
    refused = [r for r in result.get("refused", ())]
    missing = [p for p in meeting.invitees if p not in invited]
    if refused or missing:
        reasons = [reason for r in refused for reason in r.get("reasons", ())] or [
            f"{p} may not be invited (art. 12.2e)." for p in missing
        ]
        raise PermissionDenied(reasons, "", gate.revision, policy=INVITE)
