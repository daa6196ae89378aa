"""Without a key ring (its key file missing) a service stores and shows nothing it would seal:
UNAVAILABLE, fail closed, with words that say what is refused and no more; one check in the
kernel (``required_ring``) for the case keys, intake's pseudonym key and disclosure's sealed
registers alike."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData

from services.disclosure.adapters.subject_rights import (
    BreachRepository,
    SubjectRequestRepository,
)
from services.intake.adapters.pseudonyms import PseudonymKey
from zorgtafel.kernel.casekeys import CaseKeys, add_case_keys_table
from zorgtafel.kernel.crypto import KeyRing, new_data_key, required_ring
from zorgtafel.kernel.errors import Unavailable


def test_a_ring_is_handed_back_and_none_is_unavailable_naming_what_is_refused():
    ring = KeyRing([new_data_key()])
    assert required_ring(ring, "anything") is ring
    with pytest.raises(Unavailable) as err:
        required_ring(None, "the register is neither stored nor shown")
    assert err.value.message == (
        "encryption keys are not configured: the register is neither stored nor shown (fail closed)"
    )


@pytest.mark.parametrize(
    ("without_a_ring", "refused"),
    [
        (lambda: CaseKeys(None, add_case_keys_table(MetaData())), "nothing is stored or shown"),
        (lambda: PseudonymKey(None), "intake cannot store personal data"),
        (
            lambda: SubjectRequestRepository(None, None),
            "subject requests are neither stored nor shown",
        ),
        (lambda: BreachRepository(None, None), "the breach register is neither stored nor shown"),
    ],
)
def test_each_keeper_of_sealed_data_refuses_without_a_ring(without_a_ring, refused):
    with pytest.raises(Unavailable) as err:
        without_a_ring()._ring()
    assert err.value.message == f"encryption keys are not configured: {refused} (fail closed)"
