"""Proto -> intake's commands (and usage terms both ways): every field checked and named when it
is wrong (INVALID_ARGUMENT), with the kernel's conversions and validators. Results go back to
proto in ``proto_results``."""

from __future__ import annotations

from datetime import datetime

from google.protobuf import json_format

from services.intake.domain import vocabulary as v
from services.intake.domain.assessment import Judged, JudgedCriteria
from services.intake.domain.commands import (
    AnswerTriage,
    Assess,
    DecideRouting,
    ListNominations,
    Nominate,
    RecordSafetyOverride,
    StartTriage,
    Withdraw,
)
from services.intake.domain.model import MeetingPlan, Problem, Safety, check_case_id
from services.intake.domain.worklist import WorklistRow, WorklistStage
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.convert import enum_in, message_to_dict, optional_timestamp
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.paging import Window
from zorgtafel.kernel.validate import (
    check_code,
    check_codes,
    check_oins,
    check_person,
    check_worded,
)


# -- usage terms (16.2) -----------------------------------------------------------------------
def terms_in(terms: common_pb2.UsageTerms, present: bool) -> dict:
    if not present:
        raise InvalidArgument(
            "usage_terms",
            "required: the nominating party states how its information may be used (art. 16.2)",
        )
    check_oins(terms.recipient_parties, "usage_terms.recipient_parties", limit=v.MAX_TERMS_ITEMS)
    check_codes(terms.recipient_roles, "usage_terms.recipient_roles", limit=v.MAX_TERMS_ITEMS)
    check_codes(terms.purposes, "usage_terms.purposes", limit=v.MAX_TERMS_ITEMS, required=True)
    check_codes(
        terms.summary_only_fields, "usage_terms.summary_only_fields", limit=v.MAX_TERMS_ITEMS
    )
    optional_timestamp(terms, "expires_at", "usage_terms.expires_at")
    return message_to_dict(terms, "usage_terms")


def terms_out(terms: dict) -> common_pb2.UsageTerms:
    return json_format.ParseDict(terms, common_pb2.UsageTerms())


def worded_if_given(value: str, field: str, what: str, limit: int) -> str:
    """Optional free text: left out it is "", given it is read back as an account, so a dot,
    a dash, a zero-width space or an emoji only (no letter or digit) is refused as none."""
    if not value:
        return ""
    return check_worded(value, field, f"optional; when given: {what}", limit=limit)


# -- commands ---------------------------------------------------------------------------------
def nominate_in(req: pb.NominateRequest) -> Nominate:
    s = req.subject
    if len(req.problems) > v.MAX_PROBLEMS:
        raise InvalidArgument("problems", f"at most {v.MAX_PROBLEMS} entries")
    problems = []
    for i, p in enumerate(req.problems):
        domain = enum_in(
            pb.LifeDomain,
            v.LifeDomain,
            p.domain,
            "LIFE_DOMAIN_",
            f"problems[{i}].domain",
            required=True,
        )
        description = worded_if_given(
            p.description, f"problems[{i}].description", "the problem, in words", v.MAX_DESCRIPTION
        )
        problems.append(Problem(domain, description))
    if len(req.chains_involved) > v.MAX_CHAINS:
        raise InvalidArgument("chains_involved", f"at most {v.MAX_CHAINS} entries")
    chains = tuple(
        enum_in(pb.Chain, v.Chain, c, "CHAIN_", f"chains_involved[{i}]", required=True)
        for i, c in enumerate(req.chains_involved)
    )
    if len(set(chains)) != len(chains):
        raise InvalidArgument("chains_involved", "entries must be unique")
    sf = req.safety
    description = worded_if_given(
        sf.description, "safety.description", "the danger, in words", v.MAX_DESCRIPTION
    )
    safety = Safety(
        sf.serious_local_safety_problem,
        sf.affects_family_or_social_environment,
        sf.multiple_chains_needed,
        sf.acute_danger,
        description,
    )
    consent = enum_in(
        pb.ConsentStatus,
        v.ConsentStatus,
        req.consent_status,
        "CONSENT_STATUS_",
        "consent_status",
        required=True,
    )
    if not req.HasField("subject"):
        raise InvalidArgument("subject", "required")
    age_band = enum_in(pb.AgeBand, v.AgeBand, req.age_band, "AGE_BAND_", "age_band")
    return Nominate(
        s.given_names,
        s.family_name,
        s.date_of_birth,
        s.bsn,
        s.v_number,
        age_band,
        tuple(problems),
        safety,
        chains,
        consent,
        terms_in(req.usage_terms, req.HasField("usage_terms")),
    )


def assess_in(req: pb.AssessRequest) -> Assess:
    check_case_id(req.case_id)
    reason = enum_in(
        pb.RejectionReason,
        v.RejectionReason,
        req.rejection_reason,
        "REJECTION_REASON_",
        "rejection_reason",
    )
    # 12.2a: accounts the nominating party and a reviewer read back; a dot or an emoji only
    # fills the field but says nothing.
    check_worded(req.reasons, "reasons", "required: why, in words", limit=v.MAX_REASONS)
    if not req.nominating_party_consulted:
        raise InvalidArgument(
            "nominating_party_consulted",
            "the assessment is made in consultation with the nominating party (art. 12.2a)",
        )
    return Assess(req.case_id, req.qualifies, reason, req.reasons, True, criteria_in(req))


