"""Sealing and opening intake's sensitive columns under the case's data key (the kernel's
``CaseKeys``, ``uow.keys``). Values are JSON; every sealed value is bound to its case and column
(associated data ``<case_id>:<column>``), so a ciphertext cannot be moved to another row."""

from __future__ import annotations

import json

from zorgtafel.kernel.casekeys import CaseKeys


def dumps(value) -> str:
    """Canonical JSON (sorted keys, no spaces), as stored in the plain JSON columns too."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def seal(key: bytes, case_id: str, column: str, value) -> bytes:
    return CaseKeys.seal(key, dumps(value).encode(), f"{case_id}:{column}")


def unseal(key: bytes, case_id: str, column: str, sealed: bytes | None):
    if sealed is None:
        return None
    return json.loads(CaseKeys.open(key, sealed, f"{case_id}:{column}"))
