"""Intake use cases: f(uow, deps, caller, command) -> result. They gather facts, ask the policy
(criteria, invitations, access), apply the domain transition, emit events; they never commit
(``execute_once`` commits the effect together with the stored response; the kernel
commits consumed events).

Log lines carry ids, codes and pseudonyms only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from services.intake.adapters import policy_facts
from services.intake.adapters.repository import NominationRepository
from services.intake.adapters.vault import Vault
from services.intake.domain import events
from services.intake.domain.commands import (Assess, AnswerTriage, Caller, DecideRouting,
                                             Nominate, StartTriage, Withdraw)
from services.intake.domain.model import (Nomination, Routing, Status, TriageRound,
                                          check_case_id, match_keys, parse_identity,
                                          resolve_age_band)
from zorgtafel.kernel.errors import FailedPrecondition, NotFound
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork, utcnow

log = get_logger("zorgtafel.intake")


@dataclass
class Deps:
    vault: Vault
    policy: object
    clock: Callable[[], datetime] = field(default=utcnow)


def _repo(uow: UnitOfWork, deps: Deps) -> NominationRepository:
    return NominationRepository(uow, deps.vault)


def _load(repo: NominationRepository, case_id: str) -> Nomination:
    check_case_id(case_id)
    nom = repo.get(case_id)
    if nom is None:
        raise NotFound("nomination", case_id)
    return nom


# -- 1.1 nomination -----------------------------------------------------------------------
def nominate(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: Nominate) -> Nomination:
    now = deps.clock()
    identity = parse_identity(cmd.given_names, cmd.family_name, cmd.date_of_birth, cmd.bsn,
                              cmd.v_number, now.date())
    age_band = resolve_age_band(cmd.age_band, identity.date_of_birth, now.date())
    repo = _repo(uow, deps)
    tokens = deps.vault.pseudonyms(uow, match_keys(identity))
    existing = repo.open_case_matching(tokens)
    case_id = uuid.uuid4().hex
    if existing is not None:
        # The same subject already has an open nomination: link, never double (1.1).
        linked_to, pseudonym, status = existing[0], existing[1], Status.LINKED
    else:
        linked_to, pseudonym, status = "", tokens[0], Status.NOMINATED
    nom = Nomination(
        case_id=case_id, subject_pseudonym=pseudonym, nominating_party=caller.party,
        nominated_by=caller.person, status=status, identity=identity, age_band=age_band,
        problems=cmd.problems, safety=cmd.safety, chains=cmd.chains, consent=cmd.consent,
        usage_terms=cmd.usage_terms, nominated_at=now, linked_to_case_id=linked_to)
    repo.add(nom, tokens)
    repo.claim_tokens(linked_to or case_id, tokens, primary=not linked_to)
    uow.emit(events.CaseNominated(case_id=case_id, subject_pseudonym=pseudonym,
                                  nominating_party=caller.party, age_band=age_band.value,
                                  nominated_at=now.isoformat(), linked_to_case_id=linked_to))
    log.info("case_nominated", case_id=case_id, subject_pseudonym=pseudonym,
             nominating_party=caller.party, age_band=age_band.value,
             linked_to_case_id=linked_to or None)
    return nom


# -- 12.2a assessment ---------------------------------------------------------------------
def assess(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: Assess) -> Nomination:
    repo = _repo(uow, deps)
    nom = _load(repo, cmd.case_id)
    nom.require_status({Status.NOMINATED}, "assess")  # before asking the policy
    advice = policy_facts.advise(deps.policy, nom)
    nom.assess(advice, cmd.qualifies, cmd.rejection_reason, cmd.reasons, caller.party)
    repo.save(nom)
    uow.emit(events.CaseAssessed(
        case_id=nom.case_id, qualifies=cmd.qualifies,
        advice="qualifies" if advice.qualifies else "does_not_qualify",
        criteria_held=advice.criteria_held, nominating_party=nom.nominating_party,
        policy_revision=advice.revision))
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
            uow.emit(events.CaseRejected(case_id=r.case_id, nominating_party=r.nominating_party,
                                         reason_code=cmd.rejection_reason.value))
    log.info("case_assessed", case_id=nom.case_id, subject_pseudonym=nom.subject_pseudonym,
             qualifies=cmd.qualifies, advice_qualifies=advice.qualifies,
             criteria_held=list(advice.criteria_held), policy_revision=advice.revision,
             deviates_from_advice=cmd.qualifies != advice.qualifies)
    return nom


# -- 1.15 / 12.2b triage --------------------------------------------------------------------
def start_triage(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: StartTriage) -> Nomination:
    repo = _repo(uow, deps)
    nom = _load(repo, cmd.case_id)
    now = deps.clock()
    round_ = TriageRound(round_id=uuid.uuid4().hex, deadline=cmd.deadline, themes=cmd.themes,
                         question=cmd.question, started_at=now,
                         answers={p: None for p in cmd.asked_parties})
    nom.start_triage(round_, now)
    policy_facts.check_asked_parties(deps.policy, uow, nom, cmd.asked_parties, caller)
    repo.save(nom, new_round=True)
    log.info("triage_started", case_id=nom.case_id, round_id=round_.round_id,
             asked_parties=list(round_.asked), deadline=cmd.deadline.isoformat())
    return nom


def triage_question(uow: UnitOfWork, deps: Deps, caller: Caller, case_id: str) -> Nomination:
    repo = _repo(uow, deps)
    nom = _load(repo, case_id)
    policy_facts.check_access(deps.policy, "read_triage_question", caller, nom)
    if nom.triage is None:
        raise FailedPrecondition(nom.status.value, "no triage round for this case",
                                 subject="triage")
    log.info("triage_question_read", case_id=nom.case_id, party=caller.party)
    return nom


def answer_triage(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: AnswerTriage) -> tuple[Nomination, bool]:
    repo = _repo(uow, deps)
    nom = _load(repo, cmd.case_id)
    policy_facts.check_access(deps.policy, "answer_triage", caller, nom)
    closed = nom.answer_triage(caller.party, cmd.answer, cmd.contribution, cmd.themes,
                               deps.clock())
    repo.save(nom, answered_party=caller.party)
    log.info("triage_answered", case_id=nom.case_id, party=caller.party,
             answer=cmd.answer.value, round_closed=closed)
    return nom, closed


def decide_routing(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: DecideRouting) -> Nomination:
    repo = _repo(uow, deps)
    nom = _load(repo, cmd.case_id)
    nom.decide_routing(cmd.routing, cmd.meeting, cmd.reason_code, caller.party, deps.clock())
    if cmd.meeting is not None:
        # 12.2e: only parties that may lawfully attend are invited; the policy decides each.
        policy_facts.check_invitees(deps.policy, uow, nom, cmd.meeting,
                                    nom.lawful_themes(cmd.lawful_themes))
    repo.save(nom)
    if cmd.routing != Routing.CASE_MEETING:
        # Back to regular care or on to a ZVH: intake's part ends, casework opens no case.
        repo.release_tokens(nom.case_id)
    linked = repo.linked_case_ids(nom.case_id)
    m = cmd.meeting
    uow.emit(events.CaseTriaged(
        case_id=nom.case_id, subject_pseudonym=nom.subject_pseudonym,
        nominating_party=nom.nominating_party, age_band=nom.age_band.value,
        routing=cmd.routing.value, goal_code=m.goal_code if m else "",
        themes=m.themes if m else (), decision_types=m.decision_types if m else (),
        invitees=m.invitees if m else (), process_director_party=caller.party,
        reason_code=cmd.reason_code, linked_case_ids=tuple(linked)))
    log.info("case_triaged", case_id=nom.case_id, subject_pseudonym=nom.subject_pseudonym,
             routing=cmd.routing.value, invitees=list(m.invitees) if m else [])
    return nom


# -- reading and withdrawing ----------------------------------------------------------------
def get_nomination(uow: UnitOfWork, deps: Deps, caller: Caller, case_id: str) -> tuple[Nomination, list[str]]:
    repo = _repo(uow, deps)
    nom = _load(repo, case_id)
    policy_facts.check_access(deps.policy, "read_nomination", caller, nom)
    log.info("nomination_read", case_id=nom.case_id, party=caller.party, role=caller.role)
    return nom, repo.linked_case_ids(nom.case_id, status=None)


def withdraw(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: Withdraw) -> Nomination:
    repo = _repo(uow, deps)
    nom = _load(repo, cmd.case_id)
    policy_facts.check_access(deps.policy, "withdraw_nomination", caller, nom)
    was_primary = nom.status != Status.LINKED
    nom.withdraw()
    repo.save(nom)
    if was_primary:
        # The next duplicate nomination of the subject, if any, carries the case on.
        linked = repo.linked_case_ids(nom.case_id)
        if linked:
            successor = repo.get(linked[0])
            if successor is not None:
                successor.status = Status.NOMINATED
                repo.save(successor)
                repo.relink(nom.case_id, successor.case_id)
                n = uow.tables["nominations"]
                uow.session.execute(n.update().where(n.c.case_id == successor.case_id)
                                    .values(linked_to_case_id=None))
                repo.release_tokens(nom.case_id, to_case=successor.case_id)
            else:
                repo.release_tokens(nom.case_id)
        else:
            repo.release_tokens(nom.case_id)
    uow.emit(events.NominationWithdrawn(case_id=nom.case_id,
                                        nominating_party=nom.nominating_party,
                                        reason_code=cmd.reason_code))
    log.info("nomination_withdrawn", case_id=nom.case_id, reason_code=cmd.reason_code or None)
    return nom


# -- consumed facts -----------------------------------------------------------------------
def purge_case(uow: UnitOfWork, case_id: str) -> list[str]:
    """casework purged the case (1.2 de-escalation, retention): erase intake's copy too."""
    purged = NominationRepository(uow, Vault(None)).purge(case_id)
    log.info("case_purged", case_id=case_id, nominations=len(purged))
    return purged


def close_case(uow: UnitOfWork, case_id: str) -> None:
    NominationRepository(uow, Vault(None)).release_tokens(case_id)
    n = uow.tables["nominations"]
    uow.session.execute(n.update().where(n.c.case_id == case_id,
                                         n.c.status == Status.ROUTED.value)
                        .values(status=Status.CLOSED.value, updated_at=utcnow(),
                                version=n.c.version + 1))


__all__ = ["Deps", "nominate", "assess", "start_triage", "triage_question", "answer_triage",
           "decide_routing", "get_nomination", "withdraw", "purge_case", "close_case"]
