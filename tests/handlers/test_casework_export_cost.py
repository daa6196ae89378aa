"""Casework's ExportSubjectData refused to another party's privacy officer costs the same
whether casework holds a case of the subject (for other parties) or nothing: the same
statements and the same one policy decision, and no case, role, meeting or action read before
the decision allows it, so the refusal's time tells an officer of a party with no part nothing
of whether a person is in the care table (need to know, art. 8.4c). Counted as SQLAlchemy sends
them; handlers on a migrated database (SQLite and PostgreSQL) and the embedded policy engine."""

from __future__ import annotations

import uuid

import pytest

from services.casework.service_layer import subject_data
from tests.handlers.export_cost import assert_refused_alike, refused_export
from tests.handlers.test_casework_handlers import GGD, casework, deps, open_case
from zorgtafel.kernel.caller import Caller
from zorgtafel.testing import CountingEngine

__all__ = ["casework", "deps"]  # the fixtures, SQLite and PostgreSQL

GGD_OFFICER = Caller(GGD, "fg-3", "privacy_officer", party_status="active")  # no part


def _refused_with(platform, engine: CountingEngine, by: str, value: str):
    return refused_export(platform, engine, "casework", subject_data.export, GGD_OFFICER, by, value)


@pytest.mark.parametrize("by", ["case_id", "subject_pseudonym"])
def test_a_refused_export_costs_the_same_statements_whether_a_case_is_held(casework, deps, by):
    platform, _parts = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:
        case = uow.cases.get(case_id)
        assert case is not None
        pseudonym = case.subject_pseudonym
    held = case_id if by == "case_id" else pseudonym
    none = f"case-{uuid.uuid4()}" if by == "case_id" else f"psn-{uuid.uuid4().hex[:8]}"
    export = subject_data.export
    assert_refused_alike(
        platform, deps.policy.engine, "casework", export, GGD_OFFICER, by, held, none
    )


def test_finding_a_subjects_cases_takes_the_same_statements_however_many_cases_are_held(
    casework, deps
):
    """The subject's cases are found by opening every case's sealed pseudonym (no table dump
    links cases to a subject): with their keys in one statement, not one statement a case,
    so an export by pseudonym does not grow with the region's cases."""
    platform, _parts = casework
    open_case(casework)
    engine = CountingEngine(deps.policy.engine)
    _said, before, _decided = _refused_with(platform, engine, "subject_pseudonym", "psn-none")
    open_case(casework)
    open_case(casework)
    _said, after, _decided = _refused_with(platform, engine, "subject_pseudonym", "psn-none")
    assert after == before
