"""Development keys and tokens: an ES256 identity-provider key pair, the services' encryption
keys, their access-log signing keys (Ed25519, ``<service>-log-signing.key`` with its
``.pub``) and governance's policy-bundle signing key (``bundle-signing.key``/``.pub``) under
``<data_dir>/dev-keys``. Production mounts real ones from Secrets."""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from zorgtafel.kernel.accesslog.checkpoint import write_key_file
from zorgtafel.kernel.config import SERVICES


def ensure_dev_keys(data_dir: Path) -> Path:
    keys = data_dir / "dev-keys"
    keys.mkdir(parents=True, exist_ok=True)
    _ensure_p256_pair(keys / "jwt-private.pem", keys / "jwt-public.pem")
    for service in SERVICES:
        enc = keys / f"{service}-encryption.keys"
        if not enc.exists():
            enc.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
            os.chmod(enc, 0o600)
        signing = keys / f"{service}-log-signing.key"
        if not signing.exists():
            write_key_file(signing)
    ensure_bundle_signing_key(keys)
    return keys


def ensure_bundle_signing_key(keys: Path) -> Path:
    """Governance's dev key for signing policy bundles (``bundle-signing.key``, P-256 PEM) and
    its public half (``bundle-signing.pub``, what OPA's ``keys`` config and the engines take)."""
    keys.mkdir(parents=True, exist_ok=True)
    private = keys / "bundle-signing.key"
    _ensure_p256_pair(private, keys / "bundle-signing.pub")
    return private


def _ensure_p256_pair(private: Path, public: Path) -> None:
    """A P-256 key pair as PEM files (PKCS#8, private readable by the owner only), made once."""
    if private.exists():
        return
    key = ec.generate_private_key(ec.SECP256R1())
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(private, 0o600)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def mint_token(
    private_key_pem: bytes,
    *,
    party: str,
    role: str,
    person: str,
    issuer: str = "zorgtafel-dev-idp",
    audience: str = "zorgtafel",
    ttl_s: int = 3600,
    **extra: object,
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_s,
        "sub": person,
        "role": role,
        "party": party,
        **extra,
    }
    return jwt.encode(claims, private_key_pem, algorithm="ES256")
