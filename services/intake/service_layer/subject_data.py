"""Intake's part of the subject access report (GDPR art. 15, Bijlage 3; issue #14): the
subject's identity, the nomination (problems, safety, consent, chains), its assessment and
triage, and its history, for the privacy officer of a controller of the nomination (the
nominating party; the process director's party for the process-direction dossier, 12.3).

An asked party's triage contribution is that party's own note (1.15: what it can contribute):
given only to its own privacy officer, withheld from others with the ground named. Who was asked
and what each answered goes to the process director's party (and an answer to its own party),
as GetNomination shows them: withheld from the nominating party, whose withheld lines name the
process director's party, not who was consulted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from services.intake.adapters.repository import NominationRepository
from services.intake.adapters.subject_export import controlled, step_times
from services.intake.domain.model import Nomination
from services.intake.domain.vocabulary import NOT_YET_ASSESSED, RECEIVED
from zorgtafel.kernel.subjectdata.model import Holding, Record, Section, TwoStepExporter
from zorgtafel.kernel.uow import UnitOfWork

TRIAGE_GROUND = (
    "Who was consulted in the triage and what each answered is the process director's working "
    "information, an asked party's answer that party's own (art. 1.15, 12.2b, 16.2)."
)

CONTRIBUTION_GROUND = (
    "An asked party's own note in the triage (art. 1.15, 15.1, 17): that party's privacy officer "
    "answers for it."
)


def _codes(values: Iterable[Any]) -> str:
    return json.dumps(sorted(getattr(v, "value", v) for v in values))


def _nomination_records(uow: UnitOfWork, nom: Nomination) -> dict[str, list[Record]]:
    c = nom.case_id
    out: dict[str, list[Record]] = {}
    out["identity"] = [
        Record(
            "identity",
            c,
            c,
            nom.nominated_at,
            nom.nominating_party,
            {k: v for k, v in nom.identity.to_dict().items() if v}
            | {"age_band": nom.age_band.value},
        )
    ]
    out["nomination"] = [
        Record(
            "nomination",
            c,
            c,
            nom.nominated_at,
            nom.nominating_party,
            {
                # Linked or not, as GetNomination tells the nominating party (no oracle).
                "status": RECEIVED if nom.status in NOT_YET_ASSESSED else nom.status.value,
                "nominated_by": nom.nominated_by,
                "consent": nom.consent.value,
                "chains": _codes(nom.chains),
                "problems": json.dumps(
                    [{"domain": p.domain.value, "description": p.description} for p in nom.problems]
                ),
                "safety": json.dumps({**nom.safety.flags(), "description": nom.safety.description}),
            },
        )
    ]
    assessment: list[Record] = []
    if nom.qualifies is not None or nom.criteria is not None:
        fields = {
            "qualifies": str(nom.qualifies).lower(),
            "assessed_by_party": nom.assessed_by_party,
            "reasons": nom.assessment_reasons,
        }
        if nom.rejection_reason is not None:
            fields["rejection_reason"] = nom.rejection_reason.value
        if nom.criteria is not None:
            fields["criteria"] = json.dumps(
                {
                    k: {"holds": j.holds, "grounds": j.grounds}
                    for k, j in nom.criteria.by_letter().items()
                }
            )
        assessment.append(
            Record("assessment", c, c, None, nom.assessed_by_party or nom.nominating_party, fields)
        )
    if nom.safety_override is not None:
        o = nom.safety_override
        assessment.append(
            Record(
                "safety_override",
                c,
                c,
                o.recorded_at,
                o.recorded_by_party,
                {
                    "reason": o.reason,
                    "consulted_colleague": o.consulted_colleague,
                    "client_informed": str(o.client_informed).lower(),
                    "client_information": o.client_information,
                },
            )
        )
    if nom.routing is not None:
        fields = {"routing": nom.routing.value, "reason_code": nom.routing_reason_code}
        if nom.meeting is not None:
            fields["meeting_goal"] = nom.meeting.goal
            fields["meeting_themes"] = _codes(nom.meeting.themes)
        assessment.append(Record("routing", c, c, None, nom.process_director_party, fields))
    out["assessment"] = assessment
    triage: list[Record] = []
    if nom.triage is not None:
        t = nom.triage
        director = nom.process_director_party
        triage.append(
            Record(
                "triage_round",
                t.round_id,
                c,
                t.started_at,
                director,
                {
                    "question": t.question,
                    "themes": _codes(t.themes),
                    "deadline": t.deadline.isoformat(),
                },
            )
        )
        # Who was consulted and what each answered is the process director's working
        # information, an asked party's answer that party's own (1.15, 12.2b, 16.2): the
        # nominating party learns only its own part, as GetNomination shows it. Withheld lines
        # name the process director's party and ids carry no party, so they tell no one who.
        triage.append(
            Record(
                "triage_asked",
                f"{t.round_id}:asked",
                c,
                t.started_at,
                director,
                {"asked": json.dumps(list(t.asked))},
                internal=True,
                ground=TRIAGE_GROUND,
            )
        )
        for n, (party, answer) in enumerate(sorted(t.answers.items())):
            if answer is None:
                continue
            triage.append(
                Record(
                    "triage_answer",
                    f"{t.round_id}:{n}",
                    c,
                    answer.at,
                    party,
                    {"answer": answer.kind.value, "themes": _codes(answer.themes)},
                    internal=True,
                    shared_with=frozenset({director} - {""}),
                    ground=TRIAGE_GROUND,
                    named_party=director,
                )
            )
            if answer.contribution:
                triage.append(
                    Record(
                        "triage_contribution",
                        f"{t.round_id}:{n}:contribution",
                        c,
                        answer.at,
                        party,
                        {"contribution": answer.contribution},
                        internal=True,
                        ground=CONTRIBUTION_GROUND,
                        named_party=director if party != nom.nominating_party else "",
                    )
                )
    out["triage"] = triage
    steps = step_times(uow, c)
    if nom.triage is not None:
        steps["triage_started"] = nom.triage.started_at
    if nom.safety_override is not None:
        steps["safety_override"] = nom.safety_override.recorded_at
    out["history"] = [
        Record("step", f"{c}:{name}", c, at, nom.nominating_party, {"step": name})
        for name, at in steps.items()
        if at is not None
    ]
    return out


DESCRIPTIONS = {
    "identity": "The subject's identity as the nominating party gave it (art. 1.1), sealed at rest.",
    "nomination": "The nomination: problems by life domain, safety, chains, consent (art. 1.1).",
    "assessment": "Assessment against the criteria, safety override and routing (12.2a, Bijlage 2).",
    "triage": "The triage round and the asked parties' answers (1.15, 12.2b).",
    "history": "When the nomination was made, assessed, put to triage, routed and last changed.",
}


def controllers(uow: UnitOfWork, by: str, value: str) -> Holding | None:
    """The subject's nominations and who answers for each, from one read of the nominations
    (the same statement for held and nothing held, nothing unsealed): all the decision needs."""
    found = controlled(uow, by, value)
    if not found:
        return None
    # 15.1: the nominating party for its information; 12.3: the process director's party for
    # the process-direction dossier. Each nomination its own (another party may have nominated
    # the same subject: its nomination is that party's to answer for).
    by_case = {
        f.case_id: frozenset(p for p in (f.nominating_party, f.process_director_party) if p)
        for f in found
    }
    return Holding(
        case_ids=tuple(f.case_id for f in found),
        controllers=frozenset().union(*by_case.values()),
        case_controllers=by_case,
        subject_pseudonym=found[0].subject_pseudonym,
    )


def records(uow: UnitOfWork, holding: Holding, case_ids: frozenset[str]) -> tuple[Section, ...]:
    """The records of the nominations the decision gave (read and unsealed only now)."""
    repo = NominationRepository(uow)
    by_section: dict[str, list[Record]] = {name: [] for name in DESCRIPTIONS}
    for case_id in holding.case_ids:
        nom = repo.get(case_id) if case_id in case_ids else None
        if nom is None:
            continue
        for name, found in _nomination_records(uow, nom).items():
            by_section[name].extend(found)
    return tuple(
        Section(name, DESCRIPTIONS[name], tuple(found)) for name, found in by_section.items()
    )


# Controllers first, records after an allow: a refusal costs the same whether anything is held.
export = TwoStepExporter(controllers, records)
