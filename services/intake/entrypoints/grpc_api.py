"""gRPC servicer: proto -> command (checking every field, naming it when it is wrong) ->
handler inside ``execute_once`` -> proto. Nothing else."""

from __future__ import annotations

from datetime import timezone

from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.exc import IntegrityError

from services.intake.domain import model as m
from services.intake.domain.commands import (Assess, AnswerTriage, Caller, DecideRouting,
                                             Nominate, StartTriage, Withdraw)
from services.intake.service_layer import handlers
from zorgtafel.common.v1 import common_pb2
from zorgtafel.intake.v1 import intake_pb2 as pb
from zorgtafel.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.kernel.callcontext import current
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, Unavailable

SERVICE = "/zorgtafel.intake.v1.IntakeService/"
NOMINATE_ATTEMPTS = 4


# -- enums ------------------------------------------------------------------------------------
def _enum_in(proto_enum, domain_enum, value: int, field: str, prefix: str, *,
             required: bool = True):
    if value == 0:
        if required:
            raise InvalidArgument(field, "required")
        return None
    try:
        name = proto_enum.Name(value).removeprefix(prefix).lower()
    except ValueError as exc:
        raise InvalidArgument(field, "unknown value") from exc
    return domain_enum(name)


def _enum_out(proto_enum, prefix: str, value) -> int:
    if value is None:
        return 0
    return proto_enum.Value(prefix + value.value.upper())


def age_in(value: int) -> m.AgeBand | None:
    if value == 0:
        return None
    try:
        name = pb.AgeBand.Name(value).removeprefix("AGE_BAND_").lower()
    except ValueError as exc:
        raise InvalidArgument("age_band", "unknown value") from exc
    return m.AgeBand(name)


def age_out(band: m.AgeBand) -> int:
    return pb.AgeBand.Value("AGE_BAND_" + band.value.upper())


def _ts(dt) -> Timestamp | None:
    if dt is None:
        return None
    t = Timestamp()
    t.FromDatetime(dt.astimezone(timezone.utc))
    return t


# -- usage terms (16.2) -----------------------------------------------------------------------
def terms_in(terms: common_pb2.UsageTerms, present: bool) -> dict:
    if not present:
        raise InvalidArgument("usage_terms", "required: the nominating party states how its "
                              "information may be used (art. 16.2)")
    m.check_oins(terms.recipient_parties, "usage_terms.recipient_parties", m.MAX_TERMS_ITEMS)
    m.check_codes(terms.recipient_roles, "usage_terms.recipient_roles", m.MAX_TERMS_ITEMS)
    m.check_codes(terms.purposes, "usage_terms.purposes", m.MAX_TERMS_ITEMS, required=True)
    m.check_codes(terms.summary_only_fields, "usage_terms.summary_only_fields",
                  m.MAX_TERMS_ITEMS)
    if terms.HasField("expires_at"):
        try:
            terms.expires_at.ToDatetime()
        except (ValueError, OverflowError) as exc:
            raise InvalidArgument("usage_terms.expires_at", "not a valid time") from exc
    return json_format.MessageToDict(terms, preserving_proto_field_name=True)


def terms_out(terms: dict) -> common_pb2.UsageTerms:
    out = common_pb2.UsageTerms()
    json_format.ParseDict(terms, out)
    return out


