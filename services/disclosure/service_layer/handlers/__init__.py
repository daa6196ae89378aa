"""Disclosure's use cases, one module per group. Commands: ``handler(deps, uow, cmd, caller)``
(the caller's effect; idempotent commands are committed by the kernel's command runner);
consumed facts: ``handler(deps, uow, event)`` (committed by the kernel's consumer).

The service gathers facts, Rego decides, the service obeys (ARCHITECTURE.md). Every
disclosure decision, allowed or denied, is appended to the hash-chained access log in the same
transaction as its event, and only after that commit does any content leave (log before
release): a failed log write answers UNAVAILABLE and releases nothing.
"""

from services.disclosure.service_layer.handlers.case_facts import upsert_case

# ``upsert_case`` is what bench/bench_disclosure.py seeds a case with.
__all__ = ["upsert_case"]
