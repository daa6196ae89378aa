"""Casework's own settings (``ZORGTAFEL_<NAME>`` variables the kernel does not know), read once
when the service is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from services.casework.domain.model import RECORD_KINDS
from zorgtafel.kernel.config import Settings


@dataclass(frozen=True)
class CaseworkSettings:
    # gRPC address (host:port) of the disclosure service, asked for the pre-read set (12.2f);
    # empty: not configured, and the pre-read set fails closed (UNAVAILABLE).
    disclosure_address: str
    # Days a closed case is kept before it may be purged (1.2).
    retention_days: float
    # The record kinds cleansing keeps until the purge (comma-separated; unknown kinds are
    # ignored, see RECORD_KINDS in domain/model.py).
    keep_until_purge: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> "CaseworkSettings":
        raw = settings.setting("casework_keep_until_purge", "criteria,timeline")
        return cls(
            disclosure_address=settings.setting("disclosure_address"),
            retention_days=float(settings.setting("casework_retention_days", "365")),
            keep_until_purge=frozenset(
                k.strip() for k in raw.split(",") if k.strip() in RECORD_KINDS
            ),
        )

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)
