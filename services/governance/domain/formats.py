"""The formats of governance's own identifiers, codes and references, checked with the kernel's
validators (INVALID_ARGUMENT naming the field, patterns matched whole). Pure Python.

Where a format is the suite's (an OIN, a case id), the kernel's pattern is used as it is; the
patterns here are only those where governance's data truly differs.
"""

from __future__ import annotations

import re

from zorgtafel.kernel.validate import check_id, check_pattern

# Ids governance hands out: "<prefix>-<32 hex>" (prop, acc, dsp, wd, nod, dec, mtg).
ISSUED_ID = re.compile(r"[a-z]{2,4}-[0-9a-f]{32}")
# Seat ids as listed by ListBodies: "regional_board.01", "partner_council.delegate.<oin>".
SEAT_ID = re.compile(r"[a-z_]{1,20}(\.[a-z_0-9]{1,24}){1,2}")
# Subjects, reasons, resolutions and work-process versions are codes; the covenant's are
# written with dots, hyphens and leading digits ("art-17-breach", "2026.1"), which the kernel's
# snake-case CODE does not take.
CODE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# Letters, forms and bundle revisions: at most 128 characters (the columns' width), no '/'.
REFERENCE = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def check_issued_id(value: str, field: str) -> str:
    """A malformed id is INVALID_ARGUMENT without echoing it (only well-formed ids reach a
    NOT_FOUND that names them)."""
    return check_id(value, field, pattern=ISSUED_ID, what="required: an id this service issued")


def check_seat_id(value: str, field: str = "seat_id") -> str:
    return check_id(
        value, field, pattern=SEAT_ID, what="required: a seat id as listed by ListBodies"
    )


def check_code(value: str, field: str) -> str:
    return check_pattern(
        value, field, CODE, "must be a code of [a-z0-9._-], 1-64 characters (no free text)"
    )


def check_reference(value: str, field: str) -> str:
    return check_pattern(
        value, field, REFERENCE, "must be a reference of [A-Za-z0-9._:-], 1-128 characters"
    )
