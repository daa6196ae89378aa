"""What intake's handlers need beyond the unit of work (which carries the case keys), built
once by ``bootstrap.build``. It lives here, below the entrypoints and the bootstrap, so the
handlers and the servicer can name it without importing upward."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from services.intake.adapters.pseudonyms import PseudonymKey
from services.intake.settings import IntakeSettings
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.roster import NoRoster, RosterView
from zorgtafel.kernel.uow import utcnow


@dataclass(frozen=True)
class Deps:
    policy: PolicyGate
    pseudonyms: PseudonymKey
    # Who holds a Zorgtafel function (process director, manager) by appointment: the facts
    # the access policy decides on (a token role alone grants nothing, ADR 0005).
    roster: RosterView = field(default_factory=NoRoster)
    settings: IntakeSettings = field(default_factory=IntakeSettings)
    clock: Callable[[], datetime] = utcnow
