"""Retention periods as policy data (Bijlage 3 "houdbaarheid", art. 1.2).

The covenant fixes no period; the policy owners set one per kind of record in
``policies/rego/retention/data.json`` and a service reads the periods of the kinds it owns from
the policy engine (``zorgtafel.retention``), so a period changes by adopting a policy revision,
never by a code change. A malformed period is reported by the policy and left out: that kind is
kept, never purged early (fail closed towards keeping).

For tests and development only, ``ZORGTAFEL_RETENTION_OVERRIDE_S`` ("kind=seconds,...")
replaces periods; refused when ``ZORGTAFEL_PRODUCTION`` is set, so production always follows
the adopted policy. ``ZORGTAFEL_CASEWORK_RETENTION_DAYS`` (the setting this replaces) is
read as the same override of ``case_closed`` in days, with the same restriction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from zorgtafel.kernel.config import Settings

POLICY = "zorgtafel.retention"
OVERRIDE_SETTING = "retention_override_s"
INTERVAL_SETTING = "retention_interval_s"
DEFAULT_INTERVAL_S = 600.0
# Settings that predate the policy data: (variable without prefix, kind, seconds per unit).
LEGACY_OVERRIDES = (("casework_retention_days", "case_closed", 86_400),)


class RetentionConfigError(ValueError):
    """A retention setting that cannot be used (never carries personal data)."""


@dataclass(frozen=True)
class RetentionPeriods:
    """How long each kind of record of one service lives, as adopted (plus a test override)."""

    periods: Mapping[str, timedelta] = field(default_factory=dict)
    invalid: tuple[str, ...] = ()
    revision: str = ""

    def of(self, kind: str) -> timedelta | None:
        """The period of ``kind``; None when the policy sets none (then nothing is purged)."""
        return self.periods.get(kind)


def parse_overrides(settings: Settings) -> dict[str, int]:
    """``ZORGTAFEL_RETENTION_OVERRIDE_S``: test/dev-only periods in seconds, by kind."""
    raw = settings.setting(OVERRIDE_SETTING).strip()
    legacy = {
        kind: (name, unit)
        for name, kind, unit in LEGACY_OVERRIDES
        if settings.setting(name).strip()
    }
    if not raw and not legacy:
        return {}
    if settings.production:
        raise RetentionConfigError(
            "ZORGTAFEL_RETENTION_OVERRIDE_S and ZORGTAFEL_CASEWORK_RETENTION_DAYS are for tests and"
            " development only: in production the"
            " retention periods are the adopted policy's (policies/rego/retention/data.json)"
        )
    out: dict[str, int] = {}
    for kind, (name, unit) in legacy.items():
        try:
            value = float(settings.setting(name))
        except ValueError as exc:
            raise RetentionConfigError(f"ZORGTAFEL_{name.upper()} must be a number") from exc
        if value < 0:
            raise RetentionConfigError(f"ZORGTAFEL_{name.upper()} must not be negative")
        out[kind] = int(value * unit)
    for part in filter(None, (p.strip() for p in raw.split(","))):
        kind, sep, seconds = part.partition("=")
        kind = kind.strip()
        if not sep or not kind or not seconds.strip().isdigit() or int(seconds) < 0:
            raise RetentionConfigError(
                "ZORGTAFEL_RETENTION_OVERRIDE_S must read kind=seconds[,kind=seconds...]"
            )
        out[kind] = int(seconds)
    return out


def interval_s(settings: Settings) -> float:
    """``ZORGTAFEL_RETENTION_INTERVAL_S``: seconds between two ticks (0 or less: no scheduler)."""
    try:
        return float(settings.setting(INTERVAL_SETTING, str(DEFAULT_INTERVAL_S)))
    except ValueError as exc:
        raise RetentionConfigError("ZORGTAFEL_RETENTION_INTERVAL_S must be a number") from exc


def from_policy_result(
    result: Mapping[str, Any], revision: str, overrides: Mapping[str, int] | None = None
) -> RetentionPeriods:
    """The periods from ``zorgtafel.retention``'s result document (ints of seconds)."""
    raw = result.get("periods")
    periods: dict[str, timedelta] = {}
    if isinstance(raw, Mapping):
        for kind, seconds in raw.items():
            if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds >= 1:
                periods[str(kind)] = timedelta(seconds=seconds)
    invalid = result.get("invalid")
    bad = tuple(str(k) for k in invalid) if isinstance(invalid, list | tuple) else ()
    for kind, seconds in (overrides or {}).items():
        periods[kind] = timedelta(seconds=seconds)
    return RetentionPeriods(periods, bad, revision)


def read_periods(
    policy: Any, service: str, overrides: Mapping[str, int] | None = None
) -> RetentionPeriods:
    """Ask the policy engine (a ``PolicyGate``: an engine failure raises UNAVAILABLE, and the
    caller purges nothing that tick) for the periods of ``service``'s kinds."""
    result = policy.evaluate(POLICY, {"service": service})
    revision = str(getattr(policy, "revision", ""))
    wanted = {k: v for k, v in (overrides or {}).items()}
    return from_policy_result(result, revision, wanted)
