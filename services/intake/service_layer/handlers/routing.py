"""Routing after triage (12.2b-e, Bijlage 2): a case meeting with lawfully invited parties,
regular care, or escalation to a ZVH at any time. Decided by the nomination's own process
director (12.3); an escalation straight from the intake queue takes the nomination up. A case
meeting shares the subject's data with other parties: refused while consent is refused and no
safety override is recorded (Bijlage 3); escalation stays possible."""

from __future__ import annotations

from services.intake.adapters import policy_facts
from services.intake.domain import events
from services.intake.domain.commands import DecideRouting
from services.intake.domain.model import Nomination
from services.intake.domain.vocabulary import Routing
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers.lookup import load
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def decide_routing(deps: Deps, uow: UnitOfWork, cmd: DecideRouting, caller: Caller) -> Nomination:
    repo, nom = load(uow, cmd.case_id, deps, caller, "read_nomination")
    policy_facts.check_may_know(deps.policy, deps.roster, caller, nom, now=deps.clock())
    # The facts as they were before the transition; the state is checked first.
    facts = policy_facts.access_input(
        "decide_routing", caller, nom, deps.roster, now=deps.clock(), routing=cmd.routing.value
    )
    nom.decide_routing(cmd.routing, cmd.meeting, cmd.reason_code, deps.clock())
    deps.policy.require(policy_facts.ACCESS, facts)
    nom.take_up(caller.party, caller.person)
    if cmd.meeting is not None:
        # 12.2e: only parties that may lawfully attend are invited; the policy decides each.
        policy_facts.check_invitees(
            deps.policy, uow, nom, cmd.meeting, nom.lawful_themes(cmd.lawful_themes)
        )
    repo.save(nom)
    linked = repo.linked_case_ids(nom.case_id)
    if cmd.routing != Routing.CASE_MEETING:
        # Back to regular care or on to a ZVH: intake's part ends, casework opens no case.
        # The nominations linked to it (the same subject) share the outcome, as a rejection's:
        # left linked, they outlived it and, once it was forgotten, sat without a process
        # director where any designated one read them as the intake queue's (12.3).
        for linked_id in linked:
            other = repo.get(linked_id)
            if other is not None:
                other.route_with(nom)
                repo.save(other)
        repo.release_tokens(nom.case_id)
    m = cmd.meeting
    uow.emit(
        events.CaseTriaged(
            case_id=nom.case_id,
            subject_pseudonym=nom.subject_pseudonym,
            nominating_party=nom.nominating_party,
            age_band=nom.age_band.value,
            routing=cmd.routing.value,
            goal_code=m.goal_code if m else "",
            themes=m.themes if m else (),
            decision_types=m.decision_types if m else (),
            invitees=m.invitees if m else (),
            process_director_party=nom.process_director_party,
            process_director_person=nom.process_director_person,
            reason_code=cmd.reason_code,
            linked_case_ids=tuple(linked),
        )
    )
    log.info(
        "case_triaged",
        case_id=nom.case_id,
        subject_pseudonym=nom.subject_pseudonym,
        routing=cmd.routing.value,
        invitees=list(m.invitees) if m else [],
    )
    return nom
