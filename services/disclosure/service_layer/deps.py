"""What disclosure's handlers need besides a unit of work, built once by ``bootstrap.build``
(defined here so that handlers and entrypoints can name it: arrows point inward)."""

from __future__ import annotations

from dataclasses import dataclass

from services.disclosure.adapters.registers import ProcessingRegister
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.roster import RosterView


@dataclass(frozen=True)
class Deps:
    policy: PolicyGate  # asks Rego and obeys (PERMISSION_DENIED / UNAVAILABLE)
    register: ProcessingRegister  # the processing activities (Bijlage 3, GDPR art. 30)
    # who holds a Zorgtafel function by appointment (governance's roster, ADR 0005)
    roster: RosterView
