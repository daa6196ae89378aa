"""A case whose restriction the controller granted (Bijlage 3 "afschermen", GDPR art. 18(2)) is
only kept, over real gRPC and a real broker, on SQLite and PostgreSQL: its process director,
case director and delegates add nothing to it and decide nothing in it (no meeting scheduled or
recorded, no roles, no plan, no action updated) until the lifting; what ends or escalates the
case, and who acts for a party, stay possible. Disclosure's fact arrives as its relay sends it."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import grpc
import pytest

from tests.integration.casework.conftest import FARENT, POLICE, SHELTER
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.testing import denial_reasons, rid, wait_for

pytestmark = pytest.mark.integration


def restrict(env, case_id: str, restricted: bool) -> None:
    """Disclosure's ``CaseRestrictionChanged``: the controller granted (or lifted) it now."""
    env.pub.publish(
        "disclosure",
        ev.CASE_RESTRICTION_CHANGED,
        case_id,
        {
            "case_id": case_id,
            "restricted": restricted,
            "subject_request_id": f"sr-{uuid.uuid4().hex[:8]}",
            "changed_at": datetime.now(timezone.utc).isoformat(),
        },
    )
    wait_for(
        lambda: (env.rows("cases", case_id=case_id)[0]["restricted_at"] is not None) == restricted
    )


def refused_for_the_restriction(call) -> None:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert any("GDPR art. 18(2)" in r for r in denial_reasons(err.value)), err.value.details()


def test_nothing_is_added_to_or_decided_in_a_restricted_case_until_the_lifting(env):
    case_id = env.open_case()
    meeting_id, plan = env.plan_active(case_id)
    next_meeting = env.schedule(case_id).meeting_id
    restrict(env, case_id, True)
    # The process director schedules no meeting, records none (minutes are free text about
    # the subject), sets no roles, adopts no plan.
    refused_for_the_restriction(lambda: env.schedule(case_id))
    refused_for_the_restriction(
        lambda: env.hold(case_id, next_meeting, minutes="nieuwe gegevens over de betrokkene")
    )
    refused_for_the_restriction(
        lambda: env.roles(case_id, meeting_id, {SHELTER: ("shelter", ["identity"])})
    )
    adopt = pb.AdoptPlanRequest(
        request_id=rid(),
        case_id=case_id,
        meeting_id=meeting_id,
        actions=[pb.NewAction(party=POLICE, what="Nieuwe actie", due_date="2030-01-01")],
    )
    refused_for_the_restriction(lambda: env.stub.AdoptPlan(adopt, metadata=env.director()))
    # The delegate carrying out an action, and the case director, update nothing either.
    shelter_action = next(a for a in plan.actions if a.party == SHELTER).action_id
    update = pb.UpdateActionRequest(
        request_id=rid(),
        case_id=case_id,
        action_id=shelter_action,
        status=pb.ACTION_STATUS_IN_PROGRESS,
        progress_note="bezocht op het nieuwe adres",
    )
    refused_for_the_restriction(lambda: env.stub.UpdateAction(update, metadata=env.md(SHELTER)))
    refused_for_the_restriction(lambda: env.stub.UpdateAction(update, metadata=env.case_director()))
    assert env.rows("meetings", meeting_id=next_meeting)[0]["status"] != "held"
    # Who acts for a party is no subject data: still named.
    env.delegate(case_id, FARENT, "person-7")
    restrict(env, case_id, False)
    env.hold(case_id, next_meeting)
    env.stub.UpdateAction(update, metadata=env.md(SHELTER))
