"""Issue #14: what one privacy officer is given of a service's data about a subject. Another
party's internal notes (and records shared with others only) are withheld with the ground
named, never silently dropped; the caller's own and shared records are given."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timezone

import pytest

from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.subjectdata.model import Holding, Record, Section, TwoStepExporter, given_to
from zorgtafel.kernel.subjectdata.servicer import export_subject_data, subject_of
from zorgtafel.kernel.subjectdata.wire import export_out

OWN, OTHER, RECIPIENT = "00000099000000000051", "00000099000000000061", "00000099000000000013"
AT = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
WITHHOLD = {"type": "withhold_internal_notes", "except_party": OWN, "ground": "art. 15.1, 17"}
ONLY_C1 = {"type": "only_cases", "case_ids": ["c1"]}


def holding() -> Holding:
    return Holding(
        case_ids=("c1",),
        controllers=frozenset({OWN}),
        sections=(
            Section(
                "triage",
                "answers",
                (
                    Record("triage_answer", "r1:o", "c1", AT, OTHER, {"answer": "known"}),
                    Record("contribution", "r1:o:c", "c1", AT, OTHER, {"text": "x"}, True),
                    Record("contribution", "r1:s:c", "c1", AT, OWN, {"text": "y"}, True),
                ),
            ),
            Section(
                "items",
                "items",
                (
                    Record(
                        "item",
                        "i1",
                        "c1",
                        AT,
                        OTHER,
                        {"category": "safety"},
                        internal=True,
                        shared_with=frozenset({RECIPIENT}),
                        ground="held for its provider (16.2)",
                    ),
                ),
            ),
        ),
    )


def test_another_partys_internal_note_is_withheld_with_its_ground():
    export = given_to("intake", holding(), [ONLY_C1, WITHHOLD])
    kept = {r.record_id for s in export.sections for r in s.records}
    assert kept == {"r1:o", "r1:s:c"}
    assert [(w.record_id, w.party, w.ground) for w in export.withheld] == [
        ("r1:o:c", OTHER, "art. 15.1, 17"),
        ("i1", OTHER, "held for its provider (16.2)"),  # the record's own ground
    ]


def test_a_record_shared_with_the_callers_party_is_given():
    rule = dict(WITHHOLD, except_party=RECIPIENT)
    export = given_to("disclosure", holding(), [ONLY_C1, rule])
    assert "i1" in {r.record_id for s in export.sections for r in s.records}


def test_without_the_obligation_nothing_is_withheld():
    export = given_to("intake", holding(), [ONLY_C1])
    assert not export.withheld
    assert sum(len(s.records) for s in export.sections) == 4


def test_records_withheld_under_one_id_are_one_line_naming_no_party_of_theirs():
    """A record's own id or party may name what the officer may not know (another party's
    part in the case): withheld under ``withheld_as`` in ``named_party``'s name, several such
    records are one line."""
    roles = tuple(
        Record(
            "role",
            f"c1:{p}",
            "c1",
            None,
            p,
            {"role": "x"},
            internal=True,
            withheld_as="c1:roles",
            named_party=RECIPIENT,
        )
        for p in (OTHER, "00000099000000000042", OWN)
    )
    export = given_to(
        "casework",
        Holding(("c1",), frozenset({OWN}), (Section("roles", "r", roles),)),
        [ONLY_C1, WITHHOLD],
    )
    assert [r.record_id for s in export.sections for r in s.records] == [f"c1:{OWN}"]
    assert [(w.record_id, w.party) for w in export.withheld] == [("c1:roles", RECIPIENT)]


def test_a_listed_only_record_is_never_given_and_listed_where_not_shared():
    """A record that only stands for its kind's records (whether any exist) is a withheld line
    to an officer it is not shared with, and nothing to one it is."""
    mark = Record("minutes", "c1:minutes", "c1", None, RECIPIENT, internal=True, listed_only=True)
    held = Holding(("c1",), frozenset({OWN}), (Section("meetings", "m", (mark,)),))
    export = given_to("casework", held, [ONLY_C1, WITHHOLD])
    assert not export.sections[0].records
    assert [w.record_id for w in export.withheld] == ["c1:minutes"]
    shared = given_to("casework", held, [ONLY_C1, dict(WITHHOLD, except_party=RECIPIENT)])
    assert not shared.sections[0].records and not shared.withheld


def test_a_decision_without_only_cases_gives_no_case():
    """Fail closed: a policy revision adopted before ``only_cases`` existed names no case the
    party answers for; the export gives none (it once gave every case of the subject)."""
    export = given_to("intake", holding(), [WITHHOLD])
    assert export.case_ids == ()
    assert not any(s.records for s in export.sections)
    assert not export.withheld


def test_a_case_not_named_by_only_cases_is_left_out_entirely():
    """Another controller's case of the same subject: neither its records, nor its id, nor
    a withheld line telling that it exists (art. 15.1, 8.4c)."""
    both = Holding(
        case_ids=("c1", "c2"),
        controllers=frozenset({OWN, OTHER}),
        sections=(
            Section(
                "case",
                "cases",
                (
                    Record("case", "c1", "c1", AT, OWN, {"state": "open"}),
                    Record("case", "c2", "c2", AT, OTHER, {"state": "open"}),
                    Record("note", "c2:n", "c2", AT, OTHER, {"text": "x"}, True),
                    Record("access", "a1", "", AT, OWN, {"result": "allowed"}),
                ),
            ),
        ),
        case_controllers={"c1": frozenset({OWN}), "c2": frozenset({OTHER})},
    )
    assert both.cases_input() == [
        {"id": "c1", "controllers": [OWN]},
        {"id": "c2", "controllers": [OTHER]},
    ]
    only = {"type": "only_cases", "case_ids": ["c1"]}
    export = given_to("casework", both, [only, WITHHOLD])
    assert export.case_ids == ("c1",)
    assert {r.record_id for s in export.sections for r in s.records} == {"c1", "a1"}
    assert not export.withheld


def test_the_wire_form_keeps_sections_fields_and_grounds():
    out = export_out(given_to("intake", holding(), [ONLY_C1, WITHHOLD]))
    assert out.service == "intake" and list(out.case_ids) == ["c1"]
    assert out.sections[0].records[0].fields["answer"] == "known"
    assert out.sections[0].records[0].recorded_at.ToDatetime(timezone.utc) == AT
    assert out.withheld[0].ground == "art. 15.1, 17"


def test_the_subject_is_required_and_validated_naming_the_field():
    with pytest.raises(InvalidArgument) as missing:
        subject_of(pb.ExportSubjectDataRequest())
    assert missing.value.violations[0][0] == "subject"
    with pytest.raises(InvalidArgument) as bad:
        subject_of(pb.ExportSubjectDataRequest(case_id="no spaces allowed"))
    assert bad.value.violations[0][0] == "case_id"
    assert subject_of(pb.ExportSubjectDataRequest(subject_pseudonym="psn-1")) == (
        "subject_pseudonym",
        "psn-1",
    )


class _Engine:
    """A policy engine that allows OWN's officer the cases OWN answers for, refuses others."""

    def decide(self, policy, facts):  # noqa: ANN001, ANN201
        from zorgtafel.policy.decision import Decision

        mine = [c["id"] for c in facts["resource"]["cases"] if OWN in c["controllers"]]
        allow = facts["caller"]["party"] == OWN and bool(mine)
        result = {
            "allow": allow,
            "reasons": [] if allow else ["nothing held for this party as controller"],
            "obligations": [{"type": "only_cases", "case_ids": mine}] if allow else [],
        }
        return Decision.from_result(policy, "test", facts, result)


