"""What casework's handlers need beyond a unit of work, built once per running service by
``services/casework/bootstrap.py``. Defined here, below the bootstrap, so that handlers and
entrypoints can name it while every import still points inward (import-linter's layers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from services.casework.adapters.disclosure_client import DisclosureClient
from services.casework.settings import CaseworkSettings
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.roster import RosterView
from zorgtafel.kernel.uow import utcnow


@dataclass(frozen=True)
class Deps:
    policy: PolicyGate
    settings: CaseworkSettings
    disclosure: DisclosureClient  # asked for the pre-read set (12.2f)
    roster: RosterView  # who is a designated process director now (11.2, 12.1), from governance
    # This replica's clock for decision times (tests set one that goes back, as another
    # replica's may): Case.decide keeps a case's decisions in order whatever it says.
    clock: Callable[[], datetime] = utcnow
