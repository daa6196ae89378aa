"""Disclosure's access log on the kernel component (``zorgtafel.kernel.accesslog``): records
appended by the group committer (``Deps.access_log``), queries, verification against the signed
checkpoints (also ``zorgtafel verify-log``), inclusion proofs and the signing key.

The signing key is a file like the encryption keys (``ZORGTAFEL_LOG_SIGNING_KEY_FILE``, default
``<data_dir>/dev-keys/disclosure-log-signing.key``); the database never holds it. Its public
half (``.pub`` next to it) is what verifiers and parties need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import access_log, access_log_checkpoints, access_log_head
from zorgtafel.kernel.accesslog import store
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey, Signer
from zorgtafel.kernel.accesslog.group import GroupCommitLog, OnCheckpoint
from zorgtafel.kernel.accesslog.verify import VerifyReport
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.uow import UnitOfWork, utcnow

LOG_ID = "zorgtafel.disclosure.accesslog"
TABLES = store.LogTables(access_log, access_log_head, access_log_checkpoints)
MAX_QUERY = store.MAX_QUERY
FILTERS = ("subject_pseudonym", "provider", "party")


def signing_key_file(settings: Settings) -> Path:
    configured = settings.setting("log_signing_key_file")
    if configured:
        return Path(configured)
    return settings.data_dir / "dev-keys" / f"{settings.service}-log-signing.key"


def load_signer(settings: Settings) -> Signer | None:
    path = signing_key_file(settings)
    return Signer.from_file(path) if path.exists() else None


def public_keys(settings: Settings, signer: Signer | None) -> tuple[PublicKey, ...]:
    """The keys a checkpoint may be signed by: the current one and any listed as retired
    (``ZORGTAFEL_LOG_PUBLIC_KEYS``, base64, comma-separated) after a rotation."""
    keys = [signer.public_key()] if signer is not None else []
    for text in settings.setting("log_public_keys").split(","):
        if text.strip():
            keys.append(PublicKey.from_text(text.strip()))
    return tuple(keys)


def group_log(
    uow_factory: Callable[[], UnitOfWork],
    signer: Signer | None,
    on_checkpoint: OnCheckpoint | None = None,
) -> GroupCommitLog:
    return GroupCommitLog(uow_factory, log_id=LOG_ID, signer=signer, on_checkpoint=on_checkpoint)


def verify(conn, keys: Sequence[PublicKey], trusted: Iterable[Checkpoint] = ()) -> VerifyReport:
    return store.verify(conn, TABLES, keys, log_id=LOG_ID, trusted=trusted)


class AccessLogRepository:
    """The access log as handlers read it, in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def ensure_head(self) -> None:
        store.ensure_head(self._s, TABLES)

    def sign_head(self, signer: Signer) -> Checkpoint | None:
        return store.sign_head(self._s, TABLES, signer=signer, log_id=LOG_ID, now=utcnow())

    def latest(self, by: str, value: str, limit: int = MAX_QUERY) -> list[dict]:
        """The newest records of one subject, provider or party (``by`` one of FILTERS)."""
        if by not in FILTERS:
            raise ValueError(f"no access-log filter {by!r}")
        return store.latest(self._s, TABLES, by, value, limit)

    def of_subject(self, subject_pseudonym: str) -> list[dict]:
        """Every record about the subject, oldest first (the subject access report)."""
        return store.of_subject(self._s, TABLES, subject_pseudonym)

    def of_decision(self, decision_id: str) -> list[dict]:
        return store.latest(self._s, TABLES, "decision_id", decision_id)

    def latest_checkpoint(self) -> Checkpoint | None:
        return store.latest_checkpoint(self._s.connection(), TABLES, LOG_ID)

    def inclusion(self, seq: int) -> store.InclusionProof | None:
        return store.inclusion(self._s.connection(), TABLES, seq, LOG_ID)

    def consistency(self, first: int, second: int) -> list[bytes]:
        return store.consistency(self._s.connection(), TABLES, first, second)

    def verify(self, keys: Sequence[PublicKey], trusted: Iterable[Checkpoint] = ()) -> VerifyReport:
        return verify(self._s.connection(), keys, trusted)


def checkpoint_fields(cp: Checkpoint) -> dict[str, Any]:
    return {
        "log_id": cp.log_id,
        "size": cp.size,
        "root": cp.root.hex(),
        "signed_at": cp.signed_at,
        "key_id": cp.key_id,
        "signature": cp.signature.hex(),
    }
