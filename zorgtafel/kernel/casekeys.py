"""Per-case data keys (AES-256-GCM), one table definition and one store for every service.

Each key is stored wrapped by the service key ring. Sealed values are bound to their case and
column (associated data), so a ciphertext cannot be moved to another row. Destroying a case's
key (purge, erasure) makes every ciphertext of the case unreadable, backups included. Without a
key ring nothing is stored or shown: UNAVAILABLE (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import Column, LargeBinary, MetaData, String, Table, delete, insert, select
from sqlalchemy.orm import Session

from zorgtafel.kernel.crypto import KeyRing, new_data_key, opener, required_ring, seal
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.kernel.types import UtcDateTime
from zorgtafel.kernel.uow import utcnow


def add_case_keys_table(metadata: MetaData) -> Table:
    return Table(
        "case_keys",
        metadata,
        Column("case_id", String(64), primary_key=True),
        Column("wrapped_key", LargeBinary, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
    )


class CaseKeys:
    def __init__(self, keyring: KeyRing | None, table: Table) -> None:
        self._keyring = keyring
        self._table = table

    @property
    def configured(self) -> bool:
        return self._keyring is not None

    @property
    def keyring(self) -> KeyRing | None:
        """The service key ring itself, for what is sealed under no case key (a register
        spanning cases wraps its own data keys with it)."""
        return self._keyring

    def _ring(self) -> KeyRing:
        return required_ring(self._keyring, "nothing is stored or shown")

    def create(self, session: Session, case_id: str) -> bytes:
        key = new_data_key()
        session.execute(
            insert(self._table).values(
                case_id=case_id, wrapped_key=self._ring().wrap(key), created_at=utcnow()
            )
        )
        return key

    def find(self, session: Session, case_id: str) -> bytes | None:
        t = self._table
        wrapped = session.execute(
            select(t.c.wrapped_key).where(t.c.case_id == case_id)
        ).scalar_one_or_none()
        return None if wrapped is None else self._ring().unwrap(wrapped)

    def find_many(self, session: Session, case_ids: Iterable[str]) -> dict[str, bytes | None]:
        """The keys of several cases in one statement (a page of rows from many cases); a case
        whose key is gone (purged or erased) maps to None."""
        wanted = sorted(set(case_ids))
        if not wanted:
            return {}
        t = self._table
        rows = session.execute(
            select(t.c.case_id, t.c.wrapped_key).where(t.c.case_id.in_(wanted))
        ).all()
        found = {r.case_id: self._ring().unwrap(r.wrapped_key) for r in rows}
        return {case_id: found.get(case_id) for case_id in wanted}

    def get(self, session: Session, case_id: str) -> bytes:
        key = self.find(session, case_id)
        if key is None:
            raise _erased()
        return key

    def unwrap_all(self, wrapped: Mapping[str, bytes | None]) -> dict[str, bytes]:
        """Keys read as stored (``wrapped_key``, e.g. beside the rows that need them),
        unwrapped; as ``get``, a case whose key is gone (None) fails the whole call."""
        if any(key is None for key in wrapped.values()):
            raise _erased()
        ring = self._ring()
        return {case_id: ring.unwrap(key) for case_id, key in wrapped.items() if key is not None}

    def get_or_create(self, session: Session, case_id: str) -> bytes:
        key = self.find(session, case_id)
        return key if key is not None else self.create(session, case_id)

    def destroy(self, session: Session, case_id: str) -> None:
        session.execute(delete(self._table).where(self._table.c.case_id == case_id))

    @staticmethod
    def seal(key: bytes, plaintext: bytes, associated: str) -> bytes:
        return seal(key, plaintext, associated.encode())

    @staticmethod
    def open(key: bytes, sealed: bytes, associated: str) -> bytes:
        return CaseKeys.opener(key)(sealed, associated)

    @staticmethod
    def opener(key: bytes) -> Callable[[bytes, str], bytes]:
        """``open`` under one case's key with one AES-GCM context (``crypto.opener``): for the
        rows of the case a page opens."""
        open_ = opener(key)
        return lambda sealed, associated: open_(sealed, associated.encode())


def _erased() -> FailedPrecondition:
    # Crypto-shredded (the case was purged or erased): final, so not UNAVAILABLE, which a
    # client would retry for ever.
    return FailedPrecondition(
        "case_erased", "the case's data was erased (its key destroyed): none of it can be read"
    )
