"""Verified checkpoint signatures are remembered per log as a verified prefix (a count and a
running digest): a prefix verified before is not verified again, anything altered in it is
never taken for the verified one, and the memory is one pair per log however long it grows."""

from __future__ import annotations

import dataclasses

import pytest

from zorgtafel.kernel.accesslog import checkpoint as cpm
from zorgtafel.kernel.accesslog.checkpoint import PublicKey, Signer, verified_each


def _cps(signer: Signer, n: int, log_id: str = "disclosure") -> list[cpm.Checkpoint]:
    return [
        signer.sign(log_id, size, bytes([size % 256]) * 32, "2026-12-02T10:00:00Z")
        for size in range(1, n + 1)
    ]


@pytest.fixture
def checks(monkeypatch) -> list[int]:
    """Counts the signature checks made (PublicKey.verifies)."""
    made: list[int] = []
    real = PublicKey.verifies

    def counted(self, cp):
        made.append(cp.size)
        return real(self, cp)

    monkeypatch.setattr(PublicKey, "verifies", counted)
    return made


def test_a_verified_prefix_is_not_verified_again(checks):
    signer = Signer.generate()
    keys, cps = [signer.public_key()], _cps(signer, 5)
    assert verified_each(keys, cps[:3], log_id="disclosure") == [True] * 3
    assert checks == [1, 2, 3]
    checks.clear()
    assert verified_each(keys, cps, log_id="disclosure") == [True] * 5
    assert checks == [4, 5]  # only those after the remembered prefix
    checks.clear()
    assert verified_each(keys, cps, log_id="disclosure") == [True] * 5
    assert checks == []


@pytest.mark.parametrize(
    "change",
    [
        {"size": 40},
        {"root": bytes(32)},
        {"signed_at": "2026-12-02T10:00:01Z"},
        {"log_id": "intake"},
        {"signature": bytes(64)},
    ],
)
def test_an_altered_checkpoint_in_a_verified_prefix_is_verified_again_and_refused(change):
    signer = Signer.generate()
    keys, cps = [signer.public_key()], _cps(signer, 4)
    assert verified_each(keys, cps, log_id="disclosure") == [True] * 4
    altered = [*cps[:1], dataclasses.replace(cps[1], **change), *cps[2:]]
    assert verified_each(keys, altered, log_id="disclosure") == [True, False, True, True]


def test_a_removed_or_reordered_checkpoint_makes_every_signature_checked_again(checks):
    signer = Signer.generate()
    keys, cps = [signer.public_key()], _cps(signer, 4)
    verified_each(keys, cps, log_id="disclosure")
    checks.clear()
    assert verified_each(keys, cps[1:], log_id="disclosure") == [True] * 3
    assert checks == [2, 3, 4]
    checks.clear()
    assert verified_each(keys, cps[::-1], log_id="disclosure") == [True] * 4
    assert len(checks) == 4


def test_another_key_does_not_verify_a_remembered_prefix():
    signer, other = Signer.generate(), Signer.generate()
    cps = _cps(signer, 3)
    assert verified_each([signer.public_key()], cps, log_id="disclosure") == [True] * 3
    forged = [dataclasses.replace(cp, key_id=other.public_key().key_id) for cp in cps]
    assert verified_each([other.public_key()], forged, log_id="disclosure") == [False] * 3


def test_the_memory_of_verified_checkpoints_is_one_pair_per_log_however_long():
    signer = Signer.generate()
    keys = [signer.public_key()]
    memo = cpm._VerifiedPrefixes()
    for n in (10, 200, 1000):
        assert memo.verified_each(keys, _cps(signer, n), "casework") == [True] * n
    memo.verified_each(keys, _cps(signer, 5, "intake"), "intake")
    assert len(memo._by_log) == 2
    assert {count for count, _ in memo._by_log.values()} == {1000, 5}


def test_a_failed_verification_is_not_remembered(checks):
    signer = Signer.generate()
    keys, cps = [signer.public_key()], _cps(signer, 3)
    bad = [cps[0], dataclasses.replace(cps[1], signature=bytes(64)), cps[2]]
    assert verified_each(keys, bad, log_id="disclosure") == [True, False, True]
    checks.clear()
    assert verified_each(keys, bad, log_id="disclosure") == [True, False, True]
    assert checks == [2, 3]  # the prefix remembered ends before the failure
