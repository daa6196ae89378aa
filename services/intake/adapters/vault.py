"""Encryption at rest and pseudonymisation for intake.

* Per-case data keys (AES-256-GCM), wrapped by the service key ring and stored in
  ``case_keys``; every sealed column is bound to its case and column (associated data), so a
  ciphertext cannot be moved to another row. Destroying the key erases the case.
* The subject pseudonym: HMAC-SHA256 over a normalised identity fact with a random 256-bit
  pseudonym key that is itself stored wrapped by the key ring (``service_secrets``). Without
  the key ring nobody can recompute or test a pseudonym, so it is not a plain hash of a BSN or a
  name that anyone could brute-force (GDPR art. 32, Bijlage 3 pseudonymisation).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from zorgtafel.kernel import crypto
from zorgtafel.kernel.crypto import KeyRing
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.uow import utcnow

PSEUDONYM_SECRET = "subject_pseudonym_key.v1"  # nosec B105 - the stored secret's name, not a secret
_DOMAIN = b"zorgtafel.intake.subject_pseudonym.v1\x00"


class Vault:
    def __init__(self, keyring: KeyRing | None) -> None:
        self._keyring = keyring
        self._pseudonym_key: bytes | None = None
        self._lock = threading.Lock()

    def _ring(self) -> KeyRing:
        if self._keyring is None:
            raise Unavailable("encryption keys are not configured: intake cannot store "
                              "personal data (fail closed)")
        return self._keyring

    # -- per-case data keys ---------------------------------------------------------------
    def new_case_key(self, uow, case_id: str) -> bytes:
        key = crypto.new_data_key()
        uow.session.execute(insert(uow.tables["case_keys"]).values(
            case_id=case_id, wrapped_key=self._ring().wrap(key), created_at=utcnow()))
        return key

    def case_key(self, uow, case_id: str) -> bytes | None:
        t = uow.tables["case_keys"]
        wrapped = uow.session.execute(select(t.c.wrapped_key).where(
            t.c.case_id == case_id)).scalar_one_or_none()
        return None if wrapped is None else self._ring().unwrap(wrapped)

    @staticmethod
    def destroy_case_key(uow, case_id: str) -> None:
        t = uow.tables["case_keys"]
        uow.session.execute(delete(t).where(t.c.case_id == case_id))

    @staticmethod
    def seal(key: bytes, case_id: str, column: str, value) -> bytes:
        plaintext = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
        return crypto.seal(key, plaintext, f"{case_id}:{column}".encode())

    @staticmethod
    def open(key: bytes, case_id: str, column: str, sealed: bytes | None):
        if sealed is None:
            return None
        return json.loads(crypto.open_sealed(key, sealed, f"{case_id}:{column}".encode()))

    # -- pseudonyms -------------------------------------------------------------------------
    def ensure_pseudonym_key(self, uow_factory) -> None:
        """Create the pseudonym key once per deployment (safe with several replicas)."""
        if self._keyring is None:
            return
        with uow_factory() as uow:
            if self._load_pseudonym_key(uow) is not None:
                return
            t = uow.tables["service_secrets"]
            uow.session.execute(insert(t).values(
                name=PSEUDONYM_SECRET, wrapped=self._ring().wrap(os.urandom(32)),
                created_at=utcnow()))
            try:
                uow.commit()
            except IntegrityError:
                uow.rollback()  # another replica created it first; use theirs

    def _load_pseudonym_key(self, uow) -> bytes | None:
        with self._lock:
            if self._pseudonym_key is not None:
                return self._pseudonym_key
        t = uow.tables["service_secrets"]
        wrapped = uow.session.execute(select(t.c.wrapped).where(
            t.c.name == PSEUDONYM_SECRET)).scalar_one_or_none()
        if wrapped is None:
            return None
        key = self._ring().unwrap(wrapped)
        with self._lock:
            self._pseudonym_key = key
        return key

    def pseudonyms(self, uow, match_keys: list[str]) -> list[str]:
        """Keyed pseudonyms of the identity facts, in the order given."""
        key = self._load_pseudonym_key(uow)
        if key is None:
            self._ring()
            raise Unavailable("pseudonym key not available: intake is starting (retry)")
        return [hmac.new(key, _DOMAIN + m.encode(), hashlib.sha256).hexdigest()
                for m in match_keys]
