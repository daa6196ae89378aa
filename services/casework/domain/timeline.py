"""What each published fact looks like in the case's own timeline (WatchCase): its kind, the
parties it directly concerns and its details. Ids and codes only (never minutes, action texts,
progress notes or the subject's pseudonym), so a party that may see an entry sees nothing more
than the fact that it happened."""

from __future__ import annotations

from services.casework.domain import events as e
from zorgtafel.kernel.events import DomainEvent


def entry_for(event: DomainEvent) -> tuple[str, list[str], dict] | None:
    """(kind, parties concerned, details) for an event; None when it has no timeline entry."""
    if isinstance(event, e.CaseOpened):
        return (
            "case.opened",
            [],
            {
                "process_director_party": event.process_director_party,
                "nominating_party": event.nominating_party,
            },
        )
    if isinstance(event, e.MeetingScheduled):
        return (
            "meeting.scheduled",
            list(event.invitees),
            {
                "meeting_id": event.meeting_id,
                "scheduled_for": event.scheduled_for,
                "invitees": list(event.invitees),
            },
        )
    if isinstance(event, e.MeetingHeld):
        return (
            "meeting.held",
            list(event.attendees),
            {"meeting_id": event.meeting_id, "attendees": list(event.attendees)},
        )
    if isinstance(event, e.DirectorAppointed):
        return "director.appointed", [event.party], {"party": event.party}
    if isinstance(event, e.ProcessDirectorChanged):
        # 12.3: who directs it now (the party; no person: "" when the one who directed it left)
        return "process_director.changed", [event.party], {"party": event.party}
    if isinstance(event, e.DelegateNamed):
        return "delegate.named", [event.party], {"party": event.party}
    if isinstance(event, e.DelegateReleased):
        return "delegate.released", [event.party], {"party": event.party}
    if isinstance(event, e.RolesSet):
        return (
            "roles.set",
            sorted(event.roles),
            {
                "roles": {
                    p: {"role": r["role"], "information_need": list(r["information_need"])}
                    for p, r in event.roles.items()
                }
            },
        )
    if isinstance(event, e.PlanAdopted):
        return "plan.adopted", [], {"plan_version": event.plan_version, "actions": event.actions}
    if isinstance(event, e.CriteriaSet):
        return (
            "criteria.set",
            [],
            {"meeting_id": event.meeting_id, "criteria": list(event.criteria)},
        )
    if isinstance(event, e.ActionUpdated):
        return (
            "action.updated",
            [event.party],
            {"action_id": event.action_id, "party": event.party, "status": event.status},
        )
    if isinstance(event, e.CaseDeescalated):
        return "case.deescalated", [], {"meeting_id": event.meeting_id}
    if isinstance(event, e.CaseEscalated):
        return "case.escalated", [], {"zvh": event.zvh, "reason_code": event.reason_code}
    if isinstance(event, e.CaseClosed):
        return "case.closed", [], {"outcome": event.outcome}
    return None
