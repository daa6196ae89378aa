"""The safety override of a refused consent (Bijlage 3, MO Den Bosch policy), recorded by the
nomination's process director, and the managers' list of probing flags (art. 11; issue 13
point 7)."""

from __future__ import annotations

from services.intake.adapters import policy_facts
from services.intake.adapters.probing import ProbeLog, ProbingFlag
from services.intake.domain import events
from services.intake.domain.assessment import SafetyOverride
from services.intake.domain.commands import ListProbingFlags, RecordSafetyOverride
from services.intake.domain.model import Nomination
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers.lookup import load
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.kernel.validate import same_person

log = get_logger("zorgtafel.intake")

# What the access log keeps of a record's resource (the kernel cuts it there).


def record_safety_override(
    deps: Deps, uow: UnitOfWork, cmd: RecordSafetyOverride, caller: Caller
) -> Nomination:
    # Bijlage 3: a colleague was consulted; naming oneself (in any case) consulted no one.
    if same_person(cmd.consulted_colleague, caller.person):
        raise InvalidArgument(
            "consulted_colleague",
            "must be a colleague other than the one recording the override (Bijlage 3)",
        )
    repo, nom = load(uow, cmd.case_id, deps, caller, "record_safety_override")
    policy_facts.check_access(
        deps.policy, deps.roster, "record_safety_override", caller, nom, now=deps.clock()
    )
    nom.take_up(caller.party, caller.person)  # one its process director left (12.3)
    now = deps.clock()
    nom.record_safety_override(
        SafetyOverride(
            reason=cmd.reason,
            consulted_colleague=cmd.consulted_colleague,
            client_informed=cmd.client_informed,
            client_information=cmd.client_information,
            recorded_by_party=caller.party,
            recorded_by=caller.person,
            recorded_at=now,
        )
    )
    repo.save(nom)
    # The reason, the colleague and how the client was informed stay sealed in intake.
    uow.emit(
        events.SafetyOverrideRecorded(
            case_id=nom.case_id,
            nominating_party=nom.nominating_party,
            process_director_party=caller.party,
            process_director_person=caller.person,
            client_informed=cmd.client_informed,
            recorded_at=now.isoformat(),
        )
    )
    log.info(
        "safety_override_recorded",
        case_id=nom.case_id,
        party=caller.party,
        client_informed=cmd.client_informed,
    )
    return nom


def probing_flags(
    deps: Deps, uow: UnitOfWork, query: ListProbingFlags, caller: Caller
) -> list[ProbingFlag]:
    decision = policy_facts.check_manager(deps.policy, deps.roster, "list_probing_flags", caller)
    flags = ProbeLog(uow).flags(query.after, query.limit)
    # The flags name employees, not a subject: the access log names the flags shown (the
    # servicer fetches one more than it shows, to know whether another page follows).
    shown = flags[: query.limit - 1]
    saw(resource=listed([f.flag_id for f in shown]), decision=decision)
    log.info(
        "probing_flags_read",
        party=caller.party,
        flags=len(flags),
        continued=query.after is not None,
    )
    return flags
