"""Facts intake consumes from casework, applied exactly once by the kernel's consumer."""

from __future__ import annotations

from services.intake.adapters.repository import NominationRepository
from services.intake.service_layer.deps import Deps
from zorgtafel.contracts.casework import CaseClosed, CasePurged
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def on_case_purged(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """casework purged the case (1.2: the dossier finally disappears): erase intake's copy,
    identity ciphertexts, triage answers, stored responses and events, and destroy its key."""
    case_id = event.typed(CasePurged).case_id
    purged = NominationRepository(uow).purge(case_id)
    log.info("case_purged", case_id=case_id, nominations=len(purged))


def on_case_closed(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """The case is closed in casework: the subject no longer has an open nomination."""
    case_id = event.typed(CaseClosed).case_id
    repo = NominationRepository(uow)
    repo.release_tokens(case_id)
    repo.close_routed(case_id)
