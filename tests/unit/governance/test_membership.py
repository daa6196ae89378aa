"""Accession (art. 20), withdrawal (art. 21.3) and exclusion (art. 23.2) rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.governance.domain.membership import (
    Withdrawal,
    missing_approvals,
    require_all_approvals,
    require_notice_of_default,
    require_signed_form,
)
from services.governance.domain.parties import (
    EXCLUDE_FROM,
    JOIN_FROM,
    Party,
    PartyKind,
    PartyStatus,
)
from zorgtafel.kernel.errors import FailedPrecondition

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
A, B, C = "00000099000000000001", "00000099000000000002", "00000099000000000003"


def test_every_active_party_must_approve_an_accession_20_4():
    assert missing_approvals([A, B, C], [A, C]) == [B]
    require_all_approvals([A, B], [B, A])  # complete: no error


def test_missing_approval_names_whose_20_4():
    with pytest.raises(FailedPrecondition) as err:
        require_all_approvals([A, B, C], [A])
    assert err.value.state == "approvals_missing"
    assert B in err.value.message and C in err.value.message and A not in err.value.message


@pytest.mark.parametrize(
    "org,chair,missing", [(False, True, "organisation"), (True, False, "board_chair")]
)
def test_annex_1_needs_both_signatures_20_4(org, chair, missing):
    with pytest.raises(FailedPrecondition) as err:
        require_signed_form(org, chair)
    assert missing in err.value.message
    require_signed_form(True, True)


def test_exclusion_needs_a_notice_of_default_23_2():
    with pytest.raises(FailedPrecondition) as err:
        require_notice_of_default([])
    assert err.value.state == "no_notice_of_default"
    require_notice_of_default(["notice"])


def test_withdrawal_takes_effect_when_the_amendment_does_21_3():
    w = Withdrawal("w1", A, "amendment-1", "letter-1", NOW + timedelta(days=30), NOW)
    assert not w.due(NOW)
    assert w.due(NOW + timedelta(days=30))
    w.effective = True
    assert not w.due(NOW + timedelta(days=31))


def test_only_an_active_party_can_be_excluded_and_only_an_applicant_joins():
    p = Party(A, "x", PartyKind.OTHER, PartyStatus.WITHDRAWN, NOW)
    with pytest.raises(FailedPrecondition):
        p.change_status(PartyStatus.EXCLUDED, NOW, EXCLUDE_FROM)
    with pytest.raises(FailedPrecondition):
        p.change_status(PartyStatus.ACTIVE, NOW, JOIN_FROM)
    q = Party(B, "y", PartyKind.OTHER, PartyStatus.APPLICANT, NOW)
    q.change_status(PartyStatus.ACTIVE, NOW, JOIN_FROM)
    assert q.status is PartyStatus.ACTIVE
