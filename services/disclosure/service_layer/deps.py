"""What disclosure's handlers need besides a unit of work, built once by ``bootstrap.build``
(defined here so that handlers and entrypoints can name it: arrows point inward)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from services.disclosure.adapters.registers import ProcessingRegister
from zorgtafel.kernel.accesslog.checkpoint import PublicKey
from zorgtafel.kernel.accesslog.group import GroupCommitLog
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.roster import RosterView
from zorgtafel.kernel.subjectdata.client import SubjectDataPeers
from zorgtafel.kernel.uow import utcnow


@dataclass(frozen=True)
class Deps:
    policy: PolicyGate  # asks Rego and obeys (PERMISSION_DENIED / UNAVAILABLE)
    register: ProcessingRegister  # the processing activities (Bijlage 3, GDPR art. 30)
    # who holds a Zorgtafel function by appointment (governance's roster, ADR 0005)
    roster: RosterView
    # The access log's group committer (the kernel's): concurrent requests share a commit.
    access_log: GroupCommitLog
    # The keys the access log's checkpoints are verified with (the current and retired ones).
    log_keys: tuple[PublicKey, ...] = ()
    # The other services' SubjectDataService, asked for the subject access report (issue #14);
    # None: not configured, the report is UNAVAILABLE (fail closed).
    peers: SubjectDataPeers | None = None
    # This replica's clock for decision times (tests set one that goes back, as another
    # replica's may): a case's consent changes are still stamped in order (next_decision_time).
    clock: Callable[[], datetime] = utcnow
