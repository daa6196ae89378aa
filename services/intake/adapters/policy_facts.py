"""The facts intake gives the policy engine, and obeying its answers.

* ``zorgtafel.intake.criteria`` (art. 1.4, Bijlage 2) decides whether the criteria as the
  process director judged them make a Zorgtafel case, and advises on the stated facts.
* ``zorgtafel.intake.access`` decides who reads or acts on a nomination and who is asked in a
  triage round (art. 1.15, 8.4c, 12.2a, 12.3, 16.1, 16.2, Bijlage 3), on the facts: the
  caller's functions on the roster (a token role alone grants nothing), the nomination's
  process director, the subject's consent and a recorded safety override; and whether a
  person who matched known persons too often may nominate.
* ``zorgtafel.casework.invite`` decides which parties may lawfully be invited (art. 12.2e).

Inputs are checked against the policies' JSON Schemas in the tests
(``zorgtafel.policy.schemas.validate_input``). The kernel's ``PolicyGate`` asks: any engine
failure is a deny answered UNAVAILABLE (fail closed); anything but ``allow is True`` is
PERMISSION_DENIED with the policy's reasons.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping

from sqlalchemy import select

from services.intake.domain.assessment import JudgedCriteria
from services.intake.domain.model import Advice, MeetingPlan, Nomination
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import NotShared, PermissionDenied, Unavailable
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.roster import RosterView
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.policy.decision import Decision

CRITERIA = "zorgtafel.intake.criteria"
ACCESS = "zorgtafel.intake.access"
INVITE = "zorgtafel.casework.invite"


# -- Bijlage 2 --------------------------------------------------------------------------------
def criteria_input(nom: Nomination, judged: JudgedCriteria | None = None) -> dict:
    """The stated facts (for the advice) and, at the assessment, the criteria as judged:
    booleans only, the grounds stay sealed in intake."""
    facts = nom.criteria_facts()
    if judged is not None:
        facts["judged"] = judged.holds()
    return facts


def judge(gate: PolicyGate, nom: Nomination, judged: JudgedCriteria) -> tuple[bool, str]:
    """Whether the judged criteria make a Zorgtafel case (art. 1.4), and why not."""
    result = gate.evaluate(CRITERIA, criteria_input(nom, judged))
    decision = result.get("decision")
    if decision not in ("qualifies", "does_not_qualify"):
        raise Unavailable("the criteria policy gave no decision: not assessed (fail closed)")
    why = " ".join(str(r) for r in result.get("decision_reasons", ()))
    return decision == "qualifies", why


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
def principal(roster: RosterView, caller: Caller) -> dict:
    """The caller and the functions the roster says they hold (ADR 0005)."""
    return caller.as_input() | {"functions": roster.functions(caller.party, caller.person)}


def nomination_facts(nom: Nomination) -> dict:
    facts = {
        "case_id": nom.case_id,
        "nominating_party": nom.nominating_party,
        "nominated_by": nom.nominated_by,
        "status": nom.status.value,
        # a linked nomination is in the queue only while linked to one (12.3)
        "linked_to_case_id": nom.linked_to_case_id,
        "asked_parties": list(nom.triage.asked) if nom.triage else [],
        # Bijlage 3, GDPR art. 7(3): as it stands (a withdrawal in disclosure included)
        "consent": nom.consent_now,
        "safety_override": nom.safety_override is not None,
        # 16.2: the provider decides who may use it and until when (as it stated them)
        "usage_terms": nom.usage_terms,
        # Bijlage 3 "afschermen", GDPR art. 18: the controller granted the subject's restriction.
        "restricted": nom.restricted,
    }
    if nom.process_director is not None:
        party, person = nom.process_director
        facts["process_director"] = {"party": party, "person": person}
    return facts


def rfc3339(t: datetime) -> str:
    """The time as the policy's lib.ns reads it (and the usage terms write it): UTC, ``Z``."""
    return t.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def access_input(
    action: str, caller: Caller, nom: Nomination, roster: RosterView, *, now: datetime, **extra
) -> dict:
    """``now``: the time of the request, against the terms' expiry (the policy reads no clock)."""
    return {
        "action": action,
        "principal": principal(roster, caller),
        "nomination": nomination_facts(nom),
        "now": rfc3339(now),
        **extra,
    }


def not_shared(decided: PermissionDenied | None = None) -> NotShared:
    """The answer to a case id that names no nomination here (never given out, or erased) and
    to one of a nomination the caller has no part in: alike (8.4c, ADR 0005)."""
    return NotShared("nomination", "case_id", decided)


# A nomination nobody has a part in: no nominating party or person, no process director, no
# usage terms (absent: refused to all but the person who nominated, and it names none).
STAND_IN = {
    "case_id": "",
    "nominating_party": "",
    "nominated_by": "",
    "status": "nominated",
    "linked_to_case_id": "",
    "asked_parties": [],
    "consent": "not_asked",
    "safety_override": False,
    "restricted": False,
}


