"""Oversight of an access log scoped to the controller (Bijlage 3, NEN 7513), pure: which
parties a record concerns, and the party a ``restrict_to_party`` obligation of
``zorgtafel.disclosure.control`` narrows a listing to. One definition for disclosure's
AccessLog and every service's ``AccessLogService``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

RESTRICT = "restrict_to_party"


def restricted_to(obligations: Iterable[Mapping[str, Any]]) -> str | None:
    """The party a decision narrows oversight to, or None when it does not narrow."""
    for ob in obligations:
        if ob.get("type") == RESTRICT:
            return str(ob.get("party") or "\0")  # an empty party matches nothing
    return None


def record_parties(record: Mapping[str, Any]) -> set[str]:
    """Who an access-log record concerns: the requester's party, the recipient, the provider."""
    return {p for p in (record.get("party"), record.get("recipient"), record.get("provider")) if p}