def _two_step(read: list[frozenset[str]]) -> TwoStepExporter:
    def controllers(uow, by, value):  # noqa: ANN001, ANN202
        return Holding(
            case_ids=("c1", "c2"),
            controllers=frozenset({OWN, OTHER}),
            case_controllers={"c1": frozenset({OWN}), "c2": frozenset({OTHER})},
        )

    def records(uow, holding, case_ids):  # noqa: ANN001, ANN202
        read.append(case_ids)
        return (
            Section(
                "cases",
                "cases",
                tuple(Record("case", c, c, AT, OWN) for c in sorted(case_ids)),
            ),
        )

    return TwoStepExporter(controllers, records)


def _export(exporter: TwoStepExporter, party: str):  # noqa: ANN202
    officer = Caller(party, "fg-1", "privacy_officer", party_status="active")
    return export_subject_data(
        "casework",
        lambda: nullcontext(None),  # type: ignore[arg-type,return-value]
        PolicyGate(_Engine()),  # type: ignore[arg-type]
        exporter,
        "subject_pseudonym",
        "psn-1",
        officer,
    )


def test_a_two_step_export_reads_no_record_for_a_refused_officer():
    read: list[frozenset[str]] = []
    with pytest.raises(PermissionDenied):
        _export(_two_step(read), RECIPIENT)
    assert read == []


def test_a_two_step_export_reads_only_the_cases_the_decision_names():
    read: list[frozenset[str]] = []
    export = _export(_two_step(read), OWN)
    assert read == [frozenset({"c1"})]
    assert export.case_ids == ("c1",)
    assert [r.record_id for s in export.sections for r in s.records] == ["c1"]
