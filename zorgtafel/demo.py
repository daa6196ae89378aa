"""``zorgtafel demo``: partner systems play one whole case through the four gRPC APIs, as the
covenant describes it (DOMAIN.md "Case life cycle"), and every step is checked: nomination by
a shelter -> assessment -> triage with answers from the police and a municipality -> routing to
a case meeting -> meeting with invitees, case director, plan, roles and information needs ->
disclosures allowed and denied (with the policy's reasons) and one break-glass ->
de-escalation, cleansing, purge. It exits non-zero when any step does not behave as the
covenant says. The end-to-end tests run the same story against the suite started as
processes (``tests/e2e/test_life_cycle.py``)."""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from zorgtafel.casework.v1 import casework_pb2 as cw
from zorgtafel.casework.v1 import casework_pb2_grpc as cw_grpc
from zorgtafel.common.v1 import common_pb2 as common
from zorgtafel.disclosure.v1 import disclosure_pb2 as ds
from zorgtafel.disclosure.v1 import disclosure_pb2_grpc as ds_grpc
from zorgtafel.intake.v1 import intake_pb2 as ik
from zorgtafel.intake.v1 import intake_pb2_grpc as ik_grpc
from zorgtafel.kernel.config import DEFAULT_GRPC_PORTS
from zorgtafel.kernel.devkeys import mint_token

# Parties of the covenant (seeded by governance from services/governance/seed/parties.json).
LUMENS = "00000099000000000053"          # employs the process director (managers, art. 11)
LEGER_DES_HEILS = "00000099000000000051"  # shelter: nominates and provides
POLICE = "00000099000000000061"          # Politie Eenheid Oost-Brabant
EINDHOVEN = "00000099000000000013"       # Gemeente Eindhoven
ASTEN = "00000099000000000001"           # Gemeente Asten: not involved in this case
THIRD_PARTY = "00000001234567890123"     # not a party of the covenant (9.2)


@dataclass(frozen=True)
class Actor:
    label: str
    party: str
    role: str
    person: str


PROCESS_DIRECTOR = Actor("process director (Lumens)", LUMENS, "process_director", "pd-anna")
SHELTER = Actor("shelter worker (Leger des Heils)", LEGER_DES_HEILS, "caseworker", "lh-bram")
POLICE_OFFICER = Actor("police officer", POLICE, "caseworker", "pol-carla")
MUNICIPALITY = Actor("municipal worker (Eindhoven)", EINDHOVEN, "caseworker", "ehv-dirk")
OUTSIDER = Actor("municipal worker (Asten, not involved)", ASTEN, "caseworker", "ast-eva")
PRIVACY_OFFICER = Actor("privacy officer (Lumens)", LUMENS, "privacy_officer", "fg-fenna")


class StoryFailed(Exception):
    pass


