"""Start-up: the covenant's parties and seats as shipped, and the release's baseline policy
bundle on a fresh install, registered once (safe to repeat and
to run on several replicas at once). Each commit wakes the outbox relay itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.commands import RegisterParty
from services.governance.service_layer.handlers import parties, policy_revisions


def seed_parties(uow_factory: Callable[[], GovernanceUnitOfWork], covenant: Iterable[dict]) -> int:
    """Register every party of the covenant that is not known yet: all in one transaction (one
    commit, not one per party); when another replica registered one of them meanwhile, one
    party a transaction, each known one skipped."""
    covenant = list(covenant)
    try:
        with uow_factory() as uow:
            added = sum(
                parties.add_party(uow, RegisterParty(p["party_id"], p["name"], p["kind"]))
                for p in covenant
            )
            uow.commit()
        return added
    except IntegrityError:
        pass  # another replica registered one first: the rest one by one
    added = 0
    for p in covenant:
        try:
            with uow_factory() as uow:
                added += parties.register_party(
                    uow, RegisterParty(p["party_id"], p["name"], p["kind"])
                )
        except IntegrityError:
            pass  # another replica registered it first
    return added


def seed_seats(uow_factory: Callable[[], GovernanceUnitOfWork], bodies: dict) -> int:
    try:
        with uow_factory() as uow:
            return parties.seed_seats(uow, bodies)
    except IntegrityError:
        return 0  # another replica seeded them first


def seed_baseline(
    uow_factory: Callable[[], GovernanceUnitOfWork],
    baseline: Callable[[], tuple[str, bytes]],
    now: Callable[[], datetime],
) -> bool:
    """Record the release's baseline bundle when the policy history is empty (a fresh install),
    so that it is served until the first adoption. ``baseline`` builds it (only when needed)."""
    with uow_factory() as uow:
        if uow.policies.latest() is not None:
            return False
    revision, bundle = baseline()
    with uow_factory() as uow:
        recorded = policy_revisions.record_baseline(uow, revision, bundle, now())
        uow.commit()
    return recorded is not None
