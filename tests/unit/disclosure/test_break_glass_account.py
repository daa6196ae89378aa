"""A safety override's account (Bijlage 3) before anything is decided: a justification is a
reason someone can review, not a mark that fills the field."""

from __future__ import annotations

import pytest

from services.disclosure.domain import commands
from services.disclosure.domain.notices import INFORMED
from services.disclosure.service_layer.handlers.requests import checked_break_glass
from zorgtafel.kernel.errors import InvalidArgument


def _account(justification: str) -> commands.BreakGlass:
    return commands.BreakGlass(
        justification=justification,
        consulted_colleague="person-9",
        client_informed="told in person",
        client_informed_status=INFORMED,
    )


@pytest.mark.parametrize(
    "justification",
    [".", "-", "...", "?!", "\u200b", "\u200b\u200c\u2060", "\ufeff", "\u00ad", "- \u200b -", "😀"],
)
def test_a_justification_of_invisible_characters_or_punctuation_only_is_no_reason(
    justification,
):
    with pytest.raises(InvalidArgument) as refused:
        checked_break_glass(_account(justification))
    assert [f for f, _ in refused.value.violations] == ["justification"]
    assert justification not in str(refused.value)


@pytest.mark.parametrize("justification", ["acuut gevaar", "Zoë", "危险", "7"])
def test_a_justification_with_words_is_taken(justification):
    assert checked_break_glass(_account(justification)).justification == justification
