"""Governance's own settings (``ZORGTAFEL_<NAME>`` variables the kernel passes on in
``Settings.extra``)."""

from __future__ import annotations

from dataclasses import dataclass

from zorgtafel.kernel.config import Settings


@dataclass(frozen=True)
class GovernanceSettings:
    # Seconds between two looks for withdrawals whose effective date has come (art. 21.3).
    withdrawal_tick_s: float = 30.0
    # Production: ready only while the enforced policy revision is the latest adopted one.
    production: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "GovernanceSettings":
        tick = float(settings.setting("withdrawal_tick_s", "30"))
        if not tick > 0:
            raise ValueError("ZORGTAFEL_WITHDRAWAL_TICK_S must be a positive number of seconds")
        return cls(withdrawal_tick_s=tick, production=settings.production)