def as_for_an_outsider(
    gate: PolicyGate, roster: RosterView, caller: Caller, action: str, now: datetime
) -> None:
    """The access decisions a refusal of a real nomination costs a caller with no part in it
    (``action``, then whether it may read it: ``_require``, ``_has_part``), asked of the engine
    on ``STAND_IN`` for a case id that names no nomination: the refusal then takes the time it
    takes for a real one (8.4c: no oracle by its time either). Their answers are not used (the
    caller is refused as for an unknown id whatever they say), nor counted, nor noted for the
    access log (they decide nothing). An engine that gives no answer is UNAVAILABLE here as
    for a real nomination (``PolicyGate.decide``)."""
    for asked in (action, "read_nomination"):
        facts = {
            "action": asked,
            "principal": principal(roster, caller),
            "nomination": STAND_IN,
            "now": rfc3339(now),
        }
        try:
            gate.engine.decide(ACCESS, facts)
        except Exception as exc:  # noqa: BLE001 - any engine failure, as the gate answers it
            raise Unavailable(f"policy {ACCESS} unavailable: denied (fail closed)") from exc


def _has_part(
    gate: PolicyGate, roster: RosterView, caller: Caller, nom: Nomination, now: datetime
) -> bool:
    """Whether the caller may learn that the nomination exists: its party nominated it, is the
    party of its process director or was asked in its triage (1.15, 12.3, 16.1), or the policy
    lets the person read it (a designated process director while it is in the intake queue).
    Such a caller is told the policy's reasons; anyone else what an unknown id is told."""
    if caller.party and (
        caller.party == nom.nominating_party
        or (nom.process_director is not None and caller.party == nom.process_director[0])
        or (nom.triage is not None and caller.party in nom.triage.asked)
    ):
        return True
    read = access_input("read_nomination", caller, nom, roster, now=now)
    return gate.decide(ACCESS, read).allow is True


def _require(
    gate: PolicyGate,
    roster: RosterView,
    caller: Caller,
    nom: Nomination,
    facts: Mapping,
    now: datetime,
) -> Decision:
    """``zorgtafel.intake.access`` on these facts; a refusal as for an unknown id to a caller
    with no part in the nomination (the access log keeps the policy's own refusal)."""
    try:
        return gate.require(ACCESS, facts)
    except PermissionDenied as denied:
        if not _has_part(gate, roster, caller, nom, now):
            raise not_shared(denied) from None
        raise


def check_access(
    gate: PolicyGate,
    roster: RosterView,
    action: str,
    caller: Caller,
    nom: Nomination,
    *,
    now: datetime,
    **extra,
) -> Decision:
    facts = access_input(action, caller, nom, roster, now=now, **extra)
    return _require(gate, roster, caller, nom, facts, now)


def check_may_know(
    gate: PolicyGate, roster: RosterView, caller: Caller, nom: Nomination, *, now: datetime
) -> None:
    """Before a state check answers FAILED_PRECONDITION naming the nomination's state: only a
    caller who may read the nomination learns its state; anyone else is refused by the policy
    first (8.4c: a process director's token claim or another case's director learns nothing)."""
    check_access(gate, roster, "read_nomination", caller, nom, now=now)


def check_may_nominate(gate: PolicyGate, roster: RosterView, caller: Caller, probing: dict) -> None:
    """``probing``: {matches, limit, window_s} of this person, {party_matches, party_limit}
    of its party (issue 13 point 7)."""
    gate.require(
        ACCESS,
        {"action": "nominate", "principal": principal(roster, caller), "probing": probing},
    )


def check_manager(gate: PolicyGate, roster: RosterView, action: str, caller: Caller) -> Decision:
    return gate.require(ACCESS, {"action": action, "principal": principal(roster, caller)})


def check_worklist(
    gate: PolicyGate, roster: RosterView, caller: Caller, *, now: datetime
) -> Decision:
    """Whether this person has a worklist; the decision's ``list_scope`` obligations name the
    relationships it holds (the intake queue, what this person took up), its ``list_terms``
    obligation how the nominating parties' usage terms bound it at ``now`` (16.2)."""
    return gate.require(
        ACCESS,
        {
            "action": "list_nominations",
            "principal": principal(roster, caller),
            "now": rfc3339(now),
        },
    )


def party_statuses(uow: UnitOfWork, parties) -> dict[str, str]:
    t = uow.tables["party_directory"]
    rows = uow.session.execute(
        select(t.c.party_id, t.c.status).where(t.c.party_id.in_(list(parties)))
    ).all()
    known = {r.party_id: r.status for r in rows}
    return {p: known.get(p, "unknown") for p in parties}


def check_asked_parties(
    gate: PolicyGate,
    roster: RosterView,
    uow: UnitOfWork,
    nom: Nomination,
    parties,
    caller: Caller,
    *,
    now: datetime,
) -> None:
    """Each candidate is decided on its own (its status, whether the provider's terms name it,
    16.2); the refusal names every refused one's reasons."""
    statuses = party_statuses(uow, parties)
    reasons: list[str] = []
    last = None
    for party in parties:
        inp = access_input("ask_in_triage", caller, nom, roster, now=now)
        inp["candidate"] = {"party": party, "status": statuses[party]}
        decision = gate.decide(ACCESS, inp)
        if decision.allow is not True:
            reasons.extend(r for r in decision.reasons if r not in reasons)
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
