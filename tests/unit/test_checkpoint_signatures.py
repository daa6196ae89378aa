"""Verified checkpoint signatures are remembered per (key, signature, message): a verified
checkpoint is not verified again, and anything altered is never taken for the verified one."""

from __future__ import annotations

import dataclasses

from zorgtafel.kernel.accesslog import checkpoint as cpm
from zorgtafel.kernel.accesslog.checkpoint import Signer, verified_by


def _cp(signer: Signer, size: int = 3):
    return signer.sign("disclosure", size, bytes(range(32)), "2026-12-02T10:00:00Z")


def test_a_verified_checkpoint_is_remembered():
    signer = Signer.generate()
    key = signer.public_key()
    cp = _cp(signer)
    digest = cpm._VERIFIED.key(key.raw, cp.signature, cp.message())
    assert not cpm._VERIFIED.holds(digest)
    assert verified_by([key], cp)
    assert cpm._VERIFIED.holds(digest)
    assert verified_by([key], cp)


def test_an_altered_checkpoint_is_not_taken_for_one_verified_before():
    signer = Signer.generate()
    key = signer.public_key()
    cp = _cp(signer)
    assert verified_by([key], cp)  # remembered now
    for change in (
        {"size": 4},
        {"root": bytes(32)},
        {"signed_at": "2026-12-02T10:00:01Z"},
        {"log_id": "intake"},
        {"signature": bytes(64)},
    ):
        assert not verified_by([key], dataclasses.replace(cp, **change)), change


def test_another_key_with_the_same_key_id_field_does_not_verify_a_remembered_signature():
    signer, other = Signer.generate(), Signer.generate()
    cp = _cp(signer)
    assert verified_by([signer.public_key()], cp)
    forged_id = dataclasses.replace(cp, key_id=other.public_key().key_id)
    assert not verified_by([other.public_key()], forged_id)


def test_the_memory_of_verified_signatures_is_bounded():
    seen = cpm._VerifiedSignatures(limit=3)
    digests = [seen.key(b"k", bytes([i]) * 64, b"m") for i in range(5)]
    for d in digests:
        seen.add(d)
    assert [seen.holds(d) for d in digests] == [False, False, True, True, True]


def test_a_failed_verification_is_not_remembered():
    signer = Signer.generate()
    key = signer.public_key()
    bad = dataclasses.replace(_cp(signer), signature=bytes(64))
    assert not verified_by([key], bad)
    assert not cpm._VERIFIED.holds(cpm._VERIFIED.key(key.raw, bad.signature, bad.message()))