def criteria_in(req: pb.AssessRequest) -> JudgedCriteria:
    """12.2a: every criterion of Bijlage 2 judged, each with its grounds."""
    if not req.HasField("criteria"):
        raise InvalidArgument(
            "criteria", "required: each criterion of Bijlage 2 judged with its grounds (12.2a)"
        )
    judged = []
    for name in ("a", "b", "c", "d"):
        field = f"criteria.{name}"
        if not req.criteria.HasField(name):
            raise InvalidArgument(field, "required: the judgement and its grounds (12.2a)")
        one = getattr(req.criteria, name)
        check_worded(
            one.grounds,
            f"{field}.grounds",
            "required: the grounds of the judgement, in words (12.2a)",
            limit=v.MAX_REASONS,
        )
        judged.append(Judged(one.holds, one.grounds))
    return JudgedCriteria(*judged)


def safety_override_in(req: pb.RecordSafetyOverrideRequest) -> RecordSafetyOverride:
    check_case_id(req.case_id)
    # Accounts a reviewer reads back (Bijlage 3): a dot or an emoji only is no reason.
    check_worded(req.reason, "reason", "required: why consent is overridden", limit=v.MAX_REASONS)
    check_person(req.consulted_colleague, "consulted_colleague")
    check_worded(
        req.client_information,
        "client_information",
        "required: how the client was told, or why not yet",
        limit=v.MAX_REASONS,
    )
    return RecordSafetyOverride(
        req.case_id,
        req.reason,
        req.consulted_colleague,
        req.client_informed,
        req.client_information,
    )


def start_triage_in(req: pb.StartTriageRequest) -> StartTriage:
    check_case_id(req.case_id)
    parties = check_oins(req.asked_parties, "asked_parties", limit=v.MAX_PARTIES, required=True)
    deadline = optional_timestamp(req, "deadline")
    if deadline is None:
        raise InvalidArgument("deadline", "required")
    themes = check_codes(req.themes, "themes", limit=v.MAX_THEMES, required=True)
    # 1.15: what the asked parties answer; a question mark or an emoji only asks nothing.
    check_worded(req.question, "question", "required: the question, in words", limit=v.MAX_QUESTION)
    return StartTriage(req.case_id, parties, deadline, themes, req.question)


def answer_in(req: pb.AnswerTriageRequest) -> AnswerTriage:
    check_case_id(req.case_id)
    kind = enum_in(
        pb.TriageAnswerKind,
        v.TriageAnswerKind,
        req.answer,
        "TRIAGE_ANSWER_KIND_",
        "answer",
        required=True,
    )
    contribution = worded_if_given(
        req.contribution, "contribution", "the party's contribution, in words", v.MAX_CONTRIBUTION
    )
    themes = check_codes(req.themes, "themes", limit=v.MAX_THEMES)
    return AnswerTriage(req.case_id, kind, contribution, themes)


def routing_in(req: pb.DecideRoutingRequest) -> DecideRouting:
    check_case_id(req.case_id)
    routing = enum_in(pb.Routing, v.Routing, req.routing, "ROUTING_", "routing", required=True)
    check_code(req.reason_code, "reason_code", required=False)
    meeting, lawful = None, {}
    if req.HasField("meeting"):
        mt = req.meeting
        check_code(mt.goal_code, "meeting.goal_code")
        # 12.2c: the goal as concretely as possible; a dot or an emoji only states none.
        check_worded(mt.goal, "meeting.goal", "required: the goal, in words", limit=v.MAX_GOAL)
        themes = check_codes(mt.themes, "meeting.themes", limit=v.MAX_THEMES, required=True)
        kinds = check_codes(
            mt.decision_types, "meeting.decision_types", limit=v.MAX_DECISION_TYPES, required=True
        )
        invitees = check_oins(
            [i.party for i in mt.invitees], "meeting.invitees", limit=v.MAX_PARTIES, required=True
        )
        for i, inv in enumerate(mt.invitees):
            lawful[inv.party] = check_codes(
                inv.lawful_themes, f"meeting.invitees[{i}].lawful_themes", limit=v.MAX_THEMES
            )
        meeting = MeetingPlan(mt.goal_code, mt.goal, themes, kinds, invitees)
    return DecideRouting(req.case_id, routing, meeting, req.reason_code, lawful)


def withdraw_in(req: pb.WithdrawNominationRequest) -> Withdraw:
    check_case_id(req.case_id)
    check_code(req.reason_code, "reason_code", required=False)
    return Withdraw(req.case_id, req.reason_code)


# -- the process director's worklist ----------------------------------------------------------
def list_nominations_in(req: pb.ListNominationsRequest, w: Window) -> ListNominations:
    stage = enum_in(pb.WorklistStage, WorklistStage, req.stage, "WORKLIST_STAGE_", "stage")
    return ListNominations(stage=stage, after=worklist_after(w.after), limit=w.limit)


def worklist_after(after: tuple[str, ...] | None) -> tuple[datetime, str] | None:
    """The sort key a ListNominations page token continues after (received at, case id); a
    token that does not hold one is INVALID_ARGUMENT."""
    if after is None:
        return None
    try:
        at, case_id = after
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError(at)
        return when, check_case_id(case_id)
    except (ValueError, InvalidArgument):
        raise InvalidArgument(
            "page_token", "not a token of this query: start again without one"
        ) from None


def worklist_key(row: WorklistRow) -> tuple[str, str]:
    """What the next page's token continues after (a time and an id: no content)."""
    return row.received_at.isoformat(), row.case_id
