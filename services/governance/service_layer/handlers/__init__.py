"""Governance use cases, one module per group: parties and seats, meetings, proposals and votes,
decisions, membership (accession, withdrawal, exclusion), disputes, policy revisions and the
annual report.

Commands are ``handler(deps, uow, cmd, caller)``: they raise kernel errors, emit events and do
NOT commit (the servicer runs them through the kernel's ``Commands``, which commits the effect
and the stored response together). Consumed events are ``handler(deps, uow, event)``. The
seeding and timer helpers, which run outside a call, commit themselves.

"Who may do what" is asked of Rego (``zorgtafel.governance``) through ``deps.policy`` with the
facts gathered here (``common.authorise``); the covenant's counting rules are in ``domain``.
"""

from __future__ import annotations

# Seeding a party outside a call, as the kernel's tests and the benchmarks do.
from services.governance.service_layer.handlers.parties import register_party

__all__ = ["register_party"]
