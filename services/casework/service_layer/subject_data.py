"""Casework's part of the subject access report (GDPR art. 15, Bijlage 3; issue #14): the case
(its state, goal, criteria, escalation and outcome), the parties' roles and delegates, the
meetings with their minutes and pre-read sets, and the plan's actions that concern the subject;
for the privacy officer of a controller of the case (the nominating party, the process
director's and the case director's parties, the parties involved with a role, and those invited
to or attending one of its meetings, which received the subject's data: 8.4, 13, 15.1).

An action's progress note is the acting party's own account: given only to that party's privacy
officer, withheld from others with the ground named (art. 15.1, 17). No officer is given more of
the case than its party's people may read in it: the case's status only to the directors'
and the role parties' (art. 8.4c, as GetCase), a meeting's minutes only to the process
director's party and the attending parties (art. 9.2, as GetMinutes), a meeting only to its
invitees and attendees, the directors' parties and the parties whose need covers the case's
meetings (art. 8.4c, as GetCase), the case's goal, themes and decision types (triage's) only
to the directors' parties (art. 8.4c, 12.2b-c: GetCase shows them to no other), a meeting's
pre-read set (the ids of items of the case) only to the process director's party, which
composed it (art. 8.4c, 15.1, as GetCase), a plan action only to the acting party and the
directors' parties (art. 8.4c, 8.5, 13.2, as GetCase), a party's role and information need to
that party, the directors' parties and the parties coordinating the case (art. 8.4c, 16.1, as
GetCase); to others they are listed as withheld with the ground named, each kind as one line
for the case in the process director's party's name, listed whether or not the case holds
such a record: a line names no other party, and tells nothing of its records (8.4c, 15.1)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import cast

from services.casework.adapters.sealing import unseal
from services.casework.adapters.subject_export import case_ids_of_subject, controlled
from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain.model import Case
from zorgtafel.kernel.crypto import required_ring
from zorgtafel.kernel.subjectdata.model import Holding, Record, Section, TwoStepExporter
from zorgtafel.kernel.uow import UnitOfWork

DESCRIPTIONS = {
    "case": "The case: state, goal, criteria, escalation and outcome (art. 8, 13, Bijlage 2).",
    "roles": "The involved parties' roles, information needs and delegates (art. 8.4, 16.1).",
    "meetings": (
        "Case meetings: when, their goal, themes and decision types, who was invited and "
        "attended, the minutes and the pre-read sets (art. 12)."
    ),
    "plan": "The plan of approach's actions that concern the subject (art. 8.4, 13).",
}


STATUS_GROUND = (
    "A case, its status too, is the directors' and the parties' involved with a role to know "
    "(art. 8.4c); the subject asks the process director's party."
)
GOAL_GROUND = (
    "The case's goal, themes and decision types, set in triage for its case meeting, are the "
    "process director's, who prepares the meeting, and the case director's to know (art. 8.4c, "
    "12.2b-c, 15.1); a meeting's own goal and themes go with the meeting; the subject asks one "
    "of them."
)
SUBJECT_GROUND = (
    "Who nominated the subject and the subject's age band are the nominating party's, the "
    "directors' and those of parties whose need is the subject's identity to know (art. 8.4c); "
    "the subject asks one of them."
)
ESCALATION_GROUND = (
    "A case's escalation is the directors' and that of parties whose need is the subject's "
    "safety to know (art. 8.4c, Bijlage 2); the subject asks one of them."
)
# The categories of GetCase's subject and escalation sections (``section_category``).
SUBJECT_NEED = "identity"
ESCALATION_NEED = "safety"
MEETING_GROUND = (
    "A meeting is its invitees', its attendees', the directors' and those of parties whose need "
    "covers the case's meetings to know (art. 8.4c, 12.2e); the subject asks one of them."
)
# GetCase's view policy shows every meeting to the directors and to a party whose information
# need holds this category (the meetings section's ``section_category``); any other party sees
# the meetings it was invited to only.
MEETINGS_NEED = "case_meetings"
MINUTES_GROUND = (
    "Minutes are not public: the process director's and the attending parties' (art. 9.2); the "
    "subject asks one of them."
)
PRE_READ_GROUND = (
    "A meeting's pre-read set names items of the case, some perhaps outside this party's need: "
    "the process director's party, which composed it, is given it (art. 8.4c, 12.2f, 15.1); "
    "the items this party provided or received are in disclosure's part of the report."
)
ROLE_GROUND = (
    "A party's role and information need are its own, the directors' and those of parties whose "
    "need is the case's coordination to know (art. 8.4c, 16.1); the subject asks the process "
    "director's party, which answers for the case and passes the request on."
)
# GetCase's view policy shows every party's role to the directors and to a party whose
# information need holds this category (``zorgtafel.casework.view``'s ``section_category`` of
# the roles section); any other party sees its own role only.
ROLES_NEED = "coordination"
ACTION_GROUND = (
    "A plan action is the acting party's and the directors' to know (art. 8.4c, 8.5, 13.2); "
    "the subject asks the process director's party, which passes the request on."
)
PROGRESS_GROUND = (
    "An action's progress note is the acting party's own account (art. 15.1, 17); the subject "
    "asks the process director's party, which passes the request on."
)


def _iso(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _case_records(uow: CaseworkUnitOfWork, case: Case) -> dict[str, list[Record]]:
    c = case.case_id
    out: dict[str, list[Record]] = {name: [] for name in DESCRIPTIONS}
    roles = uow.cases.roles(c)
    directors = frozenset(p for p in (case.process_director_party, case.case_director_party) if p)

    def needing(category: str) -> frozenset[str]:
        return frozenset(r.party for r in roles if category in r.information_need)

    def one_line(kind: str) -> dict[str, str]:
        # What another officer is not given of a kind is one line for the case, in the name
        # of the process director's party: a line of its own (a role's id names its party, a
        # plan action's its acting party) told the officer which parties have a part in the
        # case, which GetCase does not tell its party (8.4c, 15.1).
        return {"withheld_as": f"{c}:{kind}", "named_party": case.process_director_party}

    def listed(section: str, kind: str, line: str, shared: frozenset[str], ground: str) -> None:
        # The kind's line, listed to an officer whose party is not given all of the kind
        # whether or not the case holds any such record: a line listed only when a meeting,
        # its minutes or another party's note existed told of them (8.4c, 15.1). Shared as
        # the kind's records are with every party that is given them all; ``party`` "": no
        # party is given all progress notes (each is its acting party's).
        party = "" if kind == "progress_note" else case.process_director_party
        out[section].append(
            Record(
                kind,
                f"{c}:{line}",
                c,
                None,
                party,
                internal=True,
                shared_with=shared,
                ground=ground,
                named_party=case.process_director_party,
                listed_only=True,
            )
        )

    out["case"].append(
        Record(
            "case",
            c,
            c,
            case.opened_at,
            case.process_director_party,
            {
                "state": case.state.value,
                "criteria": json.dumps(case.criteria, sort_keys=True),
                "process_director_party": case.process_director_party,
                "case_director_party": case.case_director_party or "",
                "deescalated_at": _iso(case.deescalated_at),
                "closed_at": _iso(case.closed_at),
                "outcome": case.outcome or "",
            },
            # As GetCase: its view policy shows the case, its status too, to the directors and
            # the parties with a role only; the nominating party or an invitee without one is
            # refused it (8.4c).
            internal=True,
            shared_with=directors | frozenset(r.party for r in roles),
            ground=STATUS_GROUND,
        )
    )
    # Triage's goal, themes and decision types for the case meeting (1.15, 12.2b-c): in no
    # section GetCase shows a party with a role (a meeting's own goal and themes go with the
    # meeting); the directors, who see the whole case, are given them.
    out["case"].append(
        Record(
            "case_goal",
            f"{c}:goal",
            c,
            case.opened_at,
            case.process_director_party,
            {
                "goal_code": case.goal_code,
                "themes": json.dumps(list(case.themes)),
                "decision_types": json.dumps(list(case.decision_types)),
            },
            internal=True,
            shared_with=directors,
            ground=GOAL_GROUND,
        )
    )
    # Always listed, given or withheld, whether or not the case was escalated: a withheld
    # line only for an escalated case would tell that it was. Both are the process director's
    # records, so that a withheld line names no nominating party.
    out["case"].append(
        Record(
            "case_subject",
            f"{c}:subject",
            c,
            case.opened_at,
            case.process_director_party,
            {"nominating_party": case.nominating_party, "age_band": case.age_band},
            internal=True,
            shared_with=directors | needing(SUBJECT_NEED) | {case.nominating_party},
            ground=SUBJECT_GROUND,
        )
    )
    out["case"].append(
        Record(
            "case_escalation",
            f"{c}:escalation",
            c,
            case.escalated_at,
            case.process_director_party,
            {
                "escalated_zvh": case.escalated_zvh or "",
                "escalation_reason": case.escalation_reason or "",
                "escalated_at": _iso(case.escalated_at),
            },
            internal=True,
            shared_with=directors | needing(ESCALATION_NEED),
            ground=ESCALATION_GROUND,
        )
    )
    coordinating = needing(ROLES_NEED)
    following = needing(MEETINGS_NEED)
    listed("roles", "role", "roles", directors | coordinating, ROLE_GROUND)
    listed("meetings", "meeting", "meetings", directors | following, MEETING_GROUND)
    listed("meetings", "pre_read_set", "pre_read", frozenset(), PRE_READ_GROUND)
    listed("meetings", "minutes", "minutes", frozenset(), MINUTES_GROUND)
    listed("plan", "plan_action", "plan", directors, ACTION_GROUND)
    listed("plan", "progress_note", "progress", frozenset(), PROGRESS_GROUND)
    for role in roles:
        out["roles"].append(
            Record(
                "role",
                f"{c}:{role.party}",
                c,
                None,
                role.party,
                {
                    "role": role.role,
                    "information_need": json.dumps(list(role.information_need)),
                    "delegates": str(len(case.delegates.get(role.party, ()))),
                },
                internal=True,
                shared_with=directors | coordinating,
                ground=ROLE_GROUND,
                **one_line("roles"),
            )
        )
    for m in uow.cases.meetings(c):
        out["meetings"].append(
            Record(
                "meeting",
                m.meeting_id,
                c,
                m.held_at or m.scheduled_for,
                case.process_director_party,
                {
                    "status": m.status.value,
                    "scheduled_for": _iso(m.scheduled_for),
                    # The meeting's own goal, themes and decision types, shown with it by
                    # GetCase (12.2b-c): what the party holds of the meeting (GDPR art. 15).
                    "goal_code": m.goal_code,
                    "themes": json.dumps(list(m.themes)),
                    "decision_types": json.dumps(list(m.decision_types)),
                    "held_at": _iso(m.held_at),
                    "invitees": json.dumps(list(m.invitees)),
                    "attendees": json.dumps(list(m.attendees)),
                },
                internal=True,
                shared_with=directors | following | frozenset(m.invitees) | frozenset(m.attendees),
                ground=MEETING_GROUND,
                **one_line("meetings"),
            )
        )
        if m.pre_read_item_ids:
            # The set's item ids name items of the case, some perhaps of a category outside
            # an officer's party's need (8.4c, 15.1): as GetCase, only the process director's
            # party, which composed the set, is given them; an item's own provider and
            # recipients are given it by disclosure's part of the report.
            out["meetings"].append(
                Record(
                    "pre_read_set",
                    f"{m.meeting_id}:pre_read",
                    c,
                    m.scheduled_for,
                    case.process_director_party,
                    {"pre_read_items": json.dumps(list(m.pre_read_item_ids))},
                    internal=True,
                    ground=PRE_READ_GROUND,
                    **one_line("pre_read"),
                )
            )
        minutes = uow.cases.minutes(m)
        if minutes:
            out["meetings"].append(
                Record(
                    "minutes",
                    f"{m.meeting_id}:minutes",
                    c,
                    m.held_at,
                    case.process_director_party,
                    {"minutes": minutes},
                    internal=True,
                    shared_with=frozenset(m.attendees),
                    ground=MINUTES_GROUND,
                    **one_line("minutes"),
                )
            )
    for a in uow.cases.actions(c):
        out["plan"].append(
            Record(
                "plan_action",
                a.action_id,
                c,
                a.updated_at,
                a.party,
                {
                    "plan_version": str(a.plan_version),
                    "what": a.what,
                    "due_date": a.due_date.isoformat(),
                    "status": a.status.value,
                },
                internal=True,
                shared_with=directors,
                ground=ACTION_GROUND,
                **one_line("plan"),
            )
        )
        if a.progress_note:
            out["plan"].append(
                Record(
                    "progress_note",
                    f"{a.action_id}:progress",
                    c,
                    a.updated_at,
                    a.party,
                    {"progress_note": a.progress_note},
                    internal=True,
                    ground=PROGRESS_GROUND,
                    **one_line("progress"),
                )
            )
    return out


def controllers(uow: UnitOfWork, by: str, value: str) -> Holding | None:
    """The subject's cases and who answers for each, read in one statement for the cases
    found (none included), after the subject's cases by pseudonym (the same scan whoever it
    is): all the decision needs; no case's records are read before it."""
    cw = cast(CaseworkUnitOfWork, uow)  # the definition's unit of work
    case_ids = [value] if by == "case_id" else case_ids_of_subject(cw, cw.keys, value)
    found = controlled(cw, case_ids)
    if not found:
        return None
    keyring = cw.keys.keyring
    pseudonym = (
        value
        if by == "subject_pseudonym"
        # The access log's record of the look names the subject (a refused officer is not
        # shown it): the one case's pseudonym, unsealed under its key.
        else unseal(
            required_ring(keyring, "nothing is shown").unwrap(found[0].wrapped_key),
            found[0].subject_pseudonym_sealed,
            f"case:{found[0].case_id}:subject",
        )
    )
    # Each case its own controllers: a party of one of the subject's cases is none of
    # another's (8.4c).
    by_case = {f.case_id: f.parties for f in found}
    return Holding(
        case_ids=tuple(by_case),
        controllers=frozenset().union(*by_case.values()),
        case_controllers=by_case,
        subject_pseudonym=pseudonym,
    )


def records(uow: UnitOfWork, holding: Holding, case_ids: frozenset[str]) -> tuple[Section, ...]:
    """The records of the cases the decision gave (read and unsealed only now)."""
    cw = cast(CaseworkUnitOfWork, uow)
    sections: dict[str, list[Record]] = {name: [] for name in DESCRIPTIONS}
    for case_id in holding.case_ids:
        case = cw.cases.get(case_id) if case_id in case_ids else None
        if case is None:
            continue
        for name, found in _case_records(cw, case).items():
            sections[name].extend(found)
    return tuple(Section(n, DESCRIPTIONS[n], tuple(r)) for n, r in sections.items())


# Controllers first, records after an allow: a refusal costs the same whether anything is held.
export = TwoStepExporter(controllers, records)
