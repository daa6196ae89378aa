"""ExportSubjectData refused to another party's privacy officer costs the same whether the
service holds data about the subject (for other parties) or holds nothing: the same statements
and the same one policy decision, so its time tells an officer of a party with no part nothing
of whether a person is in the care table (need to know, art. 8.4c). Counted as SQLAlchemy sends
them; handlers on a migrated database (SQLite and PostgreSQL) and the embedded policy engine."""

from __future__ import annotations

import uuid

import pytest

from tests.handlers import test_disclosure_handlers as base
from tests.handlers.export_cost import statement_shapes
from tests.handlers.test_disclosure_handlers import open_case, provide
from tests.handlers.test_disclosure_subject_rights import FARENT_OFFICER, export, pseudonym_of
from zorgtafel.kernel.errors import PermissionDenied
from zorgtafel.testing.statements import statements

disclosure_platform = base.disclosure_platform
deps = base.deps


def _refused_with(platform, deps, by: str, value: str) -> tuple[str, list[str]]:
    with statements() as sent, pytest.raises(PermissionDenied) as refused:
        export(platform, deps, by, value, FARENT_OFFICER)
    return refused.value.message.replace(value, "SUBJECT"), statement_shapes(sent)


@pytest.mark.parametrize("by", ["case_id", "subject_pseudonym"])
def test_a_refused_export_costs_the_same_statements_whether_anything_is_held(
    disclosure_platform, deps, by
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    held = case_id if by == "case_id" else pseudonym_of(platform, case_id)
    none = f"case-{uuid.uuid4().hex[:12]}" if by == "case_id" else f"psn-{uuid.uuid4().hex[:8]}"
    said_held, sent_held = _refused_with(platform, deps, by, held)
    said_none, sent_none = _refused_with(platform, deps, by, none)
    assert said_held == said_none
    assert sent_held == sent_none


# What a record holds beyond who answers for it: never read before the policy allows.
RECORD_COLUMNS = (
    "items.content_sealed",
    "items.summaries_sealed",
    "items.terms",
    "consents.scope",
    "consents.document_ref",
    "access_log.person",
    "access_log.reasons",
    "access_log.decision_input",
)
RECORD_TABLES = ("subject_requests", "reviews")


@pytest.mark.parametrize("by", ["case_id", "subject_pseudonym"])
def test_a_refused_export_reads_no_record_before_the_decision(disclosure_platform, deps, by):
    """Disclosure's exporter is the kernel's two-step one, as intake's and casework's: first
    only the subject's cases and who answers for them (the nominating party, the items'
    providers, the consents' recorders, the parties that received an item), then, after an
    allow, the records. Refused, it read every item, consent, logged read, request and
    override of the subject before the decision all the same."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    held = case_id if by == "case_id" else pseudonym_of(platform, case_id)
    with statements() as sent, pytest.raises(PermissionDenied):
        export(platform, deps, by, held, FARENT_OFFICER)
    selects = [" ".join(s.split()).split(" WHERE ")[0] for s in sent]
    read = [c for c in RECORD_COLUMNS if any(c in s for s in selects)]
    read += [
        t for t in RECORD_TABLES if any(f"{t} " in s.split(" FROM ")[-1] + " " for s in selects)
    ]
    assert read == []
