"""Disclosure on its own clock (kernel/scheduler.py, issue #14): a withdrawn consent is kept
for its retention period (policies/rego/retention, kind ``consent``) as evidence of what was
lawful when, then deleted. A consent in force goes with its case's purge. A decided subject
request is kept for its period (kind ``subject_request``) as the controller's account of how it
was handled, then deleted; a granted restriction stays while the restriction is in force.
Neither goes while a restriction of its case, or of the item it names, holds (GDPR art. 18).
What casework's purge left here because a restriction held it (``on_case_purged``) is purged at
the first tick after the lifting (no period: the case's went by when casework purged it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.service_layer.handlers.case_facts import purge_held_case
from zorgtafel.kernel.uow import UnitOfWork

CONSENT = "consent"  # the retention kinds (policies/rego/retention/data.json)
SUBJECT_REQUEST = "subject_request"

UowFactory = Callable[[], UnitOfWork]


def withdrawn_consents_due(
    uow_factory: UowFactory, period: timedelta | None, now: datetime
) -> list[str]:
    assert period is not None  # the task names a kind: the scheduler passes its period
    with cast(DisclosureUnitOfWork, uow_factory()) as uow:
        return uow.consents.withdrawn_before(now - period)


def delete_withdrawn_consent(
    uow_factory: UowFactory, consent_id: str, period: timedelta | None, now: datetime
) -> bool:
    assert period is not None
    with cast(DisclosureUnitOfWork, uow_factory()) as uow:
        if not uow.consents.delete_withdrawn(consent_id, now - period):
            return False
        uow.commit()
        return True


def decided_requests_due(
    uow_factory: UowFactory, period: timedelta | None, now: datetime
) -> list[str]:
    assert period is not None
    with cast(DisclosureUnitOfWork, uow_factory()) as uow:
        return uow.subject_requests.decided_before(now - period)


def delete_decided_request(
    uow_factory: UowFactory, subject_request_id: str, period: timedelta | None, now: datetime
) -> bool:
    assert period is not None
    with cast(DisclosureUnitOfWork, uow_factory()) as uow:
        if not uow.subject_requests.delete_decided(subject_request_id, now - period):
            return False
        uow.commit()
        return True


def held_purges_due(uow_factory: UowFactory, period: timedelta | None, now: datetime) -> list[str]:
    with cast(DisclosureUnitOfWork, uow_factory()) as uow:
        return uow.cases.held_purges_lifted()


def purge_held(
    uow_factory: UowFactory, case_id: str, period: timedelta | None, now: datetime
) -> bool:
    with cast(DisclosureUnitOfWork, uow_factory()) as uow:
        if not purge_held_case(uow, case_id):
            return False
        uow.commit()
        return True
