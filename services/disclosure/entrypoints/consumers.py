"""Consumed facts, applied exactly once by the kernel: party status (governance), the case's
subject pseudonym and age band (intake, casework), roles and information needs (casework,
art. 8.4c) and the purge (casework, art. 1.2)."""

from __future__ import annotations

import json

from services.disclosure.domain.model import AGE_BANDS
from services.disclosure.service_layer import handlers as h
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.schema import party_status_consumption
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger(__name__)


def _age_band(data) -> str | None:
    band = data.get("age_band")
    return band if band in AGE_BANDS else None


def _case_id(event: InboundEvent) -> str | None:
    case_id = str(event.data.get("case_id") or "")
    if not case_id or len(case_id) > 64:
        log.warning("event_without_case_id", type=event.type, event_id=event.id)
        return None
    return case_id


def on_roles_set(uow: UnitOfWork, event: InboundEvent) -> None:
    """Casework's roles replace the previous ones (8.4c): {OIN: {role, information_need}}."""
    case_id = _case_id(event)
    if not case_id:
        return
    roles = event.data.get("roles") or {}
    clean = {}
    if isinstance(roles, dict):
        for party, v in roles.items():
            if isinstance(v, dict):
                need = v.get("information_need") or []
                clean[str(party)] = {"role": str(v.get("role", "")),
                                     "information_need": sorted({str(c) for c in need})}
    h.upsert_case(uow, case_id, roles=json.dumps(clean, sort_keys=True))


def make_consumption(deps_ref: dict) -> dict:
    """The handlers, bound to the service's dependencies once the composition root built them.
    The case's data key is created here, on the single consumer thread, so two concurrent
    first Provides of a case never race to create it."""

    def _ensure_key(uow: UnitOfWork, case_id: str) -> None:
        try:
            deps_ref["deps"].keys.key_for(uow.session, case_id, create=True)
        except Unavailable:
            # No key ring configured: the projection is still kept; Provide fails closed.
            log.warning("case_key_not_created", case_id=case_id)

    def on_case_nominated(uow: UnitOfWork, event: InboundEvent) -> None:
        case_id = _case_id(event)
        if case_id:
            d = event.data
            h.upsert_case(uow, case_id, subject_pseudonym=d.get("subject_pseudonym"),
                          nominating_party=d.get("nominating_party"), age_band=_age_band(d))
            _ensure_key(uow, case_id)

    def on_case_opened(uow: UnitOfWork, event: InboundEvent) -> None:
        case_id = _case_id(event)
        if case_id:
            d = event.data
            h.upsert_case(uow, case_id, subject_pseudonym=d.get("subject_pseudonym"),
                          nominating_party=d.get("nominating_party"), age_band=_age_band(d),
                          opened=True)
            _ensure_key(uow, case_id)

    def on_case_purged(uow: UnitOfWork, event: InboundEvent) -> None:
        case_id = _case_id(event)
        if case_id:
            h.purge_case(uow, deps_ref["deps"], case_id)

    consumption = dict(party_status_consumption())
    consumption[ev.TOPIC["intake"]] = {ev.CASE_NOMINATED: on_case_nominated,
                                       ev.CASE_TRIAGED: on_case_nominated}
    consumption[ev.TOPIC["casework"]] = {ev.CASE_OPENED: on_case_opened,
                                         ev.ROLES_SET: on_roles_set,
                                         ev.CASE_PURGED: on_case_purged}
    return consumption
