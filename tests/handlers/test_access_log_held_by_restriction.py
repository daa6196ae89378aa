"""Casework's and intake's access logs are not pruned past a restricted case's first record
(GDPR art. 18(2): while a subject's restriction holds, what is held may only be stored, and the
access log is the subject's evidence of who looked). Disclosure's own holds (an item, a subject)
are in test_retention_handlers; here the kernel's ``held_while_restricted`` as the other two
services use it, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from services.intake.bootstrap import make_deps as intake_deps
from services.intake.domain.commands import Nominate
from services.intake.domain.model import Problem, Safety
from services.intake.domain.vocabulary import Chain, ConsentStatus, LifeDomain
from services.intake.service_layer.handlers import nominations
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.accesslog import prune, store
from zorgtafel.kernel.bootstrap import make_retention_scheduler
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.service import Platform, ServiceParts
from zorgtafel.testing import (
    deliver,
    handler_platform,
    logged_read,
    restriction_changed,
    set_party_status,
    set_roster,
)

ASTEN = "00000099000000000001"
HELMOND = "00000099000000000018"
LUMENS = "00000099000000000053"
SHELTER = "00000099000000000051"
NOW = datetime.now(timezone.utc)
OLD = NOW - timedelta(days=10)
PERIOD = timedelta(days=1)


def _casework_case(platform: Platform, parts: ServiceParts) -> tuple[str, str]:
    """A case casework opened from intake's outcome (routed to a case meeting)."""
    case_id, subject = f"case-{uuid.uuid4()}", uuid.uuid4().hex * 2
    deliver(
        platform,
        parts,
        ev.CASE_TRIAGED,
        {
            "case_id": case_id,
            "subject_pseudonym": subject,
            "nominating_party": ASTEN,
            "age_band": "12_to_16",
            "routing": "case_meeting",
            "goal_code": "stabilise",
            "themes": ["safety"],
            "decision_types": ["plan"],
            "invitees": [SHELTER],
            "process_director_party": LUMENS,
            "process_director_person": "zorgcoordinator-1",
        },
    )
    return case_id, subject


def _intake_case(platform: Platform, parts: ServiceParts) -> tuple[str, str]:
    """A nomination of a subject of its own (a fresh BSN)."""
    cmd = Nominate(
        given_names="Zofia",
        family_name=f"Wiśniewska-{uuid.uuid4().hex[:8]}",
        date_of_birth="2009-03-04",
        bsn="",
        v_number="",
        age_band=None,
        problems=(Problem(LifeDomain.HOUSING, "dakloos"), Problem(LifeDomain.SAFETY, "bedreigd")),
        safety=Safety(serious_local_safety_problem=True, multiple_chains_needed=True),
        chains=(Chain.CARE, Chain.COERCION_AND_PRESSURE),
        consent=ConsentStatus.GIVEN,
        usage_terms={"purposes": ["care_coordination"]},
    )
    with platform.uow_factory() as uow:
        nom = nominations.nominate(
            intake_deps(platform),
            uow,
            cmd,
            Caller(ASTEN, "worker-1", "caseworker", party_status="active"),
        )
        uow.commit()
    return nom.case_id, nom.subject_pseudonym


SERVICES: dict[str, Callable[[Platform, ServiceParts], tuple[str, str]]] = {
    "casework": _casework_case,
    "intake": _intake_case,
}


@pytest.fixture(params=sorted(SERVICES))
def service(request, data_dir, database_url):
    name = request.param
    with handler_platform(name, data_dir, database_url) as (platform, parts):
        for party in (ASTEN, HELMOND, LUMENS, SHELTER):
            set_party_status(platform, party, "active")
        set_roster(platform, "process_director", HELMOND, "zorgcoordinator-1")
        yield name, platform, parts


def test_the_access_log_is_not_pruned_from_a_restricted_cases_first_record(service):
    name, platform, parts = service
    free, free_subject = SERVICES[name](platform, parts)
    held, held_subject = SERVICES[name](platform, parts)
    with platform.uow_factory() as uow:
        start = prune.first_whole(uow.session.connection(), store.LogTables.of(uow.tables))
        engine = uow.session.get_bind()
    records = [
        logged_read(free, free_subject, OLD),
        logged_read(held, held_subject, OLD),
        logged_read(free, free_subject, OLD),
    ]
    if name == "intake":  # a search by the subject's pseudonym names no case
        records.insert(2, logged_read("", held_subject, OLD))
    seqs = [platform.access_log.append([r])[0] for r in records]
    assert seqs == list(range(start, start + len(records)))
    s = make_retention_scheduler(
        platform.settings, parts.retention, platform.policy, engine, access_log=platform.uow_factory
    )
    assert s is not None
    task = next(t for t in s.tasks if t.name == "access_log_prune")
    assert task.due(PERIOD, NOW)[: len(seqs)] == [str(q) for q in seqs]  # listed before
    restriction_changed(platform, parts, held, True, OLD + timedelta(seconds=1))
    assert task.due(PERIOD, NOW) == [str(seqs[0])]  # the prefix ends before the held case's
    assert task.apply(str(seqs[0]), PERIOD, NOW) is True
    assert task.apply(str(seqs[1]), PERIOD, NOW) is False  # read again at its turn: held
    restriction_changed(platform, parts, held, False, OLD + timedelta(seconds=2))
    assert task.due(PERIOD, NOW)[: len(seqs) - 1] == [str(q) for q in seqs[1:]]
    for seq in seqs[1:]:
        assert task.apply(str(seq), PERIOD, NOW) is True
