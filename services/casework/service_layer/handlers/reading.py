"""7. Reading a case: GetCase and WatchCase show each party only what its role's information
need covers, and within a party only to the persons with a part in the case (its delegates,
the case director, the process director: 8.4c, Bijlage 3), as ``zorgtafel.casework.view``
decides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain.model import Case, CaseState, Meeting, PartyRole, PlanAction
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import (
    VIEW,
    Seen,
    load_case,
    party_facts,
    refuse_outsider,
    view,
)
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import PermissionDenied


@dataclass(frozen=True)
class CaseView:
    case: Case
    sections: frozenset[str]
    partial: frozenset[str]
    caller_party: str
    meetings: list[Meeting]
    roles: list[PartyRole]
    actions: list[PlanAction]
    delegates: list[tuple[str, str]]  # (party, person) the caller may see


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    case_id: str
    kind: str
    occurred_at: Any
    details: dict[str, Any]


# Details of an entry that belong to another section than the entry's own: shown only to a
# caller the view policy gives that section, as GetCase shows them. The nominating party goes
# with the subject (which organisation reported the subject is itself telling, 8.4c), while
# the case's opening is a status entry that every caller who may see the case is shown.
DETAIL_SECTION = {("case.opened", "nominating_party"): "subject"}


@dataclass(frozen=True)
class TimelineBatch:
    entries: list[TimelineEntry]  # the entries the caller may see, as it may see them
    last_sequence: int  # the last sequence number looked at
    state: CaseState


def _visible(uow: CaseworkUnitOfWork, case: Case, caller: Caller, seen: Seen) -> dict[str, Any]:
    """The view policy's document when the caller may see anything of the case, else
    PERMISSION_DENIED with its reasons and decision (the access log's denied record); to a
    party with no part in the case, as for a case that does not exist (8.4c)."""
    d = seen.decision
    if d.allow is not True:
        denied = PermissionDenied(d.reasons, d.decision_id, d.revision, policy=VIEW)
        refuse_outsider(uow, case, caller, denied)
        raise denied
    saw(decision=d)
    return dict(seen.result)


def get_case(deps: Deps, uow: CaseworkUnitOfWork, q: c.GetCase, caller: Caller) -> CaseView:
    case = load_case(uow, q.case_id)
    # Named before the policy decides, so that a refusal is logged against the case too.
    saw(case_id=case.case_id, subject=case.subject_pseudonym)
    roles = uow.cases.roles(case.case_id)
    seen = _visible(uow, case, caller, view(deps, uow, caller, case, roles))
    sections = frozenset(seen.get("sections") or [])
    partial = frozenset(seen.get("partial") or [])
    meetings = []
    if "meetings" in sections or "meetings_invited" in partial:
        meetings = [
            m
            for m in uow.cases.meetings(case.case_id)
            if "meetings" in sections or caller.party in m.invitees
        ]
        if caller.party != case.process_director_party:
            # The pre-read set's item ids name items of the case, some perhaps outside this
            # party's need (8.4c, 15.1): only the party that composed the set sees them; an
            # invitee reads what disclosure releases to it through GetPreReadSet.
            meetings = [replace(m, pre_read_item_ids=()) for m in meetings]
    shown_roles = []
    if "roles" in sections:
        shown_roles = roles
    elif "roles_own" in partial:
        shown_roles = [r for r in roles if r.party == caller.party]
    actions = []
    if "plan" in sections or "plan_own" in partial:
        actions = [
            a
            for a in uow.cases.actions(case.case_id)
            if "plan" in sections or a.party == caller.party
        ]
    delegates = [
        (p, person)
        for p, persons in sorted(case.delegates.items())
        if "roles" in sections or ("roles_own" in partial and p == caller.party)
        for person in persons
    ]
    # What was shown: the sections, then the meetings and actions by id (as many as fit).
    saw(
        resource=listed(
            [
                *sorted(sections | partial),
                *(f"meeting:{m.meeting_id}" for m in meetings),
                *(f"action:{a.action_id}" for a in actions),
            ]
        )
    )
    return CaseView(
        case, sections, partial, caller.party, meetings, shown_roles, actions, delegates
    )


def timeline_for(
    deps: Deps, uow: CaseworkUnitOfWork, q: c.ReadTimeline, caller: Caller
) -> TimelineBatch:
    """The timeline entries after ``q.after_sequence`` the caller may see. The caller's party
    status is read again for every batch, so a party excluded while watching is cut off at
    once (23.2): PERMISSION_DENIED when the caller may see nothing of the case (not involved,
    or its party no longer active)."""
    _known, status = party_facts(uow, caller.party)
    caller = replace(caller, party_status=status)
    case = load_case(uow, q.case_id)
    # Named before the policy decides (a watcher cut off is logged against the case); no
    # entry of this batch is delivered yet.
    saw(case_id=case.case_id, subject=case.subject_pseudonym, resource="")
    roles = uow.cases.roles(case.case_id)
    rows = uow.cases.timeline_after(case.case_id, q.after_sequence)
    seen = view(
        deps,
        uow,
        caller,
        case,
        roles,
        [{"kind": r.kind, "parties": list(r.parties)} for r in rows],
    )
    visible = _visible(uow, case, caller, seen)
    positions = {i for i in visible.get("entries_visible") or [] if isinstance(i, int)}
    sections = frozenset(visible.get("sections") or [])
    shown = [_as_seen(row, sections) for i, row in enumerate(rows) if i in positions]
    last = rows[-1].seq if rows else q.after_sequence
    return TimelineBatch(shown, last, case.state)


def _as_seen(row: Any, sections: frozenset[str]) -> TimelineEntry:
    """A case_timeline row without the details whose section the caller is not given."""
    hidden = {
        k for (kind, k), s in DETAIL_SECTION.items() if kind == row.kind and s not in sections
    }
    details = {k: v for k, v in dict(row.details).items() if k not in hidden}
    return TimelineEntry(row.seq, row.case_id, row.kind, row.occurred_at, details)


def delivered(batch: TimelineBatch) -> Iterator[TimelineEntry]:
    """The batch's entries one by one, each named to the access log as it is handed over:
    the kernel logs every streamed message, and its record says which entry it carried."""
    for row in batch.entries:
        saw(resource=f"{row.kind}:{row.seq}")
        yield row
