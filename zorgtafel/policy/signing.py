"""Signed OPA bundles: governance signs the bundle it serves, every engine verifies it.

The format is OPA's own (https://www.openpolicyagent.org/docs/management-bundles#signing), so a
real OPA sidecar configured with governance's public key (``keys`` + ``bundles.<name>.signing``)
verifies exactly what the project's engines verify: a ``.signatures.json`` file holding one
compact JWS (ES256, header ``kid``) whose payload lists every other file of the bundle with its
SHA-256 digest. OPA hashes ``data.json``, ``data.yaml`` and ``.manifest`` as parsed JSON (keys
sorted, numbers as written) and every other file as its bytes; ``file_digest`` does the same.

Why sign at all: bundles travel over the cluster network from governance to every sidecar; a
bundle that is not the one governance serves (tampered, or from anyone else) must never be
enforced. A bundle that fails verification raises ``BundleSignatureError``; the engines keep the
revision they have.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from zorgtafel.policy import bundle as bundles
from zorgtafel.policy.errors import PolicyError

SIGNATURES_FILE = ".signatures.json"
ALGORITHM = "ES256"
HASH_ALGORITHM = "SHA-256"
# The key id governance signs under and OPA's config names (``keys.<id>``).
DEFAULT_KEY_ID = "zorgtafel-governance"
_STRUCTURED = {"data.json", "data.yaml", ".manifest", SIGNATURES_FILE}


class BundleSignatureError(PolicyError):
    """The bundle is unsigned, signed by another key, or its files are not the signed ones."""


class _Number(str):
    """A JSON number kept as written: OPA hashes numbers as their literal text."""


def _encode(value: Any) -> str:
    # Go's encoding/json with SetEscapeHTML(false), as OPA's hasher uses it: Python's escaping
    # with ensure_ascii=False matches it but for U+2028/U+2029, which Go escapes.
    if isinstance(value, _Number):
        return str(value)
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _walk(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value)):
            if i:
                out.append(",")
            out.append(_encode(key))
            out.append(":")
            _walk(value[key], out)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _walk(item, out)
        out.append("]")
    else:
        out.append(_encode(value))


def file_digest(name: str, content: bytes) -> str:
    """The hex SHA-256 OPA computes for one bundle file (its name without a leading ``/``)."""
    if name.rsplit("/", 1)[-1] in _STRUCTURED:
        try:
            value = json.loads(content, parse_int=_Number, parse_float=_Number)
        except ValueError as exc:
            raise BundleSignatureError(f"{name} is not JSON") from exc
        parts: list[str] = []
        _walk(value, parts)
        content = "".join(parts).encode("utf-8")
    return hashlib.sha256(content).hexdigest()


def _unsigned(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return [(n, c) for n, c in files if n != SIGNATURES_FILE]


def sign(bundle: bytes, private_key_pem: bytes, key_id: str = DEFAULT_KEY_ID) -> bytes:
    """The same bundle with a ``.signatures.json`` over all its files (any old one replaced)."""
    files = _unsigned(bundles.read_files(bundle))
    payload = {
        "files": [
            {"name": name, "hash": file_digest(name, content), "algorithm": HASH_ALGORITHM}
            for name, content in files
        ]
    }
    token = jwt.encode(payload, private_key_pem, algorithm=ALGORITHM, headers={"kid": key_id})
    signatures = json.dumps({"signatures": [token]}, sort_keys=True).encode("utf-8")
    return bundles.pack([*files, (SIGNATURES_FILE, signatures)])


def verify(
    bundle: bytes, public_key_pem: bytes, key_id: str | None = None
) -> list[tuple[str, bytes]]:
    """The bundle's files (without the signature) when its signature verifies, else
    ``BundleSignatureError``. The rules OPA applies: exactly one JWT, made with the configured
    key, no scope, and the signed file list is exactly the bundle's. With ``key_id`` the JWT's
    ``kid`` must also name that key (OPA, configured with a key id, uses it whatever ``kid`` says)."""
    try:
        files = bundles.read_files(bundle)
    except PolicyError as exc:
        raise BundleSignatureError(f"not a bundle: {exc}") from exc
    raw = dict(files).get(SIGNATURES_FILE)
    if raw is None:
        raise BundleSignatureError("the bundle is not signed (no .signatures.json)")
    try:
        tokens = json.loads(raw).get("signatures")
    except (ValueError, AttributeError) as exc:
        raise BundleSignatureError(".signatures.json is not a signatures document") from exc
    if not isinstance(tokens, list) or len(tokens) != 1 or not isinstance(tokens[0], str):
        raise BundleSignatureError(".signatures.json must hold exactly one JWT")
    token = tokens[0]
    try:
        header = jwt.get_unverified_header(token)
        if key_id is not None and header.get("kid", key_id) != key_id:
            raise BundleSignatureError("signed with another key id")
        payload = json.loads(jwt.PyJWS().decode(token, public_key_pem, algorithms=[ALGORITHM]))
    except BundleSignatureError:
        raise
    except (jwt.PyJWTError, ValueError) as exc:
        raise BundleSignatureError("the signature does not verify with governance's key") from exc
    if not isinstance(payload, dict) or payload.get("scope", "") != "":
        raise BundleSignatureError("the signature has a scope this install does not use")
    listed: dict[str, dict[str, Any]] = {}
    for entry in payload.get("files") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise BundleSignatureError("the signature lists a file without a name")
        listed[entry["name"]] = entry
    content = _unsigned(files)
    for name, data in content:
        entry = listed.pop(name, None)
        if entry is None:
            raise BundleSignatureError(f"{name} is not included in the bundle signature")
        if entry.get("algorithm") != HASH_ALGORITHM:
            raise BundleSignatureError(f"{name}: unsupported hashing algorithm")
        if entry.get("hash") != file_digest(name, data):
            raise BundleSignatureError(f"{name}: digest mismatch")
    if listed:
        raise BundleSignatureError("the signature names files the bundle does not have")
    return content


def generate_private_key_pem() -> bytes:
    """A new P-256 key in PKCS#8 PEM (dev keys and tests; production mounts a Secret)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(private_key_pem: bytes) -> bytes:
    """The public half, as OPA's ``keys.<id>.key`` takes it."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
