"""The policy owner's book without a browser: the rules by article from the sources' METADATA
and reasons, and a typed input explained as `zorgtafel policy explain --input` does."""

from __future__ import annotations

import json

import pytest

from services.console.adapters.policy import PolicyBook


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook()


def test_rules_are_grouped_by_article_in_the_covenants_order(book):
    table = {a.ref: a for a in book.by_article()}
    disclosure = [r for r in table["art. 16.2"].rules if r.package == "zorgtafel.disclosure"]
    assert disclosure and disclosure[0].title.startswith("Disclosure of an information item")
    assert any("retracted" in r.text for r in table["art. 16.2"].reasons)
    # A reason's facts are filled in at decision time: the template shows where.
    assert all("%v" not in r.text for a in table.values() for r in a.reasons)
    refs = [a.ref for a in book.by_article()]
    assert refs.index("art. 1.2") < refs.index("art. 4.2") < refs.index("art. 12.2f")
    assert refs.index("art. 12.2f") < refs.index("art. 16.2") < refs.index("Bijlage 3")


def test_explain_shows_the_decision_and_refuses_what_is_no_input(book):
    text = book.explain("zorgtafel.governance", json.dumps({"input": {"action": "propose"}}))
    assert "Decision:  DENIED" in text and "art. 5" in text
    with pytest.raises(ValueError, match="not JSON"):
        book.explain("zorgtafel.governance", "{nope")
    with pytest.raises(ValueError, match="JSON object"):
        book.explain("zorgtafel.governance", "[1, 2]")
    with pytest.raises(ValueError, match="unknown policy"):
        book.explain("zorgtafel.lib", "{}")
