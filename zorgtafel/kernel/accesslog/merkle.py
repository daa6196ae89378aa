"""RFC 6962 / RFC 9162 Merkle tree math, pure: leaf and node hashes, the tree head of a
list of leaves, an append-only compact range (the right edge of the tree, O(log n) hashes),
inclusion and consistency proofs and their verification.

A leaf hash is SHA-256(0x00 || leaf), an interior node SHA-256(0x01 || left || right): the
prefixes keep a leaf from passing for a node (second pre-image). Hashes are raw 32 bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()
_sha256 = hashlib.sha256


def leaf_hash(leaf: bytes) -> bytes:
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the leaf hashes ``hashes`` (RFC 6962 2.1)."""
    if not hashes:
        return EMPTY_ROOT
    acc = CompactRange()
    acc.extend(hashes)
    return acc.root()


class CompactRange:
    """The roots of the perfect subtrees that make up a tree of ``size`` leaves, largest first
    (one per set bit of ``size``): enough to append and to compute the tree head."""

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        self.size = size
        self.hashes = list(hashes)
        if len(self.hashes) != bin(size).count("1"):
            raise ValueError("a compact range holds one hash per set bit of its size")

    def copy(self) -> CompactRange:
        return CompactRange(self.size, self.hashes)

    def append(self, h: bytes) -> None:
        hashes, size = self.hashes, self.size
        # Merge the new leaf with every complete subtree of equal height (trailing 1 bits).
        while size & 1:
            h = node_hash(hashes.pop(), h)
            size >>= 1
        hashes.append(h)
        self.size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        for h in leaf_hashes:
            self.append(h)

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        it = reversed(self.hashes)
        r = next(it)
        for h in it:
            r = node_hash(h, r)
        return r


def _subtree(hashes: Sequence[bytes], lo: int, hi: int) -> bytes:
    n = hi - lo
    if n == 1:
        return hashes[lo]
    k = _split(n)
    return node_hash(_subtree(hashes, lo, lo + k), _subtree(hashes, lo + k, hi))


def inclusion_proof(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]) for the tree of the leaf hashes ``hashes`` (RFC 6962 2.1.1)."""
    n = len(hashes)
    if not 0 <= index < n:
        raise ValueError("index outside the tree")
    path: list[bytes] = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(_subtree(hashes, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree(hashes, lo, lo + k))
            lo = lo + k
    path.reverse()
    return path


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: is the leaf hash ``leaf`` at ``index`` in the tree of ``size`` with
    head ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_proof(first: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(first, D[n]) (RFC 6962 2.1.2): the tree of ``first`` leaves is a prefix of this."""
    n = len(hashes)
    if not 0 < first <= n:
        raise ValueError("first size outside the tree")

    def sub(m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        size = hi - lo
        if m == size:
            return [] if complete else [_subtree(hashes, lo, hi)]
        k = _split(size)
        if m <= k:
            return sub(m, lo, lo + k, complete) + [_subtree(hashes, lo + k, hi)]
        return sub(m - k, lo + k, hi, False) + [_subtree(hashes, lo, lo + k)]

    return sub(first, 0, n, True)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (first, first_root) a prefix of (second, second_root)?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    proof = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is a node of the new tree
        proof.insert(0, first_root)
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
