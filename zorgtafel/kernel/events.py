"""Events as the domain sees them: frozen dataclasses out, ``InboundEvent`` in. Pure Python,
so domain code may import it; the CloudEvents/Kafka binding is in ``zorgtafel.kernel.wire``.

Each producing service lists its event classes in an explicit ``EventRegistry`` (no discovery by
reflection). An event carries identifiers and pseudonyms only, never personal data or content.
Consumers receive an ``InboundEvent`` (type, id, data dict) and never import another service's
classes: the published language is the type name and the data fields.
"""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Iterable, Mapping, TypeVar, get_origin, get_type_hints


@dataclass(frozen=True)
class DomainEvent:
    """Base of every domain event. Subclasses set ``TYPE`` and say which field is the key."""

    TYPE: ClassVar[str] = ""
    KEY_FIELD: ClassVar[str] = "case_id"

    @property
    def key(self) -> str:
        return str(getattr(self, self.KEY_FIELD))

    def case_ref(self) -> str | None:
        """The case this event is about, so a purge can find its outbox rows."""
        value = getattr(self, "case_id", None)
        return str(value) if value else None

    def to_data(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_data(cls: type[E], data: Mapping[str, Any]) -> E:
        """The event from its wire data, checked field by field against the dataclass's types
        (str, bool, int, tuple[str, ...], dict). Fields the type does not know are ignored (a
        newer producer may add some); a missing or mistyped field raises ``ContractViolation``,
        and the consumer sets the event aside as a dead letter."""
        hints = _hints(cls)
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    raise ContractViolation(f"{cls.TYPE}: {f.name} is missing")
                continue
            values[f.name] = _typed(cls.TYPE, f.name, hints[f.name], data[f.name])
        return cls(**values)


def decided_at(value: object) -> datetime | None:
    """When the producer decided what an event says (an ISO 8601 time with its zone, such as
    ``changed_at`` or ``status_since``): the order of the decisions about one thing, whatever
    order their events arrive in (a re-sent batch, a key moved to another partition). None when
    it is not such a time: a consumer then cannot place it after an earlier decision."""
    if not isinstance(value, str) or not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at.astimezone(timezone.utc) if at.tzinfo is not None else None


DECISION_STEP = timedelta(microseconds=1)


def next_decision_time(now: datetime, last: datetime | None) -> datetime:
    """When a producer decides the next change about one thing (a case, a party, a roster
    entry) whose last decision it stored as ``last``: its clock's ``now``, but never at or
    before ``last``. Decisions about one thing are serialised by the lock on its row, yet the
    clock is the local one of whichever replica handled the request, and two replicas' clocks
    may differ by more than the gap between two decisions: a release could then carry an
    earlier time than the naming it ends, and a consumer (``in_decision_order``) would ignore
    it. The producer stores the result as the thing's new ``last`` in that same locked row."""
    if last is None or now > last:
        return now
    return last + DECISION_STEP


def in_decision_order(at: datetime | None, held: datetime | None, *, grants: bool) -> bool:
    """Whether a change decided at ``at`` is applied to a projected row whose last applied
    change was decided at ``held`` (None: the row holds no decision time). A change older than
    the one held arrived late and changes nothing; of two decided at the same time (a repeat)
    only the one that ``grants`` nothing is applied again, so ties err to less access.

    A change without a time (``at`` None) comes from a producer from before the field: it was
    decided before every change with a time, so one that ``grants`` applies only while the row
    holds none (in arrival order, as before the field), and one that takes away (a release, an
    end) always applies (fail closed: at worst it takes away what a later change gave, until
    the producer decides again). The caller keeps ``held`` for such a change, so it never
    makes a later timed change look late."""
    if at is None:
        return held is None or not grants
    if held is None:
        return True
    return at > held if grants else at >= held


def restatement_decides(as_of: datetime | None, held: datetime | None) -> bool:
    """Whether a producer's restatement of a thing (the facts it holds as of ``as_of``, its
    last decision they hold, such as casework's ``CASE_RESTATED``) decides a fact a consumer
    holds as decided at ``held``: it holds every decision up to its time, so it does unless the
    fact was decided after it. Without a time it is older than every timed decision (the
    producer stamps each since), so it decides only a fact held without one."""
    return held is None or (as_of is not None and as_of >= held)


class ContractViolation(ValueError):
    """Event data that does not fit its published type (never carries the data itself)."""


E = TypeVar("E", bound=DomainEvent)


def _hints(cls: type) -> dict[str, Any]:
    cached = _HINTS.get(cls)
    if cached is None:
        cached = _HINTS[cls] = get_type_hints(cls)
    return cached


_HINTS: dict[type, dict[str, Any]] = {}


def _typed(event_type: str, name: str, hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is str:
        ok = isinstance(value, str)
    elif origin is tuple:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    elif hint is dict or origin is dict:
        ok = isinstance(value, dict)
    else:  # pragma: no cover - a contract field of a type this check does not know
        raise TypeError(f"{event_type}: field {name} has an unsupported type {hint!r}")
    if not ok:
        raise ContractViolation(f"{event_type}: {name} is not a {getattr(hint, '__name__', hint)}")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class EventRegistry:
    """The explicit list of event types a service publishes."""

    def __init__(self, classes: Iterable[type[DomainEvent]]) -> None:
        self._by_type: dict[str, type[DomainEvent]] = {}
        for cls in classes:
            if not cls.TYPE or cls.TYPE in self._by_type:
                raise ValueError(f"event type missing or registered twice: {cls.__name__}")
            self._by_type[cls.TYPE] = cls

    def __contains__(self, event_type: str) -> bool:
        return event_type in self._by_type

    def types(self) -> list[str]:
        return sorted(self._by_type)

    def classes(self) -> list[type[DomainEvent]]:
        return [self._by_type[t] for t in sorted(self._by_type)]

    def check(self, event: DomainEvent) -> None:
        if self._by_type.get(event.TYPE) is not type(event):
            raise ValueError(f"event {type(event).__name__} is not registered")


@dataclass(frozen=True)
class InboundEvent:
    id: str
    type: str
    source: str
    time: datetime | None
    subject: str | None
    data: Mapping[str, Any]
    key: str | None = None
    traceparent: str | None = None
    # The data as its published type (``zorgtafel.contracts``), checked on the way in by the
    # consumer for every event a service handles; handlers take it with ``typed``.
    payload: DomainEvent | None = None

    def typed(self, cls: builtins.type[E]) -> E:  # ``type`` is a field here
        """The event's data as ``cls`` (``event.typed(CaseTriaged).routing``)."""
        if not isinstance(self.payload, cls):
            raise ContractViolation(f"{self.type}: not a {cls.__name__}")
        return self.payload
