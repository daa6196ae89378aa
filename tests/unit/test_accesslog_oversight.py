"""Oversight of an access log scoped to the controller (Bijlage 3, NEN 7513; issues #13, #15),
the pure rules: a refused attempt concerns the controller, and its reader's party only in a
listing of that party's own looks, which shows the attempt without what the refusal withheld."""

from __future__ import annotations

from zorgtafel.kernel.accesslog.oversight import as_seen_by, concerned_parties, record_parties

READER, CONTROLLER, OTHER = "00000099000000000042", "00000099000000000001", "00000099000000000061"


def record(result: str, **fields: str) -> dict[str, str]:
    base = {
        "party": READER,
        "person": "pd-1",
        "rpc": "GetNomination",
        "action": "read",
        "result": result,
        "case_id": "case-1",
        "subject_pseudonym": "psn-secret",
        "provider": CONTROLLER,
        "recipient": READER,
        "resource": "identity",
        "input_digest": "ab" * 32,
        "purpose": "care_coordination",
    }
    return base | fields


def test_an_allowed_look_concerns_its_reader_recipient_and_provider_by_any_filter():
    allowed = record("allowed", recipient=OTHER)
    for by in ("case_id", "subject_pseudonym", "party"):
        assert (
            concerned_parties(allowed, by)
            == record_parties(allowed)
            == {
                READER,
                CONTROLLER,
                OTHER,
            }
        )


def test_a_refused_attempt_concerns_its_readers_party_only_listed_by_party():
    denied = record("denied")
    assert concerned_parties(denied, "case_id") == {CONTROLLER}
    assert concerned_parties(denied, "subject_pseudonym") == {CONTROLLER}
    assert concerned_parties(denied, "party") == {CONTROLLER, READER}
    assert concerned_parties(record("denied", provider=""), "case_id") == set()


def test_the_refused_readers_party_sees_the_attempt_without_what_was_withheld():
    seen = as_seen_by(record("denied"), READER)
    assert (seen["party"], seen["person"], seen["rpc"], seen["result"]) == (
        READER,
        "pd-1",
        "GetNomination",
        "denied",
    )
    withheld = ("subject_pseudonym", "provider", "resource", "input_digest", "case_id")
    assert [seen[name] for name in withheld] == [""] * len(withheld)
    assert seen["recipient"] == READER
    # The kernel's record of an authz refusal took the case id from the request itself.
    assert as_seen_by(record("denied", action="call"), READER)["case_id"] == "case-1"


def test_the_controller_and_an_allowed_reader_see_the_record_whole():
    assert as_seen_by(record("denied"), CONTROLLER) == record("denied")
    assert as_seen_by(record("allowed"), READER) == record("allowed")
    assert as_seen_by(record("denied"), None) == record("denied")
