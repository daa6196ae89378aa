"""Commands governance handles, as frozen dataclasses (servicers translate proto to these)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterParty:
    party_id: str
    name: str
    kind: str
    status: str = "active"
