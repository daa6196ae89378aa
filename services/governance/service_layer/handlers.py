"""Governance use cases. Each takes a unit of work and a command and commits or raises."""

from __future__ import annotations

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import events
from services.governance.domain.commands import RegisterParty
from services.governance.domain.parties import (Party, PartyKind, PartyStatus, check_oin)
from zorgtafel.kernel.errors import InvalidArgument, NotFound
from zorgtafel.kernel.uow import utcnow


def register_party(uow: GovernanceUnitOfWork, cmd: RegisterParty) -> bool:
    """Register a covenant party once; return False when it was already known."""
    check_oin(cmd.party_id)
    try:
        kind, status = PartyKind(cmd.kind), PartyStatus(cmd.status)
    except ValueError as exc:
        raise InvalidArgument("kind", "unknown party kind or status") from exc
    if uow.parties.get(cmd.party_id) is not None:
        return False
    now = utcnow()
    uow.parties.add(Party(cmd.party_id, cmd.name, kind, status, now))
    uow.emit(events.PartyRegistered(party_id=cmd.party_id, name=cmd.name, kind=kind.value,
                                    status=status.value, status_since=now.isoformat()))
    uow.commit()
    return True


def list_parties(uow: GovernanceUnitOfWork, kind: PartyKind | None,
                 status: PartyStatus | None) -> list[Party]:
    return uow.parties.list(kind, status)


def get_party(uow: GovernanceUnitOfWork, party_id: str) -> Party:
    check_oin(party_id)
    party = uow.parties.get(party_id)
    if party is None:
        raise NotFound("party", party_id)
    return party


def party_status(uow: GovernanceUnitOfWork, party_id: str) -> str:
    party = uow.parties.get(party_id)
    return party.status.value if party else "unknown"