# -- messages -----------------------------------------------------------------------------------
def nominate_in(req: pb.NominateRequest) -> Nominate:
    s = req.subject
    problems = []
    if len(req.problems) > m.MAX_PROBLEMS:
        raise InvalidArgument("problems", f"at most {m.MAX_PROBLEMS} entries")
    for i, p in enumerate(req.problems):
        domain = _enum_in(pb.LifeDomain, m.LifeDomain, p.domain, f"problems[{i}].domain",
                          "LIFE_DOMAIN_")
        m.check_text(p.description, f"problems[{i}].description", m.MAX_DESCRIPTION)
        problems.append(m.Problem(domain, p.description))
    if len(req.chains_involved) > m.MAX_CHAINS:
        raise InvalidArgument("chains_involved", f"at most {m.MAX_CHAINS} entries")
    chains = tuple(_enum_in(pb.Chain, m.Chain, c, f"chains_involved[{i}]", "CHAIN_")
                   for i, c in enumerate(req.chains_involved))
    if len(set(chains)) != len(chains):
        raise InvalidArgument("chains_involved", "duplicate entries")
    sf = req.safety
    m.check_text(sf.description, "safety.description", m.MAX_DESCRIPTION)
    safety = m.Safety(sf.serious_local_safety_problem, sf.affects_family_or_social_environment,
                      sf.multiple_chains_needed, sf.acute_danger, sf.description)
    consent = _enum_in(pb.ConsentStatus, m.ConsentStatus, req.consent_status, "consent_status",
                       "CONSENT_STATUS_")
    if not req.HasField("subject"):
        raise InvalidArgument("subject", "required")
    return Nominate(s.given_names, s.family_name, s.date_of_birth, s.bsn, s.v_number,
                    age_in(req.age_band), tuple(problems), safety, chains, consent,
                    terms_in(req.usage_terms, req.HasField("usage_terms")))


def assess_in(req: pb.AssessRequest) -> Assess:
    m.check_case_id(req.case_id)
    reason = _enum_in(pb.RejectionReason, m.RejectionReason, req.rejection_reason,
                      "rejection_reason", "REJECTION_REASON_", required=False)
    m.check_text(req.reasons, "reasons", m.MAX_REASONS, required=True)
    if not req.nominating_party_consulted:
        raise InvalidArgument("nominating_party_consulted", "the assessment is made in "
                              "consultation with the nominating party (art. 12.2a)")
    return Assess(req.case_id, req.qualifies, reason, req.reasons, True)


