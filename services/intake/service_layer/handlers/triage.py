"""1.15 / 12.2b triage: the nomination's own process director (12.3) asks parties (the access
policy decides who may be asked, and refuses any asking while the subject refused consent and
no safety override is recorded, Bijlage 3); asked parties read the question and answer once,
before the deadline."""

from __future__ import annotations

import uuid

from services.intake.adapters import policy_facts
from services.intake.domain.commands import AnswerTriage, GetTriageQuestion, StartTriage
from services.intake.domain.model import Nomination
from services.intake.domain.triage import TriageQuestion, TriageRound
from services.intake.domain.vocabulary import Status
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers.lookup import load
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def start_triage(deps: Deps, uow: UnitOfWork, cmd: StartTriage, caller: Caller) -> Nomination:
    repo, nom = load(uow, cmd.case_id, deps, caller, "read_nomination")
    policy_facts.check_may_know(deps.policy, deps.roster, caller, nom, now=deps.clock())
    nom.require_status({Status.QUALIFIED}, "start triage on")  # before the action's policy
    policy_facts.check_access(
        deps.policy, deps.roster, "start_triage", caller, nom, now=deps.clock()
    )
    nom.take_up(caller.party, caller.person)  # one its process director left (12.3)
    now = deps.clock()
    round_ = TriageRound(
        round_id=uuid.uuid4().hex,
        deadline=cmd.deadline,
        themes=cmd.themes,
        question=cmd.question,
        started_at=now,
        answers={p: None for p in cmd.asked_parties},
    )
    nom.start_triage(round_, now)
    policy_facts.check_asked_parties(
        deps.policy, deps.roster, uow, nom, cmd.asked_parties, caller, now=deps.clock()
    )
    repo.save(nom, new_round=True)
    log.info(
        "triage_started",
        case_id=nom.case_id,
        round_id=round_.round_id,
        asked_parties=list(round_.asked),
        deadline=cmd.deadline.isoformat(),
    )
    return nom


def triage_question(
    deps: Deps, uow: UnitOfWork, query: GetTriageQuestion, caller: Caller
) -> TriageQuestion:
    _repo, nom = load(uow, query.case_id, deps, caller, "read_triage_question")
    # Named before the policy decides, so that a refusal is logged about this case too.
    saw(
        case_id=nom.case_id,
        subject=nom.subject_pseudonym,
        # whose data it is: the nominating party's privacy officer oversees who read it
        provider=nom.nominating_party,
    )
    decision = policy_facts.check_access(
        deps.policy, deps.roster, "read_triage_question", caller, nom, now=deps.clock()
    )
    t = nom.triage
    if t is None:
        raise FailedPrecondition(
            nom.status.value, "no triage round for this case", subject="triage"
        )
    saw(resource=f"triage_question:{t.round_id}", decision=decision)
    log.info("triage_question_read", case_id=nom.case_id, party=caller.party)
    return TriageQuestion(
        case_id=nom.case_id,
        round_id=t.round_id,
        subject_pseudonym=nom.subject_pseudonym,
        age_band=nom.age_band,
        themes=t.themes,
        question=t.question,
        deadline=t.deadline,
        answered=t.answers.get(caller.party) is not None,
        closed=t.closed(deps.clock()),
    )


def answer_triage(
    deps: Deps, uow: UnitOfWork, cmd: AnswerTriage, caller: Caller
) -> tuple[Nomination, bool]:
    """Record the caller's party's answer; return the nomination and whether the round closed."""
    repo, nom = load(uow, cmd.case_id, deps, caller, "answer_triage")
    policy_facts.check_access(
        deps.policy, deps.roster, "answer_triage", caller, nom, now=deps.clock()
    )
    closed = nom.answer_triage(caller.party, cmd.answer, cmd.contribution, cmd.themes, deps.clock())
    repo.save(nom, answered_party=caller.party)
    log.info(
        "triage_answered",
        case_id=nom.case_id,
        party=caller.party,
        answer=cmd.answer.value,
        round_closed=closed,
    )
    return nom, closed
