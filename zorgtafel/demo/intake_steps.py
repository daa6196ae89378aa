"""Chapters 1-2: a shelter nominates, the process director assesses and triages."""

from __future__ import annotations

import uuid
from typing import Any

import grpc

from zorgtafel.demo.actors import (
    CLAIMANT,
    EINDHOVEN,
    LEGER_DES_HEILS,
    MUNICIPALITY,
    OTHER_DIRECTOR,
    OUTSIDER,
    POLICE,
    POLICE_OFFICER,
    PROCESS_DIRECTOR,
    SHELTER,
)
from zorgtafel.demo.plumbing import StoryBase, _ts
from zorgtafel.generated.common.v1 import common_pb2 as common
from zorgtafel.generated.intake.v1 import intake_pb2 as ik

# 12.2a: the process director judges each criterion with the nominating party; the rule decides.
JUDGED = ik.JudgedCriteria(
    a=ik.JudgedCriterion(holds=True, grounds="serious area-bound safety problems"),
    b=ik.JudgedCriterion(holds=False, grounds="no family system affected"),
    c=ik.JudgedCriterion(holds=True, grounds="care, safety and coercion chains needed"),
    d=ik.JudgedCriterion(holds=True, grounds="housing, income and safety"),
)


class IntakeSteps(StoryBase):
    def _nominate_and_assess(self, f: dict[str, Any]) -> None:
        self.say("1. Nomination and intake (1.1, 12.2a): the shelter is the provider")
        terms = common.UsageTerms(purposes=["care_coordination"], pre_read_allowed=True)
        family_name = f"Ionescu-{uuid.uuid4().hex[:6]}"
        reply = self.ok(
            SHELTER,
            "nominates a case",
            self.intake.Nominate,
            ik.NominateRequest(
                request_id=self.rid(),
                # A new subject each run: nominating the same person again is linked, not doubled.
                subject=ik.SubjectIdentity(
                    given_names="Maria", family_name=family_name, date_of_birth="2001-04-17"
                ),
                age_band=ik.AGE_BAND_16_PLUS,
                problems=[
                    ik.LifeDomainProblem(domain=ik.LIFE_DOMAIN_HOUSING),
                    ik.LifeDomainProblem(domain=ik.LIFE_DOMAIN_INCOME_AND_DEBT),
                    ik.LifeDomainProblem(domain=ik.LIFE_DOMAIN_SAFETY),
                ],
                safety=ik.SafetyConcerns(
                    serious_local_safety_problem=True, multiple_chains_needed=True
                ),
                chains_involved=[ik.CHAIN_CARE, ik.CHAIN_SAFETY, ik.CHAIN_COERCION_AND_PRESSURE],
                consent_status=ik.CONSENT_STATUS_GIVEN,
                usage_terms=terms,
            ),
        )
        f["case_id"] = reply.case_id
        f["family_name"] = family_name
        if reply.subject_pseudonym or reply.linked_to_case_id:
            self.fail("Nominate told the nominator a pseudonym or a linked case (an oracle)")
        self.say(
            f"          case {reply.case_id}: received (no pseudonym, no link to the nominator)"
        )
        self.eventually(
            "intake learns of the designated process director from governance",
            lambda: self.intake.GetNomination(
                ik.GetNominationRequest(case_id=f["case_id"]),
                metadata=self.md(PROCESS_DIRECTOR),
                timeout=5,
            ),
        )
        self.say("  ok    the designated process director sees the nomination in the intake queue")
        self.refused(
            SHELTER,
            "a shelter worker tries to assess (only the process director may)",
            self.intake.Assess,
            ik.AssessRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                qualifies=True,
                reasons="multiple life domains",
                nominating_party_consulted=True,
                criteria=JUDGED,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            CLAIMANT,
            "a worker whose token says process_director but who was never designated assesses",
            self.intake.Assess,
            ik.AssessRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                qualifies=True,
                reasons="multiple life domains",
                nominating_party_consulted=True,
                criteria=JUDGED,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            PROCESS_DIRECTOR,
            "qualifies a case whose judged criteria do not hold (art. 1.4: criteria decide)",
            self.intake.Assess,
            ik.AssessRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                qualifies=True,
                reasons="the worker insists",
                nominating_party_consulted=True,
                criteria=ik.JudgedCriteria(
                    a=ik.JudgedCriterion(holds=False, grounds="no area-bound safety problem"),
                    b=ik.JudgedCriterion(holds=False, grounds="no family system affected"),
                    c=ik.JudgedCriterion(holds=True, grounds="coercion and care needed"),
                    d=ik.JudgedCriterion(holds=True, grounds="housing, income, safety"),
                ),
            ),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        self.refused(
            PROCESS_DIRECTOR,
            "triage before assessment",
            self.intake.StartTriage,
            ik.StartTriageRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                asked_parties=[POLICE],
                deadline=_ts(hours=1),
                themes=["safety"],
                question="known?",
            ),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        reply = self.ok(
            PROCESS_DIRECTOR,
            "assesses with the nominating party and takes the nomination up (12.2a, 12.3)",
            self.intake.Assess,
            ik.AssessRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                qualifies=True,
                reasons="multiple life domains, coercion needed",
                nominating_party_consulted=True,
                criteria=JUDGED,
            ),
        )
        self.say(
            f"          judged to hold: {', '.join(reply.criteria_judged_held)}; the facts' "
            f"advice: qualifies={reply.advice.qualifies}"
        )
        nomination = self.ok(
            PROCESS_DIRECTOR,
            "reads the nomination it directs (with the subject's pseudonym)",
            self.intake.GetNomination,
            ik.GetNominationRequest(case_id=f["case_id"]),
        )
        f["pseudonym"] = nomination.nomination.subject_pseudonym
        self.refused(
            OTHER_DIRECTOR,
            "a process director of another case reads this nomination (12.3)",
            self.intake.GetNomination,
            ik.GetNominationRequest(case_id=f["case_id"]),
            grpc.StatusCode.PERMISSION_DENIED,
        )

    def _triage(self, f: dict[str, Any]) -> None:
        self.say("2. Triage (1.15, 12.2b): police and municipality are consulted")
        self.ok(
            PROCESS_DIRECTOR,
            "opens a triage round asking police and Eindhoven",
            self.intake.StartTriage,
            ik.StartTriageRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                asked_parties=[POLICE, EINDHOVEN],
                deadline=_ts(hours=2),
                themes=["safety", "housing"],
                question="Is this person known to you, and what can you contribute?",
            ),
        )
        q = self.ok(
            POLICE_OFFICER,
            "reads the triage question (pseudonym and themes only)",
            self.intake.GetTriageQuestion,
            ik.GetTriageQuestionRequest(case_id=f["case_id"]),
        )
        if q.subject_pseudonym != f["pseudonym"]:
            self.fail("the triage question does not carry the subject's pseudonym")
        self.refused(
            OUTSIDER,
            "a party that was not asked tries to answer",
            self.intake.AnswerTriage,
            ik.AnswerTriageRequest(
                request_id=self.rid(), case_id=f["case_id"], answer=ik.TRIAGE_ANSWER_KIND_KNOWN
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.ok(
            POLICE_OFFICER,
            "answers: involved (safety)",
            self.intake.AnswerTriage,
            ik.AnswerTriageRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                answer=ik.TRIAGE_ANSWER_KIND_INVOLVED,
                contribution="safety assessment",
                themes=["safety"],
            ),
        )
        self.ok(
            MUNICIPALITY,
            "answers: known (housing)",
            self.intake.AnswerTriage,
            ik.AnswerTriageRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                answer=ik.TRIAGE_ANSWER_KIND_KNOWN,
                contribution="housing and income",
                themes=["housing"],
            ),
        )
        reply = self.ok(
            PROCESS_DIRECTOR,
            "routes the case to a case meeting (12.2c-e)",
            self.intake.DecideRouting,
            ik.DecideRoutingRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                routing=ik.ROUTING_CASE_MEETING,
                meeting=ik.CaseMeetingPlan(
                    goal_code="safe_housing",
                    goal="safe housing and income",
                    themes=["safety", "housing"],
                    decision_types=["case_director", "plan", "roles"],
                    invitees=[
                        ik.Invitee(party=LEGER_DES_HEILS, lawful_themes=["housing", "safety"]),
                        ik.Invitee(party=POLICE, lawful_themes=["safety"]),
                        ik.Invitee(party=EINDHOVEN, lawful_themes=["housing"]),
                    ],
                ),
            ),
        )
        self.say(f"          invitees: {', '.join(reply.invitees)}")
