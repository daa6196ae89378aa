"""Encryption at rest for sensitive columns (subject identity, item content).

Envelope encryption: each case gets its own random data key (AES-256-GCM), stored wrapped by
the service's key ring (``MultiFernet``: the first key encrypts, every key decrypts, so keys
rotate by prepending a new one). Destroying a case's data key makes every ciphertext of that
case unreadable, which is how a purge erases what backups may still hold.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zorgtafel.kernel.errors import Unavailable


class KeyRing:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is required")
        for k in keys:
            if len(k) != 32:
                raise ValueError("encryption keys must be 32 bytes (base64 in the keys file)")
        self._fernet = MultiFernet([Fernet(base64.urlsafe_b64encode(k)) for k in keys])

    @classmethod
    def from_file(cls, path: Path) -> "KeyRing":
        lines = [
            ln.strip()
            for ln in path.read_text().splitlines()
            if ln.strip() and not ln.startswith("#")
        ]
        return cls([base64.b64decode(ln) for ln in lines])

    def wrap(self, data_key: bytes) -> bytes:
        return self._fernet.encrypt(data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        try:
            return self._fernet.decrypt(wrapped)
        except InvalidToken as exc:
            raise Unavailable("encryption key not available") from exc

    def rotate(self, wrapped: bytes) -> bytes:
        return self._fernet.rotate(wrapped)


def required_ring(keyring: KeyRing | None, refused: str) -> KeyRing:
    """``keyring``, or UNAVAILABLE when the service has none (its key file is missing): fail
    closed, nothing that is sealed is stored or shown in the clear instead. ``refused`` says
    what is refused, in the caller's terms."""
    if keyring is None:
        raise Unavailable(f"encryption keys are not configured: {refused} (fail closed)")
    return keyring


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(data_key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """AES-GCM with a random nonce; ``associated`` binds the ciphertext to its row."""
    nonce = os.urandom(12)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, associated)


def opener(data_key: bytes) -> Callable[[bytes, bytes], bytes]:
    """``open_sealed`` under ``data_key``, its AES-GCM context made once: making it is most of
    opening a short text, so a page opens every text sealed under one key (a row's own key's
    texts, a case's rows) with one context (issue #16). Held by the caller while it opens that
    page's texts, never beyond."""
    aead = AESGCM(data_key)

    def open_(sealed: bytes, associated: bytes) -> bytes:
        return aead.decrypt(sealed[:12], sealed[12:], associated)

    return open_


def open_sealed(data_key: bytes, sealed: bytes, associated: bytes) -> bytes:
    return opener(data_key)(sealed, associated)
