"""The process director's worklist (12.2a, 12.3): the nominations this person may act on, by
relationship. The access policy decides who has a worklist (a designation on the roster, never
a token role alone) and which relationships it holds (its ``list_scope`` obligations: the
intake queue, the nominations this person took up), and how the nominating parties' usage terms
bound it at the time of the request (its ``list_terms`` obligation, 16.2: not expired, naming
the reader's party); the query lists exactly those."""

from __future__ import annotations

from services.intake.adapters import policy_facts
from services.intake.adapters.worklist import Worklist
from services.intake.domain.commands import ListNominations
from services.intake.domain.worklist import WorklistRow
from services.intake.service_layer.deps import Deps
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def list_nominations(
    deps: Deps, uow: UnitOfWork, query: ListNominations, caller: Caller
) -> list[WorklistRow]:
    now = deps.clock()
    decision = policy_facts.check_worklist(deps.policy, deps.roster, caller, now=now)
    scopes = {str(o.get("scope")) for o in decision.obligations if o.get("type") == "list_scope"}
    # 16.2: the nominating parties' usage terms bound the list as the policy says, once for the
    # whole list (the query applies it); without that obligation the list is empty.
    terms = next(
        (str(o.get("scope")) for o in decision.obligations if o.get("type") == "list_terms"),
        None,
    )
    rows = Worklist(uow).page(query, scopes, terms, caller.party, caller.person, now)
    # The access log names the nominations shown (case ids only; the servicer fetches one
    # more than it shows, to know whether another page follows).
    shown = rows[: query.limit - 1]
    saw(resource=listed([r.case_id for r in shown]), decision=decision)
    log.info(
        "worklist_read",
        party=caller.party,
        rows=len(shown),
        stage=query.stage.value if query.stage else None,
    )
    return rows
