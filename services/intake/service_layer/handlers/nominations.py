"""1.1 nomination, reading a nomination, and its withdrawal by the nominating party (16.1)."""

from __future__ import annotations

import uuid

from services.intake.adapters import policy_facts
from services.intake.adapters.repository import NominationRepository
from services.intake.domain import events
from services.intake.domain.commands import GetNomination, Nominate, Withdraw
from services.intake.domain.model import Nomination
from services.intake.domain.subject import match_keys, parse_identity, resolve_age_band
from services.intake.domain.vocabulary import Status
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers.lookup import load
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def nominate(deps: Deps, uow: UnitOfWork, cmd: Nominate, caller: Caller) -> Nomination:
    now = deps.clock()
    identity = parse_identity(
        cmd.given_names, cmd.family_name, cmd.date_of_birth, cmd.bsn, cmd.v_number, now.date()
    )
    age_band = resolve_age_band(cmd.age_band, identity.date_of_birth, now.date())
    repo = NominationRepository(uow)
    tokens = deps.pseudonyms.pseudonyms(uow, match_keys(identity))
    existing = repo.open_case_matching(tokens)
    case_id = uuid.uuid4().hex
    if existing is not None:
        # The same subject already has an open nomination: link, never double (1.1).
        linked_to, pseudonym, status = existing[0], existing[1], Status.LINKED
    else:
        linked_to, pseudonym, status = "", tokens[0], Status.NOMINATED
    nom = Nomination(
        case_id=case_id,
        subject_pseudonym=pseudonym,
        nominating_party=caller.party,
        nominated_by=caller.person,
        status=status,
        identity=identity,
        age_band=age_band,
        problems=cmd.problems,
        safety=cmd.safety,
        chains=cmd.chains,
        consent=cmd.consent,
        usage_terms=cmd.usage_terms,
        nominated_at=now,
        linked_to_case_id=linked_to,
    )
    repo.add(nom, tokens)
    repo.claim_tokens(linked_to or case_id, tokens, primary=not linked_to)
    uow.emit(
        events.CaseNominated(
            case_id=case_id,
            subject_pseudonym=pseudonym,
            nominating_party=caller.party,
            age_band=age_band.value,
            nominated_at=now.isoformat(),
            linked_to_case_id=linked_to,
        )
    )
    log.info(
        "case_nominated",
        case_id=case_id,
        subject_pseudonym=pseudonym,
        nominating_party=caller.party,
        age_band=age_band.value,
        linked_to_case_id=linked_to or None,
    )
    return nom


def get_nomination(
    deps: Deps, uow: UnitOfWork, query: GetNomination, caller: Caller
) -> tuple[Nomination, list[str]]:
    """The nomination and the ids of every nomination linked to it."""
    repo, nom = load(uow, query.case_id)
    policy_facts.check_access(deps.policy, "read_nomination", caller, nom)
    log.info("nomination_read", case_id=nom.case_id, party=caller.party, role=caller.role)
    return nom, repo.linked_case_ids(nom.case_id, status=None)


def withdraw(deps: Deps, uow: UnitOfWork, cmd: Withdraw, caller: Caller) -> Nomination:
    repo, nom = load(uow, cmd.case_id)
    policy_facts.check_access(deps.policy, "withdraw_nomination", caller, nom)
    was_primary = nom.status != Status.LINKED
    nom.withdraw()
    repo.save(nom)
    if was_primary:
        _pass_on(repo, nom)
    uow.emit(
        events.NominationWithdrawn(
            case_id=nom.case_id, nominating_party=nom.nominating_party, reason_code=cmd.reason_code
        )
    )
    log.info("nomination_withdrawn", case_id=nom.case_id, reason_code=cmd.reason_code or None)
    return nom


def _pass_on(repo: NominationRepository, withdrawn: Nomination) -> None:
    """The next duplicate nomination of the subject, if any, carries the case on."""
    linked = repo.linked_case_ids(withdrawn.case_id)
    successor = repo.get(linked[0]) if linked else None
    if successor is None:
        repo.release_tokens(withdrawn.case_id)
        return
    successor.status = Status.NOMINATED
    repo.save(successor)
    repo.relink(withdrawn.case_id, successor.case_id)
    repo.unlink(successor.case_id)
    repo.release_tokens(withdrawn.case_id, to_case=successor.case_id)