def start_triage_in(req: pb.StartTriageRequest) -> StartTriage:
    m.check_case_id(req.case_id)
    parties = m.check_oins(req.asked_parties, "asked_parties", required=True)
    if not req.HasField("deadline"):
        raise InvalidArgument("deadline", "required")
    try:
        deadline = req.deadline.ToDatetime(tzinfo=timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise InvalidArgument("deadline", "not a valid time") from exc
    themes = m.check_codes(req.themes, "themes", m.MAX_THEMES, required=True)
    m.check_text(req.question, "question", m.MAX_QUESTION, required=True)
    return StartTriage(req.case_id, parties, deadline, themes, req.question)


def answer_in(req: pb.AnswerTriageRequest) -> AnswerTriage:
    m.check_case_id(req.case_id)
    kind = _enum_in(pb.TriageAnswerKind, m.TriageAnswerKind, req.answer, "answer",
                    "TRIAGE_ANSWER_KIND_")
    m.check_text(req.contribution, "contribution", m.MAX_CONTRIBUTION)
    themes = m.check_codes(req.themes, "themes", m.MAX_THEMES)
    return AnswerTriage(req.case_id, kind, req.contribution, themes)


def routing_in(req: pb.DecideRoutingRequest) -> DecideRouting:
    m.check_case_id(req.case_id)
    routing = _enum_in(pb.Routing, m.Routing, req.routing, "routing", "ROUTING_")
    m.check_code(req.reason_code, "reason_code", required=False)
    meeting, lawful = None, {}
    if req.HasField("meeting"):
        mt = req.meeting
        m.check_code(mt.goal_code, "meeting.goal_code")
        m.check_text(mt.goal, "meeting.goal", m.MAX_GOAL, required=True)
        themes = m.check_codes(mt.themes, "meeting.themes", m.MAX_THEMES, required=True)
        kinds = m.check_codes(mt.decision_types, "meeting.decision_types",
                              m.MAX_DECISION_TYPES, required=True)
        invitees = m.check_oins([i.party for i in mt.invitees], "meeting.invitees",
                                required=True)
        for i, inv in enumerate(mt.invitees):
            lawful[inv.party] = m.check_codes(inv.lawful_themes,
                                              f"meeting.invitees[{i}].lawful_themes",
                                              m.MAX_THEMES)
        meeting = m.MeetingPlan(mt.goal_code, mt.goal, themes, kinds, invitees)
    return DecideRouting(req.case_id, routing, meeting, req.reason_code, lawful)


def advice_out(a: m.Advice | None) -> pb.CriteriaAdvice | None:
    if a is None:
        return None
    return pb.CriteriaAdvice(qualifies=a.qualifies, criteria_held=list(a.criteria_held),
                             reasons=list(a.reasons), policy_revision=a.revision)


def status_out(s: m.Status) -> int:
    return pb.NominationStatus.Value("NOMINATION_STATUS_" + s.value.upper())


def nomination_out(n: m.Nomination, linked: list[str]) -> pb.Nomination:
    i = n.identity
    out = pb.Nomination(
        case_id=n.case_id, subject_pseudonym=n.subject_pseudonym,
        nominating_party=n.nominating_party, status=status_out(n.status),
        subject=pb.SubjectIdentity(
            given_names=i.given_names, family_name=i.family_name,
            date_of_birth=i.date_of_birth.isoformat() if i.date_of_birth else "", bsn=i.bsn,
            v_number=i.v_number),
        age_band=age_out(n.age_band),
        problems=[pb.LifeDomainProblem(domain=_enum_out(pb.LifeDomain, "LIFE_DOMAIN_", p.domain),
                                       description=p.description) for p in n.problems],
        safety=pb.SafetyConcerns(description=n.safety.description, **n.safety.flags()),
        chains_involved=[_enum_out(pb.Chain, "CHAIN_", c) for c in n.chains],
        consent_status=_enum_out(pb.ConsentStatus, "CONSENT_STATUS_", n.consent),
        usage_terms=terms_out(n.usage_terms), nominated_at=_ts(n.nominated_at),
        linked_to_case_id=n.linked_to_case_id, linked_case_ids=linked,
        advice=advice_out(n.advice), qualifies=bool(n.qualifies),
        rejection_reason=_enum_out(pb.RejectionReason, "REJECTION_REASON_", n.rejection_reason),
        assessment_reasons=n.assessment_reasons,
        routing=_enum_out(pb.Routing, "ROUTING_", n.routing))
    if n.triage is not None:
        out.asked_parties.extend(n.triage.asked)
        out.triage_deadline.CopyFrom(_ts(n.triage.deadline))
        for party in n.triage.asked:
            a = n.triage.answers[party]
            if a is not None:
                out.triage_answers.append(pb.TriageAnswer(
                    party=party, answer=_enum_out(pb.TriageAnswerKind, "TRIAGE_ANSWER_KIND_",
                                                  a.kind),
                    contribution=a.contribution, answered_at=_ts(a.at), themes=list(a.themes)))
    if n.meeting is not None:
        mt = n.meeting
        out.meeting.CopyFrom(pb.CaseMeetingPlan(
            goal_code=mt.goal_code, goal=mt.goal, themes=list(mt.themes),
            decision_types=list(mt.decision_types),
            invitees=[pb.Invitee(party=p) for p in mt.invitees]))
    return out


class IntakeServicer(pb_grpc.IntakeServiceServicer):
    def __init__(self, uow_factory, deps: handlers.Deps, relay=None) -> None:
        self._uow = uow_factory
        self._deps = deps
        self._relay = relay

    @staticmethod
    def _caller() -> Caller:
        p = current().principal
        return Caller(party=p.party, person=p.person, role=p.role)

    def _once(self, method: str, request, response_type, effect):
        caller = self._caller()
        response = execute_once(self._uow, party=caller.party, method=SERVICE + method,
                                request=request, response_type=response_type,
                                effect=lambda uow: effect(uow, caller),
                                case_id_of=lambda r: r.case_id or None)
        if self._relay is not None:
            self._relay.wake()
        return response

    def Nominate(self, request, context):
        cmd = nominate_in(request)

        def effect(uow, caller):
            n = handlers.nominate(uow, self._deps, caller, cmd)
            return pb.NominateResponse(case_id=n.case_id, subject_pseudonym=n.subject_pseudonym,
                                       age_band=age_out(n.age_band), status=status_out(n.status),
                                       linked_to_case_id=n.linked_to_case_id)
        # Two nominations of the same new subject at the same moment collide on the subject's
        # open tokens; the loser is retried and then finds the winner and links to it.
        for _ in range(NOMINATE_ATTEMPTS - 1):
            try:
                return self._once("Nominate", request, pb.NominateResponse, effect)
            except IntegrityError:
                continue
            except FailedPrecondition as exc:
                if exc.state != "conflict":
                    raise
        try:
            return self._once("Nominate", request, pb.NominateResponse, effect)
        except IntegrityError as exc:
            raise Unavailable("concurrent nominations of the same subject: retry") from exc

    def Assess(self, request, context):
        cmd = assess_in(request)

        def effect(uow, caller):
            n = handlers.assess(uow, self._deps, caller, cmd)
            return pb.AssessResponse(case_id=n.case_id, advice=advice_out(n.advice),
                                     qualifies=bool(n.qualifies), status=status_out(n.status))
        return self._once("Assess", request, pb.AssessResponse, effect)

    def StartTriage(self, request, context):
        cmd = start_triage_in(request)

        def effect(uow, caller):
            n = handlers.start_triage(uow, self._deps, caller, cmd)
            return pb.StartTriageResponse(case_id=n.case_id, round_id=n.triage.round_id,
                                          deadline=_ts(n.triage.deadline))
        return self._once("StartTriage", request, pb.StartTriageResponse, effect)

    def GetTriageQuestion(self, request, context):
        m.check_case_id(request.case_id)
        with self._uow() as uow:
            n = handlers.triage_question(uow, self._deps, self._caller(), request.case_id)
            t = n.triage
            answer = t.answers.get(self._caller().party)
            # Only what an asked party needs to answer (1.15, 8.4c): no identity, no details.
            return pb.GetTriageQuestionResponse(
                case_id=n.case_id, round_id=t.round_id, subject_pseudonym=n.subject_pseudonym,
                age_band=age_out(n.age_band), themes=list(t.themes), question=t.question,
                deadline=_ts(t.deadline), answered=answer is not None,
                closed=t.closed(self._deps.clock()))

    def AnswerTriage(self, request, context):
        cmd = answer_in(request)

        def effect(uow, caller):
            n, closed = handlers.answer_triage(uow, self._deps, caller, cmd)
            return pb.AnswerTriageResponse(case_id=n.case_id, round_id=n.triage.round_id,
                                           round_closed=closed)
        return self._once("AnswerTriage", request, pb.AnswerTriageResponse, effect)

    def DecideRouting(self, request, context):
        cmd = routing_in(request)

        def effect(uow, caller):
            n = handlers.decide_routing(uow, self._deps, caller, cmd)
            return pb.DecideRoutingResponse(
                case_id=n.case_id, routing=_enum_out(pb.Routing, "ROUTING_", n.routing),
                invitees=list(n.meeting.invitees) if n.meeting else [])
        return self._once("DecideRouting", request, pb.DecideRoutingResponse, effect)

    def GetNomination(self, request, context):
        m.check_case_id(request.case_id)
        with self._uow() as uow:
            n, linked = handlers.get_nomination(uow, self._deps, self._caller(),
                                                request.case_id)
            return pb.GetNominationResponse(nomination=nomination_out(n, linked))

    def WithdrawNomination(self, request, context):
        m.check_case_id(request.case_id)
        m.check_code(request.reason_code, "reason_code", required=False)
        cmd = Withdraw(request.case_id, request.reason_code)

        def effect(uow, caller):
            n = handlers.withdraw(uow, self._deps, caller, cmd)
            return pb.WithdrawNominationResponse(case_id=n.case_id, status=status_out(n.status))
        return self._once("WithdrawNomination", request, pb.WithdrawNominationResponse, effect)
