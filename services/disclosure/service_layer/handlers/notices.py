"""The safety override followed up (Bijlage 3, art. 16.2): the provider lists the overrides on
its items (its notice, instead of polling the access log), the overriding party lists the
overrides whose client is not yet informed and records when the client was.

Sourced from the reviews (``ReviewRepository``): one per item overridden, written with the
access-log record in the same transaction, so a notice exists as soon as BreakGlass returned.
A notice carries identifiers, times and the informing status; never the justification nor what
the client was told (free text, sealed under the case key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NoReturn

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.decisions import (
    CONTROL_POLICY,
    MAX_BREAK_GLASS_TEXT,
    control_input,
    obligations_of,
)
from services.disclosure.domain.notices import INFORMED, OverrideNotice
from services.disclosure.domain.times import rfc3339
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.paging import Window, time_and_id
from zorgtafel.kernel.uow import utcnow

log = get_logger(__name__)


def person_scope(
    deps: Deps, uow: DisclosureUnitOfWork, operation: str, caller: Caller, **resource: str
) -> list[str] | None:
    """Decide a notice listing (``zorgtafel.disclosure.control``) and return its scope: the
    cases the caller's person has a part in (a worker: the policy's
    ``restrict_to_cases_of_person``, art. 8.4c, 15.1), or None (the party's privacy officer:
    all of its party's, Bijlage 3). Applied in the page's statement by the caller, so a page is
    full and its token stays valid."""
    functions = deps.roster.functions(caller.party, caller.person, session=uow.session)
    decision = deps.policy.require(
        CONTROL_POLICY, control_input(operation, caller, functions=functions, **resource)
    )
    scopes = [
        ob
        for ob in obligations_of(decision.obligations)
        if ob.get("type") == "restrict_to_cases_of_person"
    ]
    if not scopes:
        return None
    cases: set[str] | None = None
    for ob in scopes:  # several narrow further (fail closed)
        mine = set(
            uow.cases.cases_of_person(
                str(ob.get("party") or ""), str(ob.get("person") or ""), ob.get("parts") or ()
            )
        )
        cases = mine if cases is None else cases & mine
    return sorted(cases or ())


def list_override_notices(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    cmd: commands.ListOverrideNotices,
    caller: Caller,
    window: Window,
) -> tuple[Sequence[OverrideNotice], str]:
    """One page of the overrides on the items ``cmd.provider`` (default: the caller's party)
    provided, newest first; only that party's people (``zorgtafel.disclosure.control``), a
    worker those of the cases the person has a part in, the privacy officer all."""
    provider = cmd.provider or caller.party
    validate.check_oin(provider, "provider")
    cases = person_scope(deps, uow, "list_override_notices", caller, provider=provider)
    rows = uow.reviews.notices_for_provider(
        provider, window.limit, time_and_id(window.after), cases=cases
    )
    return window.cut(rows, key=lambda n: (rfc3339(n.overridden_at), n.review_id))


def list_informing_tasks(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    cmd: commands.ListInformingTasks,
    caller: Caller,
    window: Window,
) -> tuple[Sequence[OverrideNotice], str]:
    """One page of the overrides ``cmd.party``'s people made (default: the caller's party)
    whose client is not yet informed, newest first, paged in SQL by key; a worker those of the
    cases the person has a part in, the party's privacy officer all (``person_scope``)."""
    party = cmd.party or caller.party
    validate.check_oin(party, "party")
    cases = person_scope(deps, uow, "list_informing_tasks", caller, party=party)
    rows = uow.reviews.informing_tasks(party, window.limit, time_and_id(window.after), cases=cases)
    return window.cut(rows, key=lambda n: (rfc3339(n.overridden_at), n.review_id))


def _refuse_as_no_override(deps: Deps, caller: Caller, decision_id: str) -> NoReturn:
    """An id of no override is decided as one another party made (no party): the same refusal,
    so that a decision id tells a stranger nothing (art. 8.4c)."""
    deps.policy.require(
        CONTROL_POLICY,
        control_input("record_client_informed", caller, party="", decision_id=decision_id),
    )
    raise NotFound("safety override", "for that decision")  # permitted to no one: never


def record_client_informed(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RecordClientInformed, caller: Caller
) -> list[OverrideNotice]:
    """The client of an override was informed: every item of that override (one BreakGlass
    call) is marked, what was told sealed with why it was not yet. Only the overriding party's
    people record it; an override already informed is not recorded again."""
    validate.check_id(cmd.decision_id, "decision_id")
    how = validate.check_text(cmd.how, "how", limit=MAX_BREAK_GLASS_TEXT, strip=True)
    if not any(ch.isalnum() for ch in how):
        raise InvalidArgument("how", "required: how the client was informed")
    now = utcnow()
    at = cmd.informed_at or now
    if at > now:
        raise InvalidArgument("informed_at", "not in the future")
    reviews = uow.reviews.override_of_decision(cmd.decision_id)
    if not reviews:
        _refuse_as_no_override(deps, caller, cmd.decision_id)
    first = reviews[0][0]
    cases = person_scope(
        deps,
        uow,
        "record_client_informed",
        caller,
        party=first.party,
        decision_id=cmd.decision_id,
        case_id=first.case_id,
    )
    if cases is not None and first.case_id not in cases and first.person != caller.person:
        # A worker of the overriding party without a part in the case (nor the person who
        # overrode) is told what an id of no override is told: the answer names the case, its
        # items and who overrode, which the informing tasks show it nothing of (art. 8.4c).
        _refuse_as_no_override(deps, caller, cmd.decision_id)
    if at < first.overridden_at:
        raise InvalidArgument("informed_at", "not before the safety override")
    if any(informed is None for _, informed in reviews):
        raise FailedPrecondition(
            "case_erased",
            "the override's record is no longer held (the case was purged)",
            subject="decision_id",
        )
    # Not yet informed, or recorded before the status was asked (unknown): both may be done.
    pending = [(n, i) for n, i in reviews if i is not None and i.status != INFORMED]
    if not pending:
        raise FailedPrecondition(
            "client_already_informed",
            "the client of this safety override is recorded as informed",
            subject="decision_id",
        )
    done = []
    for notice, informed in pending:
        updated = informed.informed(how, at, caller.person)
        uow.reviews.set_client_informed(notice, updated)
        done.append(replace(notice, status=updated.status, informed_at=updated.informed_at))
    log.info(
        "client_informed_recorded",
        decision_id=cmd.decision_id,
        case_id=first.case_id,
        reviews=len(done),
    )
    return done
