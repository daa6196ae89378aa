"""Per-case data keys (AES-256-GCM), stored wrapped by the service key ring. Destroying a
case's key (purge) makes every ciphertext of the case unreadable, backups included."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import case_keys
from zorgtafel.kernel.crypto import KeyRing, new_data_key, open_sealed, seal
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.uow import utcnow


class CaseKeys:
    def __init__(self, keyring: KeyRing | None) -> None:
        self._keyring = keyring

    def _ring(self) -> KeyRing:
        if self._keyring is None:
            raise Unavailable("encryption keys are not configured: nothing is stored or "
                              "released (fail closed)")
        return self._keyring

    def key_for(self, session: Session, case_id: str, *, create: bool) -> bytes | None:
        row = session.execute(select(case_keys.c.wrapped_key).where(
            case_keys.c.case_id == case_id)).first()
        if row is not None:
            return self._ring().unwrap(row.wrapped_key)
        if not create:
            return None
        key = new_data_key()
        session.execute(insert(case_keys).values(case_id=case_id,
                                                 wrapped_key=self._ring().wrap(key),
                                                 created_at=utcnow()))
        return key

    def destroy(self, session: Session, case_id: str) -> None:
        session.execute(delete(case_keys).where(case_keys.c.case_id == case_id))

    @staticmethod
    def seal(key: bytes, plaintext: bytes, associated: str) -> bytes:
        return seal(key, plaintext, associated.encode())

    @staticmethod
    def open(key: bytes, sealed: bytes, associated: str) -> bytes:
        return open_sealed(key, sealed, associated.encode())
