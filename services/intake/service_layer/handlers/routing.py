"""Routing after triage (12.2b-e, Bijlage 2): a case meeting with lawfully invited parties,
regular care, or escalation to a ZVH at any time."""

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
    repo, nom = load(uow, cmd.case_id)
    nom.decide_routing(cmd.routing, cmd.meeting, cmd.reason_code, caller.party, deps.clock())
    if cmd.meeting is not None:
        # 12.2e: only parties that may lawfully attend are invited; the policy decides each.
        policy_facts.check_invitees(
            deps.policy, uow, nom, cmd.meeting, nom.lawful_themes(cmd.lawful_themes)
        )
    repo.save(nom)
    if cmd.routing != Routing.CASE_MEETING:
        # Back to regular care or on to a ZVH: intake's part ends, casework opens no case.
        repo.release_tokens(nom.case_id)
    linked = repo.linked_case_ids(nom.case_id)
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
            process_director_party=caller.party,
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
