"""Dispute escalation chains (art. 11.4, 12.4, 13.4)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.governance.domain.disputes import Dispute, DisputeAbout, DisputeStatus, Forum
from zorgtafel.kernel.errors import FailedPrecondition

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)


def dispute(about):
    return Dispute("d1", about, None, 0, DisputeStatus.OPEN, "00000099000000000001", NOW, NOW)


@pytest.mark.parametrize(
    "about,chain",
    [
        (DisputeAbout.CASE_DIRECTOR, [Forum.PROCESS_DIRECTOR, Forum.PARTNER_COUNCIL]),  # 13.4
        (DisputeAbout.PROCESS_DIRECTOR, [Forum.MANAGERS, Forum.REGIONAL_BOARD]),  # 12.4
        (DisputeAbout.MANAGERS, [Forum.REGIONAL_BOARD]),  # 11.4
    ],
)
def test_dispute_follows_its_chain_and_stops_at_the_end(about, chain):
    d = dispute(about)
    seen = [d.forum]
    while d.remaining:
        seen.append(d.escalate(NOW))
    assert seen == chain
    with pytest.raises(FailedPrecondition) as err:
        d.escalate(NOW)
    assert err.value.state == "end_of_chain"


def test_a_resolved_dispute_is_not_escalated():
    d = dispute(DisputeAbout.CASE_DIRECTOR)
    d.resolve("settled", NOW)
    with pytest.raises(FailedPrecondition):
        d.escalate(NOW)
