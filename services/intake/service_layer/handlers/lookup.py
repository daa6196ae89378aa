"""Finding the nomination a command names."""

from __future__ import annotations

from services.intake.adapters.repository import NominationRepository
from services.intake.domain.model import Nomination, check_case_id
from zorgtafel.kernel.errors import NotFound
from zorgtafel.kernel.uow import UnitOfWork


def load(uow: UnitOfWork, case_id: str) -> tuple[NominationRepository, Nomination]:
    """The repository and the nomination ``case_id``; NOT_FOUND when there is none (or its
    key was destroyed: the case is erased). A linked nomination is directed by the process
    director of the nomination it is linked to (12.3): that fact comes with it."""
    check_case_id(case_id)
    repo = NominationRepository(uow)
    nom = repo.get(case_id)
    if nom is None:
        raise NotFound("nomination", case_id)
    if nom.linked_to_case_id and nom.process_director is None:
        director = repo.director_of(nom.linked_to_case_id)
        if director is not None:
            nom.take_up(*director)
    return repo, nom
