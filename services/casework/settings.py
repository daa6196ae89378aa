"""Casework's own settings (``ZORGTAFEL_<NAME>`` variables the kernel does not know), read once
when the service is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.casework.domain.model import RECORD_KINDS
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.retention import parse_overrides


@dataclass(frozen=True)
class CaseworkSettings:
    # gRPC address (host:port) of the disclosure service, asked for the pre-read set (12.2f);
    # empty: not configured, and the pre-read set fails closed (UNAVAILABLE).
    disclosure_address: str
    # The record kinds cleansing keeps until the purge (comma-separated; unknown kinds are
    # ignored, see RECORD_KINDS in domain/model.py).
    keep_until_purge: frozenset[str]
    # How long a closed case is kept (1.2) is policy data (policies/rego/retention, kind
    # ``case_closed``); these are the test/dev-only overrides in seconds
    # (ZORGTAFEL_RETENTION_OVERRIDE_S, or the older ZORGTAFEL_CASEWORK_RETENTION_DAYS).
    retention_overrides: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> "CaseworkSettings":
        raw = settings.setting("casework_keep_until_purge", "criteria,timeline")
        return cls(
            disclosure_address=settings.setting("disclosure_address"),
            keep_until_purge=frozenset(
                k.strip() for k in raw.split(",") if k.strip() in RECORD_KINDS
            ),
            retention_overrides=parse_overrides(settings),
        )
