"""Exact input: UTF-8 text reaches the rules unchanged, in both engines; Unicode-aware trimming."""

from __future__ import annotations

import cases
import pytest

from zorgtafel.policy.embedded import EmbeddedEngine

NAMES = ["Zoë", "Çağrı Öztürk", "Ĳsbrand van 't Hoff", "שלום", "مرحبا", "\U0001f600 Anna", "ëé"]

_POLICY = """package zorgtafel.text
import rego.v1

# art. 8.4c: the tests compare names exactly as written.
known := ["Zoë", "Çağrı Öztürk", "Ĳsbrand van 't Hoff", "שלום", "مرحبا", "\U0001f600 Anna", "ëé"]

decision := {"allow": true, "reasons": [sprintf("%d", [count(input.name)])], "obligations": []} if {
	input.name in known
}
"""


@pytest.fixture(scope="module")
def text_engine(tmp_path_factory):
    directory = tmp_path_factory.mktemp("rego")
    (directory / "text.rego").write_text(_POLICY, encoding="utf-8")
    engine = EmbeddedEngine(directory, timeout_s=5.0)
    yield engine
    engine.close()


@pytest.mark.parametrize("name", NAMES)
def test_non_ascii_names_reach_the_rules_unchanged(text_engine, name):
    decision = text_engine.decide("zorgtafel.text", {"name": name})
    assert decision.allow is True


def test_count_of_diacritics_is_characters_not_escapes(text_engine):
    decision = text_engine.decide("zorgtafel.text", {"name": "ëé"})
    assert decision.reasons == ("2",)


def test_a_different_name_is_not_equal(text_engine):
    assert text_engine.decide("zorgtafel.text", {"name": "Zoe"}).allow is False


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000", " \u2003\t", "\u200b"])
def test_break_glass_with_a_unicode_blank_justification_is_denied(engine, blank):
    inp = cases.disclosure(
        subject__age=30,
        item__legal_basis="consent",
        consents={"subject": [], "provider_written": []},
        break_glass={"justification": blank, "consulted_colleague": "bram"},
    )
    decision = engine.decide("zorgtafel.disclosure", inp)
    assert decision.allow is False


def test_break_glass_with_a_real_justification_is_allowed(engine):
    inp = cases.disclosure(
        subject__age=30,
        item__legal_basis="consent",
        consents={"subject": [], "provider_written": []},
        break_glass={"justification": "acuut gevaar voor Zoë", "consulted_colleague": "bram"},
    )
    assert engine.decide("zorgtafel.disclosure", inp).allow is True
