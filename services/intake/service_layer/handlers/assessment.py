"""12.2a assessment: a designated process director judges each criterion of Bijlage 2 with its
grounds; the criteria policy decides whether the judged criteria make a Zorgtafel case (art.
1.4) and advises on the facts the nominating party stated. The process director who assesses a
nomination from the intake queue takes it up, on behalf of the nominating party (12.3)."""

from __future__ import annotations

from services.intake.adapters import policy_facts
from services.intake.domain import events
from services.intake.domain.commands import Assess
from services.intake.domain.model import Nomination
from services.intake.domain.vocabulary import Status
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers.lookup import load
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def assess(deps: Deps, uow: UnitOfWork, cmd: Assess, caller: Caller) -> Nomination:
    repo, nom = load(uow, cmd.case_id, deps, caller, "read_nomination")
    policy_facts.check_may_know(deps.policy, deps.roster, caller, nom, now=deps.clock())
    nom.require_status({Status.NOMINATED}, "assess")  # before the action's policy
    policy_facts.check_access(deps.policy, deps.roster, "assess", caller, nom, now=deps.clock())
    advice = policy_facts.advise(deps.policy, nom)
    met = policy_facts.judge(deps.policy, nom, cmd.criteria)
    nom.assess(
        advice,
        cmd.criteria,
        met,
        cmd.qualifies,
        cmd.rejection_reason,
        cmd.reasons,
        caller.party,
    )
    nom.take_up(caller.party, caller.person)
    repo.save(nom)
    judged_held = tuple(k for k, v in cmd.criteria.holds().items() if v)
    uow.emit(
        events.CaseAssessed(
            case_id=nom.case_id,
            qualifies=cmd.qualifies,
            advice="qualifies" if advice.qualifies else "does_not_qualify",
            criteria_held=advice.criteria_held,
            nominating_party=nom.nominating_party,
            policy_revision=advice.revision,
            judged_held=judged_held,
        )
    )
    rejected = []
    if not cmd.qualifies:
        rejected.append(nom)
        # Duplicate nominations of the same subject share the outcome; each nominating party
        # learns why (12.2a).
        for linked_id in repo.linked_case_ids(nom.case_id):
            linked = repo.get(linked_id)
            if linked is None:
                continue
            linked.status = Status.REJECTED
            linked.rejection_reason = cmd.rejection_reason
            repo.save(linked)
            rejected.append(linked)
        repo.release_tokens(nom.case_id)
        for r in rejected:
            uow.emit(
                events.CaseRejected(
                    case_id=r.case_id,
                    nominating_party=r.nominating_party,
                    reason_code=cmd.rejection_reason.value,
                )
            )
    log.info(
        "case_assessed",
        case_id=nom.case_id,
        subject_pseudonym=nom.subject_pseudonym,
        qualifies=cmd.qualifies,
        judged_held=list(judged_held),
        advice_qualifies=advice.qualifies,
        criteria_held=list(advice.criteria_held),
        policy_revision=advice.revision,
        process_director_party=nom.process_director_party,
    )
    return nom
