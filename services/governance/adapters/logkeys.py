"""The public keys governance checks each service's access-log checkpoints with (issue #15).

``ZORGTAFEL_ACCESS_LOG_PUBLIC_KEYS``: ``service:base64,service:base64,...`` (a retired key stays
listed after a rotation); ``ZORGTAFEL_ACCESS_LOG_PUBLIC_KEYS_FILE``: the same entries one a line
(``#`` comments), mounted from a ConfigMap or Secret. Outside production also the development
key next to each service's signing key, ``<data_dir>/dev-keys/<service>-log-signing.pub``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from zorgtafel.kernel.accesslog.checkpoint import PublicKey
from zorgtafel.kernel.config import SERVICES, Settings


def parse_entries(entries: Iterable[str]) -> dict[str, list[PublicKey]]:
    keys: dict[str, list[PublicKey]] = {}
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        service, sep, text = entry.partition(":")
        if not sep or service.strip() not in SERVICES:
            raise ValueError(
                "ZORGTAFEL_ACCESS_LOG_PUBLIC_KEYS: each entry is service:base64 with service one "
                f"of {', '.join(SERVICES)}"
            )
        try:
            key = PublicKey.from_text(text.strip())
        except ValueError as exc:
            raise ValueError(
                f"ZORGTAFEL_ACCESS_LOG_PUBLIC_KEYS: the key of {service.strip()} is not the "
                "base64 of a 32-byte Ed25519 public key"
            ) from exc
        keys.setdefault(service.strip(), []).append(key)
    return keys


def public_keys(settings: Settings) -> Mapping[str, tuple[PublicKey, ...]]:
    """service -> the keys its checkpoints may be signed by."""
    entries = settings.setting("access_log_public_keys").split(",")
    path = settings.setting("access_log_public_keys_file")
    if path:
        entries += Path(path).read_text().splitlines()
    keys = parse_entries(entries)
    if not settings.production:
        for service in SERVICES:
            dev = settings.data_dir / "dev-keys" / f"{service}-log-signing.pub"
            if dev.exists():
                keys.setdefault(service, []).append(PublicKey.from_file(dev))
    return {service: tuple(found) for service, found in keys.items()}
