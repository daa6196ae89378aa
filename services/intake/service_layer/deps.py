"""What intake's handlers need beyond the unit of work (which carries the case keys), built
once by ``bootstrap.build``. It lives here, below the entrypoints and the bootstrap, so the
handlers and the servicer can name it without importing upward."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.intake.adapters.pseudonyms import PseudonymKey
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.uow import utcnow


@dataclass(frozen=True)
class Deps:
    policy: PolicyGate
    pseudonyms: PseudonymKey
    clock: Callable[[], datetime] = utcnow
