"""Intake's ExportSubjectData refused to another party's privacy officer costs the same whether
intake holds a nomination of the subject (for other parties) or nothing: the same statements
and the same one policy decision, and nothing of a nomination read or unsealed before the
decision allows it, so the refusal's time tells an officer of a party with no part nothing of
whether a person was nominated (need to know, art. 8.4c). Counted as SQLAlchemy sends them;
handlers on a migrated database (SQLite and PostgreSQL) and the embedded policy engine."""

from __future__ import annotations

import uuid

import pytest

from services.intake.adapters.repository import NominationRepository
from services.intake.service_layer import subject_data
from tests.handlers.export_cost import assert_refused_alike
from tests.handlers.test_intake_handlers import FARENT, intake, nominated
from zorgtafel.kernel.caller import Caller

__all__ = ["intake"]  # the fixture, SQLite and PostgreSQL

FARENT_OFFICER = Caller(FARENT, "fg-7", "privacy_officer", party_status="active")


@pytest.mark.parametrize("by", ["case_id", "subject_pseudonym"])
def test_a_refused_export_costs_the_same_statements_whether_a_nomination_is_held(intake, by):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with platform.uow_factory() as uow:
        nom = NominationRepository(uow).get(case_id)
        assert nom is not None
        pseudonym = nom.subject_pseudonym
    held = case_id if by == "case_id" else pseudonym
    none = uuid.uuid4().hex if by == "case_id" else f"psn-{uuid.uuid4().hex[:8]}"
    export = subject_data.export
    assert_refused_alike(
        platform, deps.policy.engine, "intake", export, FARENT_OFFICER, by, held, none
    )
