"""Intake's results -> proto responses: the nomination as its readers may see it (its process
director all of it; the nominating party without the pseudonym, the links or whether it was
linked), and what each command answers."""

from __future__ import annotations

from datetime import datetime

from services.intake.adapters.probing import ProbingFlag
from services.intake.domain import vocabulary as v
from services.intake.domain.assessment import JudgedCriteria, SafetyOverride
from services.intake.domain.model import Advice, Nomination
from services.intake.domain.triage import TriageQuestion
from services.intake.domain.worklist import WorklistRow
from services.intake.entrypoints.proto_mapping import terms_out
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.convert import enum_out
from zorgtafel.kernel.convert import to_timestamp as ts


def status_out(s: v.Status) -> int:
    return enum_out(pb.NominationStatus, "NOMINATION_STATUS_", s)


def advice_out(a: Advice | None) -> pb.CriteriaAdvice | None:
    if a is None:
        return None
    return pb.CriteriaAdvice(
        qualifies=a.qualifies,
        criteria_held=list(a.criteria_held),
        reasons=list(a.reasons),
        policy_revision=a.revision,
    )


def nominated_out(n: Nomination) -> pb.NominateResponse:
    """Only "received": never the pseudonym nor the case id of a nomination it is linked to
    (those response fields stay unset)."""
    return pb.NominateResponse(
        case_id=n.case_id,
        age_band=enum_out(pb.AgeBand, "AGE_BAND_", n.age_band),
        status=pb.NOMINATION_STATUS_RECEIVED,
    )


def criteria_out(c: JudgedCriteria | None) -> pb.JudgedCriteria | None:
    if c is None:
        return None
    j = c.by_letter()
    return pb.JudgedCriteria(
        **{k.lower(): pb.JudgedCriterion(holds=x.holds, grounds=x.grounds) for k, x in j.items()}
    )


def assessed_out(n: Nomination) -> pb.AssessResponse:
    held = [k for k, x in n.criteria.holds().items() if x] if n.criteria else []
    return pb.AssessResponse(
        case_id=n.case_id,
        advice=advice_out(n.advice),
        qualifies=bool(n.qualifies),
        status=status_out(n.status),
        criteria_judged_held=held,
    )


def override_out(o: SafetyOverride | None) -> pb.SafetyOverride | None:
    if o is None:
        return None
    return pb.SafetyOverride(
        reason=o.reason,
        consulted_colleague=o.consulted_colleague,
        client_informed=o.client_informed,
        client_information=o.client_information,
        recorded_by_party=o.recorded_by_party,
        recorded_by=o.recorded_by,
        recorded_at=ts(o.recorded_at),
    )


def override_recorded_out(n: Nomination) -> pb.RecordSafetyOverrideResponse:
    assert n.safety_override is not None
    return pb.RecordSafetyOverrideResponse(
        case_id=n.case_id, recorded_at=ts(n.safety_override.recorded_at)
    )


def flag_out(f: ProbingFlag) -> pb.ProbingFlag:
    return pb.ProbingFlag(
        flag_id=f.flag_id,
        nominating_party=f.nominating_party,
        nominated_by=f.nominated_by,
        matches=f.matches,
        window_s=f.window_s,
        flagged_at=ts(f.flagged_at),
    )


def triage_started_out(n: Nomination) -> pb.StartTriageResponse:
    return pb.StartTriageResponse(
        case_id=n.case_id, round_id=n.triage.round_id, deadline=ts(n.triage.deadline)
    )


def answered_out(n: Nomination, round_closed: bool) -> pb.AnswerTriageResponse:
    return pb.AnswerTriageResponse(
        case_id=n.case_id, round_id=n.triage.round_id, round_closed=round_closed
    )


def routed_out(n: Nomination) -> pb.DecideRoutingResponse:
    return pb.DecideRoutingResponse(
        case_id=n.case_id,
        routing=enum_out(pb.Routing, "ROUTING_", n.routing),
        invitees=list(n.meeting.invitees) if n.meeting else [],
    )


def withdrawn_out(n: Nomination) -> pb.WithdrawNominationResponse:
    return pb.WithdrawNominationResponse(case_id=n.case_id, status=status_out(n.status))


