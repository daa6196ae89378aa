"""Seats from the covenant (art. 4.3, 6.3, 11.2) and the annual report (art. 11.3d)."""

from __future__ import annotations

import csv
import io
import json

from services.governance.adapters.seed import covenant_bodies, covenant_parties
from services.governance.domain.bodies import Body, seats_from_covenant
from services.governance.domain.report import AnnualReport, metric_of
from zorgtafel.contracts import events as ev

GRAVE, HELMOND, LUMENS, MO = (
    "00000099000000000016",
    "00000099000000000018",
    "00000099000000000053",
    "00000099000000000054",
)


def seats():
    return seats_from_covenant(covenant_bodies(), [p["party_id"] for p in covenant_parties()])


def test_board_chair_is_the_mayor_of_grave_and_secretary_is_no_party_4_3():
    board = [s for s in seats() if s.body is Body.REGIONAL_BOARD]
    assert len(board) == 11
    chair = [s for s in board if s.role == "board_chair"]
    assert [s.held_by_party for s in chair] == [GRAVE]
    secretary = [s for s in board if s.role == "board_secretary"]
    assert [s.held_by_party for s in secretary] == [None]
    assert sum(s.held_by_party is None for s in board) >= 5  # non-signatories' seats


def test_partner_council_has_one_delegate_per_party_the_managers_and_a_secretary_6_3():
    council = [s for s in seats() if s.body is Body.PARTNER_COUNCIL]
    delegates = [s.held_by_party for s in council if s.role == "delegate"]
    assert sorted(delegates) == sorted(p["party_id"] for p in covenant_parties())
    assert sorted(s.held_by_party for s in council if s.role == "manager") == [HELMOND, LUMENS, MO]
    assert [s.role for s in council if s.held_by_party is None] == ["council_secretary"]


def test_managers_fall_under_helmond_lumens_and_mo_den_bosch_11_2():
    managers = [s for s in seats() if s.body is Body.MANAGERS]
    assert sorted(s.held_by_party for s in managers) == [HELMOND, LUMENS, MO]


def test_seat_ids_are_stable_and_unique():
    ids = [s.seat_id for s in seats()]
    assert len(ids) == len(set(ids))
    assert ids == [s.seat_id for s in seats()]


def test_report_counts_only_the_facts_that_matter_11_3d():
    assert metric_of(ev.CASE_OPENED, {}) == "cases_handled"
    assert metric_of(ev.CASE_CLOSED, {"outcome": "successful"}) == "cases_closed_successfully"
    assert metric_of(ev.CASE_CLOSED, {"outcome": "escalated"}) is None
    assert metric_of(ev.CASE_ESCALATED, {}) == "escalations"
    assert metric_of(ev.DISCLOSURE_DECIDED, {"result": "allowed"}) == "disclosures_allowed"
    assert metric_of(ev.DISCLOSURE_DECIDED, {"result": "denied"}) == "disclosures_denied"
    assert metric_of(ev.DISCLOSURE_DECIDED, {"result": "break_glass"}) == "disclosures_break_glass"
    assert metric_of(ev.DISCLOSURE_DECIDED, {"result": "weird"}) is None
    assert metric_of(ev.ITEM_PROVIDED, {}) is None


def test_report_exports_as_csv_and_json_without_identifiers():
    r = AnnualReport.from_counters(2026, {"cases_handled": 3, "disclosures_denied": 2})
    rows = list(csv.DictReader(io.StringIO(r.to_csv().decode())))
    assert {row["metric"]: int(row["count"]) for row in rows}["cases_handled"] == 3
    assert all(row["year"] == "2026" for row in rows)
    body = json.loads(r.to_json())
    assert body["cases_handled"] == 3 and body["disclosures_denied"] == 2
    assert body["escalations"] == 0 and body["article"] == "11.3d"
