"""Intake's own settings (``ZORGTAFEL_INTAKE_*`` variables the kernel does not know), read once
when the service is built.

Probing (issue 13, point 7): a nomination of a person already known is linked for the process
director and reported to the nominator only as "received"; still, one person nominating known
persons again and again is probing for "is this person known?". Those matches are counted per
nominating person (party and employee id) in a sliding window; at the limit the managers are
flagged and further nominations by that person are refused until the window has passed
(Bijlage 3, GDPR art. 32). The limit and the window are PROJECT CHOICES (the covenant names no
number), set by the policy owners:

* ``ZORGTAFEL_INTAKE_PROBE_LIMIT`` (default 3): matches allowed per person in the window;
* ``ZORGTAFEL_INTAKE_PROBE_PARTY_LIMIT`` (default 20): matches allowed per nominating party in
  the window, whichever of its persons nominated: a party that lets many persons (or person ids
  in its tokens) nominate known subjects once each would evade the per-person limit;
* ``ZORGTAFEL_INTAKE_PROBE_WINDOW_S`` (default 86400, one day): the window in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from zorgtafel.kernel.config import Settings

DEFAULT_PROBE_LIMIT = 3
DEFAULT_PROBE_PARTY_LIMIT = 20
DEFAULT_PROBE_WINDOW_S = 86_400


@dataclass(frozen=True)
class IntakeSettings:
    probe_limit: int = DEFAULT_PROBE_LIMIT
    probe_window_s: int = DEFAULT_PROBE_WINDOW_S
    probe_party_limit: int = DEFAULT_PROBE_PARTY_LIMIT

    @classmethod
    def from_settings(cls, settings: Settings) -> "IntakeSettings":
        limit = int(settings.setting("intake_probe_limit", str(DEFAULT_PROBE_LIMIT)))
        window = int(settings.setting("intake_probe_window_s", str(DEFAULT_PROBE_WINDOW_S)))
        party = int(settings.setting("intake_probe_party_limit", str(DEFAULT_PROBE_PARTY_LIMIT)))
        if limit < 1 or window < 1 or party < 1:
            raise ValueError(
                "ZORGTAFEL_INTAKE_PROBE_LIMIT, _PARTY_LIMIT and _WINDOW_S must be at least 1"
            )
        return cls(probe_limit=limit, probe_window_s=window, probe_party_limit=party)

    @property
    def probe_window(self) -> timedelta:
        return timedelta(seconds=self.probe_window_s)