@dataclass
class Story:
    endpoints: dict[str, str]
    private_key: bytes
    out: Callable[[str], None] = print
    failures: list[str] = field(default_factory=list)
    steps: int = 0

    def __post_init__(self) -> None:
        ch = {s: grpc.insecure_channel(a) for s, a in self.endpoints.items()}
        self.intake = ik_grpc.IntakeServiceStub(ch["intake"])
        self.casework = cw_grpc.CaseworkServiceStub(ch["casework"])
        self.disclosure = ds_grpc.DisclosureServiceStub(ch["disclosure"])

    # -- plumbing ---------------------------------------------------------------------------
    def md(self, actor: Actor):
        token = mint_token(self.private_key, party=actor.party, role=actor.role,
                           person=actor.person)
        return (("authorization", f"Bearer {token}"),)

    def say(self, text: str) -> None:
        self.out(text)

    def ok(self, actor: Actor, what: str, call, request, **kw):
        """A step the covenant allows: it must succeed."""
        self.steps += 1
        try:
            reply = call(request, metadata=self.md(actor), timeout=20, **kw)
        except grpc.RpcError as err:
            self.fail(f"{what}: expected success, got {err.code().name}: {err.details()}")
            raise StoryFailed(what) from None
        self.say(f"  ok    {actor.label}: {what}")
        return reply

    def refused(self, actor: Actor, what: str, call, request, code: grpc.StatusCode) -> list[str]:
        """A step the covenant forbids: it must be refused with ``code``; returns reasons."""
        self.steps += 1
        try:
            call(request, metadata=self.md(actor), timeout=20)
        except grpc.RpcError as err:
            if err.code() != code:
                self.fail(f"{what}: expected {code.name}, got {err.code().name}: {err.details()}")
                return []
            reasons = [r.strip() for r in (err.details() or "").split(";") if r.strip()]
            self.say(f"  no    {actor.label}: {what} -> {code.name}")
            for r in reasons[:3]:
                self.say(f"          because: {r}")
            return reasons
        self.fail(f"{what}: expected {code.name}, but it was allowed")
        return []

    def fail(self, message: str) -> None:
        self.failures.append(message)
        self.say(f"  FAIL  {message}")

    def eventually(self, what: str, attempt: Callable[[], object], timeout: float = 60.0):
        """Facts travel between services as events: wait until ``attempt`` succeeds."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                result = attempt()
                if result:
                    return result
            except grpc.RpcError as err:
                last = f"{err.code().name}: {err.details()}"
            time.sleep(0.5)
        self.fail(f"{what}: not reached within {timeout:.0f}s ({last})")
        raise StoryFailed(what)

    @staticmethod
    def rid() -> str:
        return str(uuid.uuid4())

    # -- the case ---------------------------------------------------------------------------
    def run(self) -> dict:
        facts: dict = {}
        try:
            self._nominate_and_assess(facts)
            self._triage(facts)
            self._meeting(facts)
            self._disclosures(facts)
            self._close_and_purge(facts)
        except StoryFailed:
            pass
        return facts

    def _nominate_and_assess(self, f: dict) -> None:
        self.say("1. Nomination and intake (1.1, 12.2a): the shelter is the provider")
        terms = common.UsageTerms(purposes=["care_coordination"], pre_read_allowed=True)
        family_name = f"Ionescu-{uuid.uuid4().hex[:6]}"
        reply = self.ok(SHELTER, "nominates a case", self.intake.Nominate, ik.NominateRequest(
            request_id=self.rid(),
            # A new subject each run: nominating the same person again is linked, not doubled.
            subject=ik.SubjectIdentity(given_names="Maria",
                                       family_name=family_name,
                                       date_of_birth="2001-04-17"),
            age_band=ik.AGE_BAND_16_PLUS,
            problems=[ik.LifeDomainProblem(domain=ik.LIFE_DOMAIN_HOUSING),
                      ik.LifeDomainProblem(domain=ik.LIFE_DOMAIN_INCOME_AND_DEBT),
                      ik.LifeDomainProblem(domain=ik.LIFE_DOMAIN_SAFETY)],
            safety=ik.SafetyConcerns(serious_local_safety_problem=True,
                                     multiple_chains_needed=True),
            chains_involved=[ik.CHAIN_CARE, ik.CHAIN_SAFETY, ik.CHAIN_COERCION_AND_PRESSURE],
            consent_status=ik.CONSENT_STATUS_GIVEN, usage_terms=terms))
        f["case_id"], f["pseudonym"] = reply.case_id, reply.subject_pseudonym
        f["family_name"] = family_name
        self.say(f"          case {reply.case_id}, subject pseudonym {reply.subject_pseudonym}")
        self.refused(SHELTER, "a shelter worker tries to assess (only the process director may)",
                     self.intake.Assess, ik.AssessRequest(
                         request_id=self.rid(), case_id=f["case_id"], qualifies=True,
                         nominating_party_consulted=True), grpc.StatusCode.PERMISSION_DENIED)
        self.refused(PROCESS_DIRECTOR, "triage before assessment", self.intake.StartTriage,
                     ik.StartTriageRequest(request_id=self.rid(), case_id=f["case_id"],
                                           asked_parties=[POLICE], deadline=_ts(hours=1),
                                           themes=["safety"], question="known?"),
                     grpc.StatusCode.FAILED_PRECONDITION)
        reply = self.ok(PROCESS_DIRECTOR, "assesses with the nominating party (criteria advise)",
                        self.intake.Assess, ik.AssessRequest(
                            request_id=self.rid(), case_id=f["case_id"], qualifies=True,
                            reasons="multiple life domains, coercion needed",
                            nominating_party_consulted=True))
        self.say(f"          criteria advice: qualifies={reply.advice.qualifies} "
                 f"(held: {', '.join(reply.advice.criteria_held)})")

    def _triage(self, f: dict) -> None:
        self.say("2. Triage (1.15, 12.2b): police and municipality are consulted")
        self.ok(PROCESS_DIRECTOR, "opens a triage round asking police and Eindhoven",
                self.intake.StartTriage, ik.StartTriageRequest(
                    request_id=self.rid(), case_id=f["case_id"], asked_parties=[POLICE, EINDHOVEN],
                    deadline=_ts(hours=2), themes=["safety", "housing"],
                    question="Is this person known to you, and what can you contribute?"))
        q = self.ok(POLICE_OFFICER, "reads the triage question (pseudonym and themes only)",
                    self.intake.GetTriageQuestion, ik.GetTriageQuestionRequest(case_id=f["case_id"]))
        if q.subject_pseudonym != f["pseudonym"]:
            self.fail("the triage question does not carry the subject's pseudonym")
        self.refused(OUTSIDER, "a party that was not asked tries to answer",
                     self.intake.AnswerTriage, ik.AnswerTriageRequest(
                         request_id=self.rid(), case_id=f["case_id"],
                         answer=ik.TRIAGE_ANSWER_KIND_KNOWN), grpc.StatusCode.PERMISSION_DENIED)
        self.ok(POLICE_OFFICER, "answers: involved (safety)", self.intake.AnswerTriage,
                ik.AnswerTriageRequest(request_id=self.rid(), case_id=f["case_id"],
                                       answer=ik.TRIAGE_ANSWER_KIND_INVOLVED,
                                       contribution="safety assessment", themes=["safety"]))
        self.ok(MUNICIPALITY, "answers: known (housing)", self.intake.AnswerTriage,
                ik.AnswerTriageRequest(request_id=self.rid(), case_id=f["case_id"],
                                       answer=ik.TRIAGE_ANSWER_KIND_KNOWN,
                                       contribution="housing and income", themes=["housing"]))
        reply = self.ok(PROCESS_DIRECTOR, "routes the case to a case meeting (12.2c-e)",
                        self.intake.DecideRouting, ik.DecideRoutingRequest(
                            request_id=self.rid(), case_id=f["case_id"],
                            routing=ik.ROUTING_CASE_MEETING,
                            meeting=ik.CaseMeetingPlan(
                                goal_code="safe_housing", goal="safe housing and income",
                                themes=["safety", "housing"],
                                decision_types=["case_director", "plan", "roles"],
                                invitees=[ik.Invitee(party=LEGER_DES_HEILS, lawful_themes=["housing", "safety"]),
                                          ik.Invitee(party=POLICE, lawful_themes=["safety"]),
                                          ik.Invitee(party=EINDHOVEN, lawful_themes=["housing"])])))
        self.say(f"          invitees: {', '.join(reply.invitees)}")

    def _meeting(self, f: dict) -> None:
        self.say("3. Case meeting (art. 8): case director, plan, roles and information needs")
        case_id = f["case_id"]
        self.eventually("casework opens the case from intake's event", lambda: self.casework.GetCase(
            cw.GetCaseRequest(case_id=case_id), metadata=self.md(PROCESS_DIRECTOR), timeout=5))
        self.say("  ok    casework opened the case from intake's 'triaged' event")
        f["care_item"] = self.ok(SHELTER, "provides its care history (usage terms: care coordination"
                                 ", address only summarised)", self.disclosure.Provide,
                                 ds.ProvideRequest(
            request_id=self.rid(), case_id=case_id, category="care_history",
            classification=ds.CLASSIFICATION_CONFIDENTIAL,
            legal_basis=ds.LEGAL_BASIS_PUBLIC_TASK, content_type="application/json",
            content=json.dumps({"history": "shelter stay since March", "address": "Demo-street 1"}).encode(),
            terms=common.UsageTerms(purposes=["care_coordination"], pre_read_allowed=True,
                                    summary_only_fields=["address"]),
            field_summaries={"address": "lives in Eindhoven"})).item_id
        f["consent_item"] = self.ok(SHELTER, "provides a health note that rests on consent",
                                    self.disclosure.Provide, ds.ProvideRequest(
            request_id=self.rid(), case_id=case_id, category="care_history",
            classification=ds.CLASSIFICATION_SECRET, legal_basis=ds.LEGAL_BASIS_CONSENT,
            content_type="text/plain", content=b"health note",
            terms=common.UsageTerms(purposes=["care_coordination", "safety"]))).item_id
        f["police_item"] = self.ok(POLICE_OFFICER, "provides a police record (no pre-reading)",
                                   self.disclosure.Provide, ds.ProvideRequest(
            request_id=self.rid(), case_id=case_id, category="police_record",
            classification=ds.CLASSIFICATION_SECRET, legal_basis=ds.LEGAL_BASIS_WPG,
            content_type="text/plain", content=b"police record summary",
            terms=common.UsageTerms(purposes=["safety"], pre_read_allowed=False))).item_id
        meeting = self.ok(PROCESS_DIRECTOR, "schedules the meeting with the lawful invitees",
                          self.casework.ScheduleMeeting, cw.ScheduleMeetingRequest(
            request_id=self.rid(), case_id=case_id, scheduled_for=_ts(hours=24),
            goal_code="safe_housing", decision_types=["case_director", "plan", "roles"],
            themes=["safety", "housing"],
            invitees=[cw.Invitee(party=LEGER_DES_HEILS, lawful_themes=["housing", "safety"]),
                      cw.Invitee(party=POLICE, lawful_themes=["safety"]),
                      cw.Invitee(party=EINDHOVEN, lawful_themes=["housing"])])).meeting
        f["meeting_id"] = meeting.meeting_id
        self.ok(PROCESS_DIRECTOR, "records the meeting (minutes are not public, 9.2)",
                self.casework.RecordMeeting, cw.RecordMeetingRequest(
                    request_id=self.rid(), case_id=case_id, meeting_id=meeting.meeting_id,
                    attendees=[LEGER_DES_HEILS, POLICE, EINDHOVEN],
                    minutes="agreed: shelter leads, police assesses safety"))
        self.ok(PROCESS_DIRECTOR, "appoints the shelter as case director (8.4a, 13.1)",
                self.casework.AppointDirector, cw.AppointDirectorRequest(
                    request_id=self.rid(), case_id=case_id, meeting_id=meeting.meeting_id,
                    party=LEGER_DES_HEILS, person=SHELTER.person))
        self.ok(PROCESS_DIRECTOR, "adopts the plan of approach (8.4b)", self.casework.AdoptPlan,
                cw.AdoptPlanRequest(request_id=self.rid(), case_id=case_id,
                                    meeting_id=meeting.meeting_id, actions=[
                    cw.NewAction(party=EINDHOVEN, what="arrange housing",
                                 due_date=(datetime.now(timezone.utc) + timedelta(days=30)).date().isoformat()),
                    cw.NewAction(party=POLICE, what="safety assessment",
                                 due_date=(datetime.now(timezone.utc) + timedelta(days=14)).date().isoformat())]))
        self.ok(PROCESS_DIRECTOR, "sets each party's role and information need (8.4c)",
                self.casework.SetRoles, cw.SetRolesRequest(
                    request_id=self.rid(), case_id=case_id, meeting_id=meeting.meeting_id, roles=[
                        cw.PartyRole(party=LEGER_DES_HEILS, role="case_director",
                                     information_need=["care_history", "police_record"]),
                        cw.PartyRole(party=POLICE, role="safety",
                                     information_need=["police_record"]),
                        cw.PartyRole(party=EINDHOVEN, role="housing",
                                     information_need=["care_history"])]))
        self.ok(PROCESS_DIRECTOR, "sets the de-escalation criteria (8.4d)",
                self.casework.SetDeescalationCriteria, cw.SetDeescalationCriteriaRequest(
                    request_id=self.rid(), case_id=case_id, meeting_id=meeting.meeting_id,
                    criteria=["housing_stable", "safety_restored"]))

    def _disclosures(self, f: dict) -> None:
        self.say("4. Information exchange (art. 15-16, 9.2, 12.2f): the provider decides, "
                 "need to know")
        case_id = f["case_id"]
        read = lambda actor, item, purpose="care_coordination", action=ds.DISCLOSURE_ACTION_READ, **kw: (  # noqa: E731
            self.disclosure.RequestDisclosure(ds.RequestDisclosureRequest(
                item_ids=[item], purpose=purpose, action=action, **kw),
                metadata=self.md(actor), timeout=20))
        reply = self.eventually(
            "the municipality's information need reaches disclosure",
            lambda: read(MUNICIPALITY, f["care_item"]).items)
        item = reply[0]
        self.steps += 1
        self.say(f"  ok    {MUNICIPALITY.label}: reads the care history for care coordination "
                 f"(redacted: {', '.join(item.redacted_fields) or 'nothing'})")
        for r in list(item.reasons)[:2]:
            self.say(f"          because: {r}")
        if "Demo-street" in item.content.decode("utf-8", "replace"):
            self.fail("a summary-only field was released in full")
        req = ds.RequestDisclosureRequest
        self.refused(OUTSIDER, "a party not involved in the case asks for the care history",
                     self.disclosure.RequestDisclosure,
                     req(item_ids=[f["care_item"]], purpose="care_coordination",
                         action=ds.DISCLOSURE_ACTION_READ), grpc.StatusCode.PERMISSION_DENIED)
        self.refused(POLICE_OFFICER, "the police ask for the care history (outside its need)",
                     self.disclosure.RequestDisclosure,
                     req(item_ids=[f["care_item"]], purpose="safety",
                         action=ds.DISCLOSURE_ACTION_READ), grpc.StatusCode.PERMISSION_DENIED)
        self.refused(MUNICIPALITY, "the municipality asks for it for enforcement "
                     "(a purpose the provider did not allow)", self.disclosure.RequestDisclosure,
                     req(item_ids=[f["care_item"]], purpose="enforcement",
                         action=ds.DISCLOSURE_ACTION_READ), grpc.StatusCode.PERMISSION_DENIED)
        self.refused(SHELTER, "the police record before the meeting (pre-read without the "
                     "provider's agreement, 12.2f)", self.disclosure.RequestDisclosure,
                     req(item_ids=[f["police_item"]], purpose="safety",
                         action=ds.DISCLOSURE_ACTION_PRE_READ), grpc.StatusCode.PERMISSION_DENIED)
        self.refused(MUNICIPALITY, "a release to a third party without the provider's written "
                     "consent (9.2)", self.disclosure.RequestDisclosure,
                     req(item_ids=[f["care_item"]], purpose="care_coordination",
                         action=ds.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
                         third_party=THIRD_PARTY), grpc.StatusCode.PERMISSION_DENIED)
        self.refused(MUNICIPALITY, "the consent-based health note without the subject's consent",
                     self.disclosure.RequestDisclosure,
                     req(item_ids=[f["consent_item"]], purpose="safety",
                         action=ds.DISCLOSURE_ACTION_READ), grpc.StatusCode.PERMISSION_DENIED)
        reply = self.ok(MUNICIPALITY, "breaks the glass for the health note: safety at stake, "
                        "a colleague consulted", self.disclosure.BreakGlass,
                        ds.BreakGlassRequest(item_ids=[f["consent_item"]], purpose="safety",
                                             justification="acute threat reported tonight",
                                             consulted_colleague="ehv-colleague-7",
                                             client_informed="will be informed tomorrow"))
        kinds = sorted({o.kind for i in reply.items for o in i.obligations})
        self.say(f"          obligations: {', '.join(kinds)}")
        if not {"log_break_glass", "notify_provider", "review"} <= set(kinds):
            self.fail(f"break-glass obligations missing: {kinds}")
        log = self.ok(PRIVACY_OFFICER, "reads who saw what about the subject (NEN 7513)",
                      self.disclosure.AccessLog,
                      ds.AccessLogRequest(subject_pseudonym=f["pseudonym"]))
        results = sorted({e.result for e in log.entries})
        self.say(f"          {len(log.entries)} access-log records: {', '.join(results)}; "
                 f"break-glass flagged: {any(e.emergency for e in log.entries)}")
        if len(log.entries) < 7:
            self.fail("the access log misses decisions")
        verify = self.ok(PRIVACY_OFFICER, "verifies the access log's hash chain",
                         self.disclosure.VerifyLog, ds.VerifyLogRequest())
        if not verify.intact:
            self.fail(f"the access log is not intact: {list(verify.problems)}")
        f["access_log_records"] = len(log.entries)

    def _close_and_purge(self, f: dict) -> None:
        self.say("5. De-escalation (1.2, 8.4d): cleansed, then removed from the system")
        case_id = f["case_id"]
        self.refused(PROCESS_DIRECTOR, "purge before the case is closed", self.casework.Purge,
                     cw.PurgeRequest(request_id=self.rid(), case_id=case_id),
                     grpc.StatusCode.FAILED_PRECONDITION)
        self.ok(PROCESS_DIRECTOR, "the meeting decides to de-escalate: criteria met",
                self.casework.Deescalate, cw.DeescalateRequest(
                    request_id=self.rid(), case_id=case_id, meeting_id=f["meeting_id"],
                    criteria_met=["housing_stable", "safety_restored"]))
        closed = self.ok(PROCESS_DIRECTOR, "closes the case: the dossier is cleansed",
                         self.casework.CloseCase, cw.CloseCaseRequest(
                             request_id=self.rid(), case_id=case_id))
        self.say(f"          cleansed: {', '.join(closed.cleansed) or '-'}; "
                 f"kept until purge: {', '.join(closed.kept) or '-'}")
        self.ok(PROCESS_DIRECTOR, "purges the case after the retention period",
                self.casework.Purge, cw.PurgeRequest(request_id=self.rid(), case_id=case_id))

        def gone():
            try:
                self.disclosure.RequestDisclosure(ds.RequestDisclosureRequest(
                    item_ids=[f["care_item"]], purpose="care_coordination",
                    action=ds.DISCLOSURE_ACTION_READ), metadata=self.md(MUNICIPALITY), timeout=5)
                return False
            except grpc.RpcError as err:
                return err.code() in (grpc.StatusCode.NOT_FOUND,
                                      grpc.StatusCode.PERMISSION_DENIED)
        self.eventually("disclosure deletes the case's items after the purge event", gone)
        self.say("  ok    the items are gone everywhere; the access log keeps its pseudonymous "
                 "records (NEN 7513)")
        verify = self.disclosure.VerifyLog(ds.VerifyLogRequest(),
                                           metadata=self.md(PRIVACY_OFFICER), timeout=20)
        if not verify.intact:
            self.fail("the access log broke during the purge")


def _ts(hours: float) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(datetime.now(timezone.utc) + timedelta(hours=hours))
    return ts


def endpoints_from_env(host: str = "127.0.0.1") -> dict[str, str]:
    return {s: f"{host}:{os.environ.get(f'ZORGTAFEL_{s.upper()}_GRPC_PORT', p)}"
            for s, p in DEFAULT_GRPC_PORTS.items()}


def run_demo(data_dir: Path) -> int:
    key = data_dir / "dev-keys" / "jwt-private.pem"
    if not key.exists():
        print(f"no development keys in {data_dir}; is the suite running (`make up`)?")
        return 2
    story = Story(endpoints_from_env(), key.read_bytes())
    started = time.monotonic()
    story.say("zorgtafel demo: one case through the whole life cycle, as partner systems\n")
    story.run()
    took = time.monotonic() - started
    if story.failures:
        story.say(f"\n{len(story.failures)} step(s) did not behave as the covenant says "
                  f"({story.steps} steps, {took:.0f}s):")
        for failure in story.failures:
            story.say(f"  - {failure}")
        return 1
    story.say(f"\nall {story.steps} steps behaved as the covenant says ({took:.0f}s)")
    return 0
