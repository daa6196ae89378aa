"""The facts disclosure consumes, by topic and event type, each bound to the service's
dependencies (the kernel adds governance's party events for the party-status projection)."""

from __future__ import annotations

from functools import partial

from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers import case_facts as h
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.consumer import Handler


def consumption(deps: Deps) -> dict[str, dict[str, Handler]]:
    return {
        ev.TOPIC["intake"]: {
            ev.CASE_NOMINATED: partial(h.on_case_nominated, deps),
            ev.CASE_TRIAGED: partial(h.on_case_nominated, deps),
            ev.NOMINATION_FORGOTTEN: partial(h.on_nomination_forgotten, deps),
            ev.AGE_BAND_CHANGED: partial(h.on_age_band_changed, deps),
        },
        ev.TOPIC["casework"]: {
            ev.CASE_OPENED: partial(h.on_case_opened, deps),
            ev.ROLES_SET: partial(h.on_roles_set, deps),
            ev.DIRECTOR_APPOINTED: partial(h.on_director_appointed, deps),
            ev.PROCESS_DIRECTOR_CHANGED: partial(h.on_process_director_changed, deps),
            ev.DELEGATE_NAMED: partial(h.on_delegate_named, deps),
            ev.DELEGATE_RELEASED: partial(h.on_delegate_released, deps),
            ev.CASE_CLOSED: partial(h.on_case_closed, deps),
            ev.CASE_PURGED: partial(h.on_case_purged, deps),
            ev.CASE_RESTATED: partial(h.on_case_restated, deps),
        },
    }
