"""Governance's bundle signing key (issue #17, supply chain): every bundle it serves carries an
OPA ``.signatures.json`` made with this key, and the sidecars (and the embedded engine) load only
bundles that verify with its public half.

``ZORGTAFEL_BUNDLE_SIGNING_KEY_FILE``: a P-256 private key in PEM (in Kubernetes the Secret
``zorgtafel-bundle-signing``); ``ZORGTAFEL_BUNDLE_SIGNING_KEY_ID`` the id OPA's config names
(default ``zorgtafel-governance``); without the setting ``<data_dir>/dev-keys/bundle-signing.key``.
Production does not start without the key; development makes the dev key on first use."""

from __future__ import annotations

import threading
from pathlib import Path

from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.devkeys import ensure_bundle_signing_key
from zorgtafel.policy import signing

# Signed bundles kept in memory by revision: ECDSA signatures differ on every signing, and a
# sidecar polling with ETags should get the same bytes each time from one replica.
_CACHED = 4
_DEV_KEY = "bundle-signing.key"


class BundleSigner:
    def __init__(self, private_key_pem: bytes, key_id: str = signing.DEFAULT_KEY_ID) -> None:
        self._key = private_key_pem
        self.key_id = key_id
        self.public_key_pem = signing.public_key_pem(private_key_pem)
        self._signed: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def signed(self, revision: str, bundle: bytes) -> bytes:
        with self._lock:
            cached = self._signed.get(revision)
            if cached is None:
                cached = signing.sign(bundle, self._key, self.key_id)
                if len(self._signed) >= _CACHED:
                    self._signed.clear()
                self._signed[revision] = cached
            return cached

    @classmethod
    def from_settings(cls, settings: Settings) -> "BundleSigner":
        key_id = settings.setting("bundle_signing_key_id") or signing.DEFAULT_KEY_ID
        configured = settings.setting("bundle_signing_key_file")
        path = Path(configured) if configured else settings.data_dir / "dev-keys" / _DEV_KEY
        if not path.exists():
            if settings.production or configured:
                raise RuntimeError(
                    "governance signs the policy bundles it serves: its key "
                    "(ZORGTAFEL_BUNDLE_SIGNING_KEY_FILE) is missing"
                )
            path = ensure_bundle_signing_key(path.parent)
        return cls(path.read_bytes(), key_id)
