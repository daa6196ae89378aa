"""The subject pseudonym: HMAC-SHA256 over a normalised identity fact with a random 256-bit
pseudonym key that is itself stored wrapped by the key ring (``service_secrets``). Without the
key ring nobody can recompute or test a pseudonym, so it is not a plain hash of a BSN or a name
that anyone could brute-force (GDPR art. 32, Bijlage 3 pseudonymisation).

(Per-case data keys are the kernel's ``CaseKeys``, as ``uow.keys``.)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from zorgtafel.kernel.crypto import KeyRing, required_ring
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.uow import UnitOfWork, utcnow

PSEUDONYM_SECRET = "subject_pseudonym_key.v1"  # nosec B105 - the stored secret's name, not a secret
_DOMAIN = b"zorgtafel.intake.subject_pseudonym.v1\x00"


class PseudonymKey:
    def __init__(self, keyring: KeyRing | None) -> None:
        self._keyring = keyring
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def _ring(self) -> KeyRing:
        return required_ring(self._keyring, "intake cannot store personal data")

    def ensure(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        """Create the pseudonym key once per deployment (safe with several replicas)."""
        if self._keyring is None:
            return
        with uow_factory() as uow:
            if self._load(uow) is not None:
                return
            t = uow.tables["service_secrets"]
            uow.session.execute(
                insert(t).values(
                    name=PSEUDONYM_SECRET,
                    wrapped=self._ring().wrap(os.urandom(32)),
                    created_at=utcnow(),
                )
            )
            try:
                uow.commit()
            except IntegrityError:
                uow.rollback()  # another replica created it first; use theirs

    def _load(self, uow: UnitOfWork) -> bytes | None:
        with self._lock:
            if self._key is not None:
                return self._key
        t = uow.tables["service_secrets"]
        wrapped = uow.session.execute(
            select(t.c.wrapped).where(t.c.name == PSEUDONYM_SECRET)
        ).scalar_one_or_none()
        if wrapped is None:
            return None
        key = self._ring().unwrap(wrapped)
        with self._lock:
            self._key = key
        return key

    def pseudonyms(self, uow: UnitOfWork, match_keys: list[str]) -> list[str]:
        """Keyed pseudonyms of the identity facts, in the order given."""
        key = self._load(uow)
        if key is None:
            self._ring()
            raise Unavailable("pseudonym key not available: intake is starting (retry)")
        return [hmac.new(key, _DOMAIN + m.encode(), hashlib.sha256).hexdigest() for m in match_keys]
