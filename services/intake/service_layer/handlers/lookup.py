"""Finding the nomination a command names."""

from __future__ import annotations

from services.intake.adapters.repository import NominationRepository
from services.intake.domain.model import Nomination, check_case_id
from zorgtafel.kernel.errors import NotFound
from zorgtafel.kernel.uow import UnitOfWork


def load(uow: UnitOfWork, case_id: str) -> tuple[NominationRepository, Nomination]:
    """The repository and the nomination ``case_id``; NOT_FOUND when there is none (or its
    key was destroyed: the case is erased)."""
    check_case_id(case_id)
    repo = NominationRepository(uow)
    nom = repo.get(case_id)
    if nom is None:
        raise NotFound("nomination", case_id)
    return repo, nom
