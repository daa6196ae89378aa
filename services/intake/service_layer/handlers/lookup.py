"""Finding the nomination a command names."""

from __future__ import annotations

from services.intake.adapters import policy_facts
from services.intake.adapters.repository import NominationRepository
from services.intake.domain.model import Nomination, check_case_id
from services.intake.service_layer.deps import Deps
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.uow import UnitOfWork


def load(
    uow: UnitOfWork, case_id: str, deps: Deps, caller: Caller, action: str
) -> tuple[NominationRepository, Nomination]:
    """The repository and the nomination ``case_id``; when there is none (or its key was
    destroyed: the case is erased), PERMISSION_DENIED as for a nomination the caller has no
    part in, so that an id is no oracle (8.4c), after the access decisions such a refusal
    costs (``policy_facts.as_for_an_outsider``: ``action`` and whether it may know of it), so
    that the time it takes is none either. A linked nomination is directed by the process
    director of the nomination it is linked to (12.3): that fact comes with it."""
    check_case_id(case_id)
    repo = NominationRepository(uow)
    nom = repo.get(case_id)
    if nom is None:
        policy_facts.as_for_an_outsider(deps.policy, deps.roster, caller, action, deps.clock())
        raise policy_facts.not_shared()
    if nom.linked_to_case_id and nom.process_director is None:
        director = repo.director_of(nom.linked_to_case_id)
        if director is not None:
            nom.take_up(*director)
    return repo, nom
