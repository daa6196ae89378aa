"""Sanity checks for the governance seed data extracted from the covenant."""

import json
import re
from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parents[2] / "services" / "governance" / "seed"

ALLOWED_KINDS = {
    "municipality",
    "police",
    "military_police",
    "care_provider",
    "shelter",
    "coa",
    "ggd",
    "ggz",
    "veilig_thuis",
    "youth_care",
    "addiction_care",
    "public_prosecutor",
    "other",
}

# "De ondergetekenden" in the covenant lists 36 municipalities ("Het college van burgemeester en
# wethouders en de burgemeester ... van de gemeente Asten" through "... Waalre"). The signature
# block ("Aldus overeengekomen") lists the same 36.
EXPECTED_MUNICIPALITIES = 36
# The same list then names 32 organisations (Bijzonder Jeugdwerk through WIJeindhoven).
EXPECTED_ORGANISATIONS = 32


@pytest.fixture(scope="module")
def parties_doc():
    return json.loads((SEED_DIR / "parties.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bodies_doc():
    return json.loads((SEED_DIR / "bodies.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parties(parties_doc):
    return parties_doc["parties"]


@pytest.fixture(scope="module")
def by_name(parties):
    return {p["name"]: p["party_id"] for p in parties}


def _body(bodies_doc, name):
    (body,) = [b for b in bodies_doc["bodies"] if b["body"] == name]
    return body


def test_party_ids_are_test_oins_and_unique(parties):
    ids = [p["party_id"] for p in parties]
    for pid in ids:
        assert re.fullmatch(r"00000099\d{12}", pid), pid
    assert len(ids) == len(set(ids))


def test_party_ids_are_sequential_in_order_of_appearance(parties):
    assert [int(p["party_id"][8:]) for p in parties] == list(range(1, len(parties) + 1))


def test_kinds_allowed(parties):
    for p in parties:
        assert p["kind"] in ALLOWED_KINDS, (p["name"], p["kind"])


def test_names_unique(parties):
    names = [p["name"] for p in parties]
    assert len(names) == len(set(names))


def test_counts_match_covenant(parties, parties_doc):
    municipalities = [p for p in parties if p["kind"] == "municipality"]
    organisations = [p for p in parties if p["kind"] != "municipality"]
    assert len(municipalities) == EXPECTED_MUNICIPALITIES
    assert len(organisations) == EXPECTED_ORGANISATIONS
    assert parties_doc["counts"] == {
        "municipalities": EXPECTED_MUNICIPALITIES,
        "organisations": EXPECTED_ORGANISATIONS,
        "total": EXPECTED_MUNICIPALITIES + EXPECTED_ORGANISATIONS,
    }


def test_board_chair_is_grave(bodies_doc, by_name):
    board = _body(bodies_doc, "regional_board")
    chairs = [s for s in board["seats"] if s["role"] == "board_chair"]
    assert len(chairs) == 1
    assert chairs[0]["held_by_party"] == by_name["Gemeente Grave"]
    secretaries = [s for s in board["seats"] if s["role"] == "board_secretary"]
    assert len(secretaries) == 1


def test_board_seats_reference_known_parties(bodies_doc, parties):
    ids = {p["party_id"] for p in parties}
    for seat in _body(bodies_doc, "regional_board")["seats"]:
        assert seat["held_by_party"] is None or seat["held_by_party"] in ids


def test_managers_under_helmond_lumens_mo_den_bosch(bodies_doc, by_name):
    expected = {
        by_name["Gemeente Helmond"],
        by_name["Lumens"],
        by_name["Maatschappelijke Opvang Den Bosch"],
    }
    managers = _body(bodies_doc, "managers")
    assert {p["party_id"] for p in managers["under_responsibility_of"]["parties"]} == expected
    council = _body(bodies_doc, "partner_council")
    assert council["delegate_per_party"] is True
    (mgr_seat,) = [s for s in council["extra_seats"] if s["role"] == "managers"]
    assert set(mgr_seat["held_by_parties"]) == expected


def test_meeting_frequencies(bodies_doc):
    assert _body(bodies_doc, "regional_board")["meetings"]["per_year"] == 3
    council = _body(bodies_doc, "partner_council")["meetings"]
    assert council["per_year"] == 2 and council["on_request"] is True
