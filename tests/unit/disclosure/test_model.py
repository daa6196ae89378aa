"""The disclosure domain without I/O: terms and content validation, redaction (art. 16.2
summary-only fields), the facts handed to zorgtafel.disclosure, and the processing register.
The access log's tamper evidence is the kernel's: tests/unit/test_accesslog.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from services.disclosure.adapters.registers import NINE_FIELDS, ProcessingRegister
from services.disclosure.domain import decisions, items, redaction, register
from services.disclosure.domain.decisions import CaseFacts, CasePerson, Recipient
from services.disclosure.domain.items import ItemFacts, Terms
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.policy.schemas import validate_input

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
OIN = "00000099000000000045"


def fields_of(exc: pytest.ExceptionInfo) -> list[str]:
    return [f for f, _ in exc.value.violations]


# --- terms and content ---------------------------------------------------------------------------


def test_terms_without_a_purpose_are_refused_naming_the_field():
    with pytest.raises(InvalidArgument) as err:
        items.validate_terms(Terms(purposes=()))
    assert fields_of(err) == ["terms.purposes"]


def test_terms_with_a_malformed_recipient_party_name_the_entry():
    with pytest.raises(InvalidArgument) as err:
        items.validate_terms(Terms(purposes=("care",), recipient_parties=(OIN, "police")))
    assert fields_of(err) == ["terms.recipient_parties[1]"]


def test_terms_are_normalised_sorted_and_deduplicated():
    t = items.validate_terms(
        Terms(purposes=("safety", "care", "care"), summary_only_fields=("b", "a"))
    )
    assert (t.purposes, t.summary_only_fields) == (("care", "safety"), ("a", "b"))


def test_terms_round_trip_through_json_with_expiry():
    t = Terms(recipient_parties=(OIN,), purposes=("care",), expires_at=NOW, pre_read_allowed=True)
    assert Terms.from_json(json.loads(json.dumps(t.to_json()))) == t


@pytest.mark.parametrize("year", [1, 1900, 2999, 9999])
def test_terms_round_trip_through_json_at_the_edges_of_time(year):
    # strftime("%Y") wrote year 1 as "1", which nothing parsed back: every later read failed.
    edge = datetime(year, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
    t = Terms(purposes=("care",), expires_at=edge)
    assert Terms.from_json(json.loads(json.dumps(t.to_json()))) == t


def test_an_expiry_beyond_the_policy_engines_time_range_is_refused_naming_the_field():
    with pytest.raises(InvalidArgument) as err:
        items.validate_terms(
            Terms(purposes=("care",), expires_at=datetime(2500, 1, 1, tzinfo=timezone.utc))
        )
    assert fields_of(err) == ["terms.expires_at"]
    later = datetime(2261, 12, 31, tzinfo=timezone.utc)
    assert items.validate_terms(Terms(purposes=("care",), expires_at=later)).expires_at == later


@pytest.mark.parametrize(
    "content", [b"[" * 100_000, b"[" * 40 + b"]" * 40, b'{"a":' * 50 + b"1" + b"}" * 50]
)
def test_deeply_nested_json_content_is_refused_naming_the_field(content):
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(content, items.JSON_TYPE, Terms(purposes=("c",)), {})
    assert fields_of(err) == ["content"]


def test_redacting_deeply_nested_content_fails_closed_without_recursing():
    with pytest.raises(InvalidArgument):
        redaction.redact(b'{"a":' * 5000 + b"1" + b"}" * 5000, items.JSON_TYPE, ["a"], {})


def test_summary_only_fields_need_a_json_object():
    terms = Terms(purposes=("care",), summary_only_fields=("diag",))
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(b"secret words", "text/plain", terms, {})
    assert fields_of(err) == ["content_type"]
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(b"[1, 2]", items.JSON_TYPE, terms, {})
    assert fields_of(err) == ["content"]


def test_invalid_json_content_is_refused_without_echoing_it():
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(b"{SECRET-CONTENT", items.JSON_TYPE, Terms(purposes=("c",)), {})
    assert "SECRET-CONTENT" not in err.value.message


def test_a_summary_for_a_field_that_is_not_summary_only_is_refused():
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(b'{"a": 1}', items.JSON_TYPE, Terms(purposes=("c",)), {"a": "short"})
    assert fields_of(err) == ["field_summaries"]


@pytest.mark.parametrize("summary", ["PTSD\x00", "\x1b[2J", "PTSD\x7f"])
def test_a_summary_with_control_characters_is_refused_naming_the_field(summary):
    """A summary is free text shown in the field's place: as every free text, no control
    characters but newline and tab (a NUL, a terminal escape), and never echoed."""
    terms = Terms(purposes=("care",), summary_only_fields=("diag",))
    with pytest.raises(InvalidArgument) as err:
        items.validate_content(b'{"diag": "x"}', items.JSON_TYPE, terms, {"diag": summary})
    assert fields_of(err) == ["field_summaries"]
    assert "PTSD" not in err.value.message
    items.validate_content(b'{"diag": "x"}', items.JSON_TYPE, terms, {"diag": "PTSD,\ntreated"})


# --- redaction -----------------------------------------------------------------------------------


def test_redaction_replaces_summary_only_fields_by_the_providers_summary_or_a_marker():
    content = json.dumps({"diag": "PTSD", "meds": "X", "advice": "rest"}).encode()
    out, done = redaction.redact(
        content, items.JSON_TYPE, ["meds", "diag", "absent"], {"diag": "trauma care"}
    )
    assert json.loads(out) == {"diag": "trauma care", "meds": redaction.REDACTED, "advice": "rest"}
    assert done == ["diag", "meds"]


def test_redaction_of_non_json_content_fails_closed():
    with pytest.raises(ValueError):
        redaction.redact(b"PTSD", "text/plain", ["diag"], {})


def test_no_redaction_obligation_leaves_content_untouched():
    assert redaction.redact(b"opaque", "text/plain", [], {}) == (b"opaque", [])


def test_obligation_fields_collects_every_redact_obligation():
    obligations = [
        {"type": "redact", "fields": ("a",)},
        {"type": "review"},
        {"type": "redact", "fields": ["b"]},
    ]
    assert decisions.obligation_fields(obligations, "redact") == ["a", "b"]
    assert decisions.has_obligation(obligations, "review")
    assert not decisions.has_obligation(obligations, "notify_provider")


def test_scrub_replaces_the_justification_in_a_policy_reason():
    reason = "Safety override after consulting p-9; reason: threat tonight. Logged."
    assert (
        decisions.scrub(reason, ["threat tonight"], "[ref]")
        == "Safety override after consulting p-9; reason: [ref]. Logged."
    )


# --- facts for the policy ------------------------------------------------------------------------


def _input(age_band="16_plus", break_glass=None, expires=None):
    item = ItemFacts(
        "itm-" + "0" * 32,
        "case-1",
        OIN,
        "health",
        "confidential",
        "consent",
        False,
        Terms(purposes=("care",), expires_at=expires),
    )
    case = CaseFacts(
        "case-1",
        "psn-1",
        age_band,
        {"00000099000000000038": {"role": "care", "information_need": ["health"]}},
        nominating_party=OIN,
        process_director=CasePerson(OIN, "pd-1"),
        delegates={"00000099000000000038": ("p-1",)},
    )
    caller = Recipient(
        "00000099000000000038", True, "active", "caseworker", "p-1", ("process_director",)
    )
    return decisions.disclosure_input(
        action="read",
        purpose="care",
        now=NOW,
        recipient=caller,
        requester=caller,
        item=item,
        case=case,
        subject_consents=[{"given_by": "parent", "scope": ["health"]}],
        provider_consents=[],
        break_glass=break_glass,
    )


@pytest.mark.parametrize("band", ["under_12", "12_to_16", "16_plus", "unknown"])
def test_the_input_matches_the_policy_schema_for_every_age_band(band):
    validate_input("zorgtafel.disclosure", _input(band))
    validate_input(
        "zorgtafel.disclosure",
        _input(
            band,
            break_glass={"justification": "x", "consulted_colleague": "p-2"},
            expires=NOW + timedelta(days=1),
        ),
    )


def test_the_input_names_the_persons_with_a_part_in_the_case():
    case = _input()["case"]
    assert case["process_director"] == {"party": OIN, "person": "pd-1"}
    assert case["case_director"] is None  # optional (13.1): absent, so no one is it
    assert case["delegates"] == {"00000099000000000038": ["p-1"]}
    assert _input()["requester"]["functions"] == ["process_director"]


@pytest.mark.parametrize(
    "band,lo,hi", [("under_12", 0, 12), ("12_to_16", 12, 16), ("16_plus", 16, 200)]
)
def test_each_age_band_lands_in_its_own_consent_rule(band, lo, hi):
    age = _input(band)["subject"]["age"]
    assert lo <= age < hi


def test_an_unknown_age_band_is_a_missing_fact():
    assert _input("unknown")["subject"]["age"] is None


def test_time_is_rfc3339_in_utc_with_z():
    assert _input()["now"] == "2026-11-24T12:00:00.000000Z"


def test_traceparent_gives_trace_and_span_ids_or_nothing():
    assert decisions.parse_traceparent("00-" + "a" * 32 + "-" + "b" * 16 + "-01") == (
        "a" * 32,
        "b" * 16,
    )
    assert decisions.parse_traceparent("garbage") == ("", "")
    assert decisions.parse_traceparent(None) == ("", "")


# --- the processing register ---------------------------------------------------------------------


def test_the_shipped_processing_register_has_the_nine_fields_of_bijlage_3():
    register = ProcessingRegister()
    assert register.activities
    for activity in register.activities:
        assert all(activity[f] for f in NINE_FIELDS)
    assert register.activity_ref_for("care_coordination") == "ZT-VA-03@1"


def test_the_input_hands_each_time_over_as_its_nanoseconds_beside_its_text():
    # The policy compares these instead of parsing the text (issue #16).
    facts = _input(expires=NOW + timedelta(days=1, microseconds=7))
    assert facts["now"] == "2026-11-24T12:00:00.000000Z"
    assert facts["now_ns"] == 1_795_521_600_000_000_000
    terms = facts["item"]["terms"]
    assert terms["expires_at"] == "2026-11-25T12:00:00.000007Z"
    assert terms["expires_at_ns"] == 1_795_608_000_000_007_000


def test_the_input_leaves_a_time_the_policy_cannot_count_in_nanoseconds_as_text_only():
    # Past 2262-04-11 a 64-bit count of nanoseconds ends: the policy reads the text itself, and
    # without an expiry there is nothing to count.
    facts = _input(expires=datetime(2300, 1, 1, tzinfo=timezone.utc))
    assert facts["item"]["terms"]["expires_at"] == "2300-01-01T00:00:00.000000Z"
    assert "expires_at_ns" not in facts["item"]["terms"]
    assert "expires_at_ns" not in _input()["item"]["terms"]
    validate_input("zorgtafel.disclosure", facts)


@pytest.mark.parametrize("name", ["purpose", "recipients"])
def test_a_register_entry_or_reason_with_a_bidi_override_is_refused_naming_the_field(name):
    """The art. 30 register is read in the console: a right-to-left override would show an
    entry, or why it changed, otherwise than it is stored."""
    activity = dict(ProcessingRegister().activities[0])
    spoofed = "\u202etnemeganam esac"
    activity[name] = [spoofed] if name in register.LISTS else spoofed
    with pytest.raises(InvalidArgument) as refused:
        register.check_activity(activity, ["00000099000000000001"])
    assert refused.value.violations[0][0] == f"activity.{name}"
    with pytest.raises(InvalidArgument) as refused:
        register.check_reason("bijgewerkt \u2066x\u2069", required=True)
    assert refused.value.violations[0][0] == "reason"
