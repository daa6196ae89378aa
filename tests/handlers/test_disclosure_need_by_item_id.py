"""Asked by item id, a person with a part in the case is told of an item its party does not
need (art. 8.4c, 15.1) exactly what it is told of an id that names no item: the same status,
the same words, nothing of the item's category or the provider's terms, at the cost of the same
number of policy decisions; and an outsider is told the same of an unknown id, a real one, an
erased one and one of a case nobody it knows has a part in. Every decision is in the access log
all the same. Handlers on a migrated database and the embedded policy engine."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from services.disclosure.domain import commands as c
from services.disclosure.service_layer.handlers import disclosure, items
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.disclosure_need import case_where_cello_needs_housing_only, provide_of
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CELLO,
    DIRECTOR,
    GGZ,
    OUTSIDER,
    PROVIDER,
    nominate,
)
from tests.handlers.test_disclosure_subject_rights import decide, submit
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import ZorgtafelError
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.testing import CountingEngine, deliver

disclosure_platform = base.disclosure_platform
deps = base.deps


def _case_without_cello(disclosure_platform) -> str:
    """A case of GGZ alone: CELLO is neither invited nor involved."""
    platform, parts = disclosure_platform
    facts = nominate(disclosure_platform, "2026-12-01T10:00:00Z")
    case_id = facts["case_id"]
    opened = {
        **facts,
        "invitees": [],
        "process_director_party": GGZ,
        "process_director_person": DIRECTOR.person,
    }
    deliver(platform, parts, ev.CASE_OPENED, opened)
    roles = {GGZ: {"role": "mental_health", "information_need": ["health"]}}
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles})
    return case_id


def _told(platform, deps, caller: Caller, item_id: str, case_id: str = "", **kw) -> tuple:
    """What the caller is told of a read of ``item_id`` (its own id written as ITEM, the case
    asked as CASE) and how many policy decisions the answer cost."""
    counting = CountingEngine(deps.policy.engine)
    spied = dataclasses.replace(deps, policy=PolicyGate(counting))
    cmd = c.RequestDisclosure(
        action=kw.pop("action", "read"),
        purpose="care_coordination",
        item_ids=(item_id,),
        case_id=case_id,
        **kw,
    )

    def bare(text: str) -> str:
        return text.replace(item_id, "ITEM").replace(case_id or "\0", "CASE")

    with platform.uow_factory() as uow:
        try:
            outcome = disclosure.request_disclosure(spied, uow, cmd, caller)
        except ZorgtafelError as err:
            return (
                type(err).__name__,
                bare(err.message),
                tuple(bare(r) for r in getattr(err, "reasons", ())),
                tuple(sorted(getattr(err, "flags", {}).items())),
                getattr(err, "policy", None),
                getattr(err, "revision", None),
                bool(getattr(err, "decision_id", "")),
                bare(str(getattr(err, "resource_name", ""))),
                counting.evaluated,
            )
    return ("answered", [r.item_id for r in outcome.released], counting.evaluated)


def _logged_denied(platform, party: str, item_id: str) -> list[dict]:
    with platform.uow_factory() as uow:
        return [
            r
            for r in uow.access_log.latest("party", party)
            if r["resource"] == item_id and r["result"] == "denied"
        ]


def test_an_item_outside_the_need_asked_by_id_is_answered_as_an_id_that_names_no_item(
    disclosure_platform, deps
):
    """A delegate of a party that needs housing only, asking the case's health item by its id
    (read, onward share, third-party release; with its case or by the id alone), was refused
    with the reason naming the item's category, and the outside_need flag: so it learned that
    the case holds a health item (art. 8.4c, 15.1). It now hears what it hears of an id never
    given out, at the cost of as many decisions; the refusal is logged all the same."""
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    health = provide_of(platform, deps, case_id, "health")
    unknown = f"itm-{uuid.uuid4().hex}"
    for action, kw in (
        ("read", {}),
        ("onward_share", {}),
        ("third_party_release", {"third_party": "00000099000000000099"}),
    ):
        for case in ("", case_id):
            of_unknown = _told(platform, deps, CARER, unknown, case, action=action, **kw)
            of_health = _told(platform, deps, CARER, health, case, action=action, **kw)
            assert of_health == of_unknown, (action, case)
            assert "health" not in str(of_health)
    assert len(_logged_denied(platform, CELLO, health)) == 6


def test_an_item_within_the_need_is_still_released_and_its_refusals_still_say_why(
    disclosure_platform, deps
):
    """Within its need the person is told why (it may ask the provider, or break the glass)."""
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    housing = provide_of(platform, deps, case_id, "housing")
    assert _told(platform, deps, CARER, housing)[:2] == ("answered", [housing])
    with platform.uow_factory() as uow:
        items.retract(deps, uow, c.Retract(housing), PROVIDER)
        uow.commit()
    told = _told(platform, deps, CARER, housing)
    assert told[0] == "PermissionDenied" and "retracted" in told[1]


@pytest.mark.parametrize("caller", [CARER, OUTSIDER], ids=["delegate", "outsider"])
def test_an_unknown_real_erased_or_other_cases_item_id_is_told_alike(
    disclosure_platform, deps, caller
):
    """By item id alone: an id never given out, a real item of a case the caller has no part
    in, an erased one, and (for the delegate) one its party does not need are answered alike
    and cost the same number of policy decisions."""
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    health = provide_of(platform, deps, case_id, "health")
    erased = provide_of(platform, deps, case_id, "health")
    decide(platform, deps, submit(platform, deps, "erasure", item_id=erased, caller=CARER))
    elsewhere = provide_of(platform, deps, _case_without_cello(disclosure_platform), "health")
    unknown = f"itm-{uuid.uuid4().hex}"
    told = {
        name: _told(platform, deps, caller, item_id)
        for name, item_id in (
            ("unknown", unknown),
            ("outside need", health),
            ("erased", erased),
            ("another case", elsewhere),
        )
    }
    assert len(set(told.values())) == 1, told
