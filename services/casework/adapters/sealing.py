"""Sealed columns of casework: text sealed under the case's own data key (the kernel's
``CaseKeys``), bound to what it belongs to by its associated data (``case:<id>:subject``,
``meeting:<id>:minutes``, ``action:<id>:what`` ...); and the base of the case repositories."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zorgtafel.kernel.casekeys import CaseKeys


def seal(key: bytes, text: str, associated: str) -> bytes:
    return CaseKeys.seal(key, text.encode("utf-8"), associated)


def unseal(key: bytes, sealed: bytes | None, associated: str) -> str:
    """The text of a sealed column; "" for a column that holds nothing (or was cleansed)."""
    if sealed is None:
        return ""
    return CaseKeys.open(key, sealed, associated).decode("utf-8")


class SealedRows:
    """Rows over a unit of work's session, sealed under the case keys ``keys``."""

    def __init__(self, session: Session, keys: CaseKeys) -> None:
        self._s = session
        self.keys = keys