def triage_question_out(q: TriageQuestion) -> pb.GetTriageQuestionResponse:
    return pb.GetTriageQuestionResponse(
        case_id=q.case_id,
        round_id=q.round_id,
        subject_pseudonym=q.subject_pseudonym,
        age_band=enum_out(pb.AgeBand, "AGE_BAND_", q.age_band),
        themes=list(q.themes),
        question=q.question,
        deadline=ts(q.deadline),
        answered=q.answered,
        closed=q.closed,
    )


def nomination_out(
    n: Nomination, linked: list[str], full: bool = True, triage_of: frozenset[str] | None = None
) -> pb.Nomination:
    """``full`` for its process director; otherwise the nominating party's view. Of the triage
    round only the asked parties in ``triage_of`` are named, with their answers (None: all)."""
    i = n.identity
    status, director = status_out(n.status), n.process_director or ("", "")
    if not full and n.status in v.NOT_YET_ASSESSED:
        # A linked nomination is directed by its primary's process director: not told.
        status, director = pb.NOMINATION_STATUS_RECEIVED, ("", "")
    out = pb.Nomination(
        case_id=n.case_id,
        subject_pseudonym=n.subject_pseudonym if full else "",
        nominating_party=n.nominating_party,
        status=status,
        subject=pb.SubjectIdentity(
            given_names=i.given_names,
            family_name=i.family_name,
            date_of_birth=i.date_of_birth.isoformat() if i.date_of_birth else "",
            bsn=i.bsn,
            v_number=i.v_number,
        ),
        age_band=enum_out(pb.AgeBand, "AGE_BAND_", n.age_band),
        problems=[
            pb.LifeDomainProblem(
                domain=enum_out(pb.LifeDomain, "LIFE_DOMAIN_", p.domain), description=p.description
            )
            for p in n.problems
        ],
        safety=pb.SafetyConcerns(description=n.safety.description, **n.safety.flags()),
        chains_involved=[enum_out(pb.Chain, "CHAIN_", c) for c in n.chains],
        consent_status=enum_out(pb.ConsentStatus, "CONSENT_STATUS_", n.consent),
        consent_now=enum_out(pb.ConsentStatus, "CONSENT_STATUS_", n.consent_now),
        usage_terms=terms_out(n.usage_terms),
        nominated_at=ts(n.nominated_at),
        linked_to_case_id=n.linked_to_case_id if full else "",
        linked_case_ids=linked if full else [],
        advice=advice_out(n.advice),
        qualifies=bool(n.qualifies),
        rejection_reason=enum_out(pb.RejectionReason, "REJECTION_REASON_", n.rejection_reason),
        assessment_reasons=n.assessment_reasons,
        routing=enum_out(pb.Routing, "ROUTING_", n.routing),
        criteria=criteria_out(n.criteria),
        process_director_party=director[0],
        process_director_person=director[1],
        safety_override=override_out(n.safety_override),
    )
    if n.triage is not None:
        # The nominating party sees its own party's part only (1.15, 16.2: another party's
        # answer, and that it was consulted, is for the process director).
        shown = [p for p in n.triage.asked if triage_of is None or p in triage_of]
        out.asked_parties.extend(shown)
        out.triage_deadline.CopyFrom(ts(n.triage.deadline))
        for party in shown:
            a = n.triage.answers[party]
            if a is not None:
                out.triage_answers.append(
                    pb.TriageAnswer(
                        party=party,
                        answer=enum_out(pb.TriageAnswerKind, "TRIAGE_ANSWER_KIND_", a.kind),
                        contribution=a.contribution,
                        answered_at=ts(a.at),
                        themes=list(a.themes),
                    )
                )
    if n.meeting is not None:
        mt = n.meeting
        out.meeting.CopyFrom(
            pb.CaseMeetingPlan(
                goal_code=mt.goal_code,
                goal=mt.goal,
                themes=list(mt.themes),
                decision_types=list(mt.decision_types),
                invitees=[pb.Invitee(party=p) for p in mt.invitees],
            )
        )
    return out


def worklist_row_out(row: WorklistRow, now: datetime) -> pb.WorklistNomination:
    """Ids, codes and times only: the subject's identity is never on a worklist."""
    return pb.WorklistNomination(
        case_id=row.case_id,
        stage=enum_out(pb.WorklistStage, "WORKLIST_STAGE_", row.stage(now)),
        status=status_out(row.status),
        received_at=ts(row.received_at),
        triage_deadline=ts(row.triage_deadline) if row.triage_deadline else None,
        nominating_party=row.nominating_party,
    )
