"""The handler tier: a service's use cases without gRPC or a broker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from google.protobuf.message import Message

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.app import App
    from zorgtafel.kernel.caller import Caller
    from zorgtafel.kernel.service import Platform, ServiceParts

from zorgtafel.testing.migrated import copy_migrated
from zorgtafel.testing.services import Keys, drop_schema, settings_for, shared_policy_engine

T = TypeVar("T")
E = TypeVar("E")
M = TypeVar("M", bound=Message)


@contextmanager
def handler_platform(
    service: str, data_dir: Path, database_url: str = "", **overrides: Any
) -> Iterator[tuple[Platform, ServiceParts]]:
    """Build ``service`` as the kernel would (migrated database, unit of work, embedded policy
    gate, key ring, case keys) but with no gRPC server, relay or consumer: yields
    ``(platform, parts)`` so tests call handlers and consumed-event handlers directly."""
    from zorgtafel.kernel.bootstrap import make_platform
    from zorgtafel.kernel.registry import definition

    Keys(data_dir)
    schema = f"h_{uuid.uuid4().hex[:10]}_{service}" if database_url else ""
    settings = settings_for(service, data_dir, "127.0.0.1:1", database_url, schema, **overrides)
    # At the migrations' head as the kernel would migrate it, copied from this process's
    # template (zorgtafel.testing.migrated) instead of every revision run again per test.
    copied = copy_migrated(settings)
    built = make_platform(
        settings,
        definition(service),
        shared_policy_engine(settings.policy_dir),
        run_migrations=not copied,
    )
    try:
        parts = built.definition.build(built.platform)
        built.platform.access_log.start()
        for hook in parts.on_start:
            hook()
        yield built.platform, parts
    finally:
        built.platform.stopped.set()
        built.platform.access_log.close()
        built.engine.dispose()
        if database_url:
            drop_schema(database_url, schema)


def set_party_status(platform: Platform | App, party: str, status: str = "active") -> None:
    """Put a party's status in the party projection, as governance's events would (through
    the unit of work, so a running service's in-memory directory follows at commit)."""
    from datetime import datetime, timezone

    from zorgtafel.kernel.events import InboundEvent
    from zorgtafel.kernel.parties import on_party_event

    with platform.uow_factory() as uow:
        on_party_event(
            uow,
            InboundEvent(
                id=str(uuid.uuid4()),
                type="",
                source="",
                time=None,
                subject=None,
                data={
                    "party_id": party,
                    "name": f"party {party[-2:]}",
                    "kind": "care_provider",
                    "status": status,
                    "status_since": datetime.now(timezone.utc).isoformat(),
                },
            ),
        )
        uow.commit()


def set_roster(
    platform: Platform, function: str, party: str, person: str, held: bool = True
) -> None:
    """Put an appointment (a designated process director, a seated manager) in the kernel's
    roster projection, as governance's ``RosterChanged`` would."""
    from datetime import datetime, timezone

    from zorgtafel.contracts import events as ev
    from zorgtafel.kernel.events import InboundEvent
    from zorgtafel.kernel.roster import on_roster_changed

    data = {
        "function": function,
        "party": party,
        "person": person,
        "held": held,
        "changed_at": datetime.now(timezone.utc).isoformat(),
    }
    with platform.uow_factory() as uow:
        on_roster_changed(
            uow,
            InboundEvent(
                id=str(uuid.uuid4()),
                type=ev.ROSTER_CHANGED,
                source="",
                time=None,
                subject=None,
                data=data,
                payload=ev.parse(ev.ROSTER_CHANGED, data),
            ),
        )
        uow.commit()


def deliver(
    platform: Platform,
    parts: ServiceParts,
    event_type: str,
    data: Mapping[str, Any],
    *,
    time: datetime | None = None,
) -> None:
    """Apply one event to a service as the kernel's consumer would: the data checked against
    its contract type (``ContractViolation`` when it does not fit), the handler run in one unit
    of work, committed."""
    from zorgtafel.contracts import events as ev
    from zorgtafel.kernel.events import InboundEvent

    # The topic a service consumes the type on (a kernel event, such as an access-log
    # checkpoint, is consumed on every service's topic by the same handler).
    handler = next(h[event_type] for h in parts.consumes.values() if event_type in h)
    event = InboundEvent(
        id=str(uuid.uuid4()),
        type=event_type,
        source="/test",
        time=time,
        subject=None,
        data=dict(data),
        payload=ev.parse(event_type, data),
    )
    with platform.uow_factory() as uow:
        handler(uow, event)
        uow.commit()


def restriction_changed(
    platform: Platform,
    parts: ServiceParts,
    case_id: str,
    restricted: bool,
    changed_at: datetime,
    subject_request_id: str = "",
) -> None:
    """Disclosure's fact, delivered: the controller granted (or lifted) the subject's
    restriction of the case at ``changed_at`` (Bijlage 3 "afschermen", GDPR art. 18), on the
    subject request given or a new one."""
    from zorgtafel.contracts import events as ev

    data = {
        "case_id": case_id,
        "restricted": restricted,
        "subject_request_id": subject_request_id or f"sr-{uuid.uuid4().hex[:8]}",
        "changed_at": changed_at.isoformat(),
    }
    deliver(platform, parts, ev.CASE_RESTRICTION_CHANGED, data)


def what_caller_is_told(
    platform: Platform, handler: Callable[..., object], deps: object, cmd: object, caller: Caller
) -> str | tuple[object, ...]:
    """What ``caller`` is told when ``handler(deps, uow, cmd, caller)`` runs (its unit of work
    rolled back, so a call changes nothing for the next): ``"answered"``, or the error's kind and
    every word and detail its status carries (a PERMISSION_DENIED's reasons, decision id,
    revision and policy go out with it), for tests that check two calls are answered alike."""
    from zorgtafel.kernel.errors import ZorgtafelError

    with platform.uow_factory() as uow:
        try:
            handler(deps, uow, cmd, caller)
        except ZorgtafelError as err:
            return (
                type(err).__name__,
                err.message,
                getattr(err, "reasons", None),
                getattr(err, "decision_id", None),
                getattr(err, "revision", None),
                getattr(err, "policy", None),
            )
        finally:
            uow.rollback()
    return "answered"


class CountingEngine:
    """A policy engine that counts the decisions of one package it evaluates (of every package
    when ``policy`` is None): the work a refusal costs, what its time is made of, for tests that
    check an unknown id costs what a real one the caller may not see does; everything else is
    the wrapped engine's."""

    def __init__(self, engine: Any, policy: str | None = None) -> None:
        self.engine, self.policy, self.evaluated = engine, policy, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def decide(self, policy: str, facts: Mapping[str, Any]) -> Any:
        if self.policy is None or policy == self.policy:
            self.evaluated += 1
        return self.engine.decide(policy, facts)


def logged_read(
    case_id: str,
    subject: str,
    at: datetime,
    resource: str = "",
    party: str = "00000099000000000053",
) -> Any:
    """An access-log record of an allowed read by ``party`` (Lumens by default) at ``at``, for
    tests of what happens to the log (pruning, holds); how reads are logged has its own tests."""
    from zorgtafel.kernel.accesslog.records import AccessRecord

    return AccessRecord(
        recorded_at=at,
        party=party,
        person="worker-9",
        role="care_provider",
        rpc="RequestDisclosure",
        action="read",
        result="allowed",
        resource=resource,
        case_id=case_id,
        subject_pseudonym=subject,
        provider=party,
        purpose="care",
        reasons=("need to know",),
        decision_id=uuid.uuid4().hex,
        trace_id="0" * 32,
        input_digest="0" * 64,
    )
