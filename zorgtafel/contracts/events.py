"""Every event type of the suite, by topic: the one explicit registry of the published
language (no discovery by reflection). Producers' dataclasses take their TYPE from the
per-service modules; consumers map these names to handlers.

Data fields are identifiers, codes and pseudonyms only: never a name, date of birth, address,
free text about a person, or item content.
"""

from __future__ import annotations

from typing import Any, Mapping

from zorgtafel.contracts.accesslog import *  # noqa: F401,F403 - re-exported names
from zorgtafel.contracts.casework import *  # noqa: F401,F403
from zorgtafel.contracts.disclosure import *  # noqa: F401,F403
from zorgtafel.contracts.enforcement import *  # noqa: F401,F403
from zorgtafel.contracts.governance import *  # noqa: F401,F403
from zorgtafel.contracts.intake import *  # noqa: F401,F403
from zorgtafel.kernel.events import ContractViolation, DomainEvent  # noqa: E402

TOPIC = {s: f"zorgtafel.{s}.v1" for s in ("intake", "casework", "governance", "disclosure")}


def _published() -> dict[str, type[DomainEvent]]:
    from zorgtafel.contracts import (
        accesslog,
        casework,
        disclosure,
        enforcement,
        governance,
        intake,
    )

    return {
        cls.TYPE: cls
        for module in (intake, casework, governance, disclosure, accesslog, enforcement)
        for cls in module.PUBLISHED
    }


# Every published event type to its typed data class (the whole published language).
EVENTS: dict[str, type[DomainEvent]] = _published()


# Revoking facts (ADR 0012): the event types that may take access away, each declared with its
# reason next to its type in the per-service modules. A consumer never parks one of these
# after handler failures: its partition waits until it is applied, and the service is not
# ready meanwhile (zorgtafel/kernel/consumer.py).
REVOKING_FACTS: frozenset[str] = (
    INTAKE_REVOKING | CASEWORK_REVOKING | GOVERNANCE_REVOKING | DISCLOSURE_REVOKING  # noqa: F405
)


def parse(event_type: str, data: Mapping[str, Any]) -> DomainEvent:
    """An inbound event's data as its published type; ``ContractViolation`` when the type is
    unknown or the data does not fit it."""
    cls = EVENTS.get(event_type)
    if cls is None:
        raise ContractViolation(f"{event_type}: not a published event type")
    return cls.from_data(data)
