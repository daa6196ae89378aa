"""Development keys and tokens: an ES256 identity-provider key pair, the services' encryption
keys and their access-log signing keys (Ed25519, ``<service>-log-signing.key`` with its
``.pub``) under ``<data_dir>/dev-keys``. Production mounts real ones from Secrets."""

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
    private, public = keys / "jwt-private.pem", keys / "jwt-public.pem"
    if not private.exists():
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
    for service in SERVICES:
        enc = keys / f"{service}-encryption.keys"
        if not enc.exists():
            enc.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
            os.chmod(enc, 0o600)
        signing = keys / f"{service}-log-signing.key"
        if not signing.exists():
            write_key_file(signing)
    return keys


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
