"""RequestDisclosure's request id keeps no answer: a repeat is decided again on the facts of its
own time, logged as a decision of its own and released per that decision (art. 16.2, log before
release); the id with another request, or from a colleague, is refused. Handlers called on a
migrated database and the embedded policy engine (``test_disclosure_handlers``' fixtures)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from services.disclosure.domain import commands as c
from services.disclosure.domain.items import Terms
from services.disclosure.service_layer.handlers import consents, disclosure, items
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CONTENT,
    PROVIDER,
    name_delegate,
    open_case,
    provide,
    provide_cmd,
    read,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, PermissionDenied

disclosure_platform = base.disclosure_platform
deps = base.deps


def _same() -> dict:
    return dict(request_id=f"req-{uuid.uuid4().hex}", request_digest=f"d-{uuid.uuid4().hex}")


def _logged(platform, item_id: str) -> list[tuple[str, str]]:
    with platform.uow_factory() as uow:
        rows = uow.access_log.latest("party", CARER.party)
    return sorted((r["decision_id"], r["result"]) for r in rows if r["resource"] == item_id)


def _decided_events(platform, item_id: str) -> list[str]:
    with platform.uow_factory() as uow:
        outbox = uow.tables["outbox"]
        rows = uow.session.execute(
            select(outbox.c.data).where(outbox.c.type == ev.DISCLOSURE_DECIDED)
        ).all()
    found = [json.loads(r.data) for r in rows]
    return sorted(d["decision_id"] for d in found if d.get("item_id") == item_id)


def _refused_again(platform, deps, item_id: str, same: dict) -> PermissionDenied:
    """The repeat is refused as a fresh request is, by a decision of its own, logged."""
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        read(deps, uow, item_id, CARER, **same)
    assert (err.value.decision_id, "denied") in _logged(platform, item_id)
    return err.value


def test_a_repeat_is_decided_again_logged_again_and_released_per_the_new_decision(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    same = _same()
    with platform.uow_factory() as uow:
        first = read(deps, uow, item_id, CARER, **same).released[0]
    with platform.uow_factory() as uow:
        again = read(deps, uow, item_id, CARER, **same).released[0]
    assert json.loads(again.content) == json.loads(first.content) == CONTENT
    assert again.decision_id != first.decision_id
    decisions = sorted([first.decision_id, again.decision_id])
    assert _logged(platform, item_id) == sorted((d, "allowed") for d in decisions)
    assert _decided_events(platform, item_id) == decisions  # each decision's event once


def test_a_repeat_after_the_item_was_retracted_is_refused(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    same = _same()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released
    with platform.uow_factory() as uow:
        items.retract(deps, uow, c.Retract(item_id=item_id), PROVIDER)
        uow.commit()
    refused = _refused_again(platform, deps, item_id, same)
    assert any("retracted" in r for r in refused.reasons)


def test_a_repeat_after_the_delegate_was_released_is_refused(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    same = _same()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released
    name_delegate(disclosure_platform, case_id, CARER, named=False)
    refused = _refused_again(platform, deps, item_id, same)
    assert any("no part in the case" in r for r in refused.reasons)


def test_a_repeat_after_the_consent_was_withdrawn_is_refused(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, legal_basis="consent"), PROVIDER)
        uow.commit()
    with platform.uow_factory() as uow:
        consent_id = consents.record_subject_consent(
            deps,
            uow,
            c.RecordSubjectConsent(
                case_id=case_id, given_by="subject", scope=("health",), document_ref="doc:c/1"
            ),
            PROVIDER,
        )
        uow.commit()
    same = _same()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released
    with platform.uow_factory() as uow:
        consents.withdraw_consent(
            deps, uow, c.WithdrawConsent(consent_id=consent_id, document_ref="doc:w/1"), PROVIDER
        )
        uow.commit()
    refused = _refused_again(platform, deps, item_id, same)
    assert any("withdrawn" in r for r in refused.reasons)


def test_a_repeat_after_new_usage_terms_gets_the_new_redaction(disclosure_platform, deps):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    same = _same()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released[0].redacted_fields == ()
    with platform.uow_factory() as uow:
        items.set_usage_terms(
            deps,
            uow,
            c.SetUsageTerms(
                item_id, Terms(purposes=("care_coordination",), summary_only_fields=("note",))
            ),
            PROVIDER,
        )
        uow.commit()
    with platform.uow_factory() as uow:
        again = read(deps, uow, item_id, CARER, **same).released[0]
    assert again.redacted_fields == ("note",)
    assert CONTENT["note"] not in again.content.decode()
    assert (again.decision_id, "allowed") in _logged(platform, item_id)


def test_a_repeat_after_the_terms_expired_is_refused(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    soon = datetime.now(timezone.utc) + timedelta(seconds=2)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, expires_at=soon), PROVIDER)
        uow.commit()
    same = _same()
    with platform.uow_factory() as uow:
        assert read(deps, uow, item_id, CARER, **same).released
    time.sleep(max(0.0, (soon - datetime.now(timezone.utc)).total_seconds()) + 0.2)
    refused = _refused_again(platform, deps, item_id, same)
    assert any("only until" in r for r in refused.reasons)


def test_the_id_with_another_request_or_from_a_colleague_is_refused_and_not_logged(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    same = _same()
    with platform.uow_factory() as uow:
        read(deps, uow, item_id, CARER, **same)
    logged = _logged(platform, item_id)
    colleague = Caller(CARER.party, "colleague-7", "caseworker", party_status="active")
    for caller, digest in ((CARER, "another-request"), (colleague, "colleague's digest")):
        with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as err:
            read(deps, uow, item_id, caller, request_id=same["request_id"], request_digest=digest)
        assert err.value.state == "request_id_used"
    assert _logged(platform, item_id) == logged


@pytest.mark.parametrize("same_request", [True, False])
def test_a_concurrent_copy_that_claimed_the_id_first(
    disclosure_platform, deps, monkeypatch, same_request
):
    """The copy that loses the race to claim the id (its claim collides in the log's
    transaction, so nothing of it was written) is logged and released as any repeat; with
    another request behind the id it is refused and nothing of it is logged."""
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    same = _same()
    with platform.uow_factory() as uow:
        read(deps, uow, item_id, CARER, **same)
    logged = _logged(platform, item_id)
    real = disclosure._request_id_claimed
    asked = []

    def not_yet_claimed_at_first(uow, cmd, caller):  # the other copy commits meanwhile
        asked.append(cmd.request_id)
        return False if len(asked) == 1 else real(uow, cmd, caller)

    monkeypatch.setattr(disclosure, "_request_id_claimed", not_yet_claimed_at_first)
    repeat = same if same_request else {**same, "request_digest": "another-request"}
    with platform.uow_factory() as uow:
        if same_request:
            out = read(deps, uow, item_id, CARER, **repeat)
            assert json.loads(out.released[0].content) == CONTENT
            assert _logged(platform, item_id) == sorted(
                logged + [(out.released[0].decision_id, "allowed")]
            )
        else:
            with pytest.raises(FailedPrecondition):
                read(deps, uow, item_id, CARER, **repeat)
            assert _logged(platform, item_id) == logged
    assert len(asked) == 2
