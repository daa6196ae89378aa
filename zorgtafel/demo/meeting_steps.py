"""Chapter 3: the case meeting: invitees, case director, plan, roles and information needs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import grpc

from zorgtafel.demo.actors import (
    EINDHOVEN,
    LEGER_DES_HEILS,
    MUNICIPALITY,
    OTHER_DIRECTOR,
    OUTSIDER,
    POLICE,
    POLICE_COLLEAGUE,
    POLICE_OFFICER,
    PROCESS_DIRECTOR,
    SHELTER,
)
from zorgtafel.demo.plumbing import StoryBase, _ts
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.common.v1 import common_pb2 as common
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds


class MeetingSteps(StoryBase):
    def _meeting(self, f: dict[str, Any]) -> None:
        self.say("3. Case meeting (art. 8): case director, plan, roles and information needs")
        case_id = f["case_id"]
        self.eventually(
            "casework opens the case from intake's event",
            lambda: self.casework.GetCase(
                cw.GetCaseRequest(case_id=case_id), metadata=self.md(PROCESS_DIRECTOR), timeout=5
            ),
        )
        self.say("  ok    casework opened the case from intake's 'triaged' event")
        # 8.4c, 10.1, Bijlage 3: the process director names who represents each involved party
        # in the case; only those persons (and the process and case director) reach the case.
        for actor in (SHELTER, POLICE_OFFICER, MUNICIPALITY):
            self.ok(
                PROCESS_DIRECTOR,
                f"names {actor.person} the delegate of {actor.label} in the case (10.1, 12.2e)",
                self.casework.NameDelegate,
                cw.NameDelegateRequest(
                    request_id=self.rid(), case_id=case_id, person=actor.person, party=actor.party
                ),
            )
        self.refused(
            POLICE_COLLEAGUE,
            "a police colleague without a part names itself a delegate (Bijlage 3)",
            self.casework.NameDelegate,
            cw.NameDelegateRequest(
                request_id=self.rid(), case_id=case_id, person=POLICE_COLLEAGUE.person
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            OUTSIDER,
            "a party not involved in the case names a delegate for it",
            self.casework.NameDelegate,
            cw.NameDelegateRequest(request_id=self.rid(), case_id=case_id, person=OUTSIDER.person),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            POLICE_COLLEAGUE,
            "a police colleague without a part in the case reads it (Bijlage 3)",
            self.casework.GetCase,
            cw.GetCaseRequest(case_id=case_id),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            OTHER_DIRECTOR,
            "a process director of another case schedules a meeting for it (12.3)",
            self.casework.ScheduleMeeting,
            cw.ScheduleMeetingRequest(
                request_id=self.rid(),
                case_id=case_id,
                scheduled_for=_ts(hours=24),
                goal_code="safe_housing",
                decision_types=["plan"],
                themes=["safety"],
                invitees=[cw.Invitee(party=POLICE, lawful_themes=["safety"])],
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        f["care_item"] = self.ok(
            SHELTER,
            "provides its care history (usage terms: care coordination, address only summarised)",
            self.disclosure.Provide,
            ds.ProvideRequest(
                request_id=self.rid(),
                case_id=case_id,
                category="care_history",
                classification=ds.CLASSIFICATION_CONFIDENTIAL,
                legal_basis=ds.LEGAL_BASIS_PUBLIC_TASK,
                content_type="application/json",
                content=json.dumps(
                    {"history": "shelter stay since March", "address": "Demo-street 1"}
                ).encode(),
                terms=common.UsageTerms(
                    purposes=["care_coordination"],
                    pre_read_allowed=True,
                    summary_only_fields=["address"],
                ),
                field_summaries={"address": "lives in Eindhoven"},
            ),
        ).item_id
        f["consent_item"] = self.ok(
            SHELTER,
            "provides a health note that rests on consent",
            self.disclosure.Provide,
            ds.ProvideRequest(
                request_id=self.rid(),
                case_id=case_id,
                category="care_history",
                classification=ds.CLASSIFICATION_SECRET,
                legal_basis=ds.LEGAL_BASIS_CONSENT,
                content_type="text/plain",
                content=b"health note",
                terms=common.UsageTerms(purposes=["care_coordination", "safety"]),
            ),
        ).item_id
        police_record = ds.ProvideRequest(
            request_id=self.rid(),
            case_id=case_id,
            category="police_record",
            classification=ds.CLASSIFICATION_SECRET,
            legal_basis=ds.LEGAL_BASIS_WPG,
            content_type="text/plain",
            content=b"police record summary",
            terms=common.UsageTerms(purposes=["safety"], pre_read_allowed=False),
        )
        # Art. 15.1, 8.4c: the police provides once disclosure knows its part in the case (its
        # delegate, named above, reaches disclosure as casework's event); one request id.
        self.steps += 1
        f["police_item"] = self.eventually(
            "the police officer provides once disclosure knows its part in the case",
            lambda: self.disclosure.Provide(
                police_record, metadata=self.md(POLICE_OFFICER), timeout=20
            ),
        ).item_id
        self.say(f"  ok    {POLICE_OFFICER.label}: provides a police record (no pre-reading)")
        meeting = self.ok(
            PROCESS_DIRECTOR,
            "schedules the meeting with the lawful invitees",
            self.casework.ScheduleMeeting,
            cw.ScheduleMeetingRequest(
                request_id=self.rid(),
                case_id=case_id,
                scheduled_for=_ts(hours=24),
                goal_code="safe_housing",
                decision_types=["case_director", "plan", "roles"],
                themes=["safety", "housing"],
                invitees=[
                    cw.Invitee(party=LEGER_DES_HEILS, lawful_themes=["housing", "safety"]),
                    cw.Invitee(party=POLICE, lawful_themes=["safety"]),
                    cw.Invitee(party=EINDHOVEN, lawful_themes=["housing"]),
                ],
            ),
        ).meeting
        f["meeting_id"] = meeting.meeting_id
        self.ok(
            PROCESS_DIRECTOR,
            "records the meeting (minutes are not public, 9.2)",
            self.casework.RecordMeeting,
            cw.RecordMeetingRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                attendees=[LEGER_DES_HEILS, POLICE, EINDHOVEN],
                minutes="agreed: shelter leads, police assesses safety",
            ),
        )
        self.refused(
            PROCESS_DIRECTOR,
            "appoints a party never invited to the case as case director (13.1)",
            self.casework.AppointDirector,
            cw.AppointDirectorRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                party=OUTSIDER.party,
                person=OUTSIDER.person,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.ok(
            PROCESS_DIRECTOR,
            "appoints the shelter worker as case director, a named person (8.4a, 13.1)",
            self.casework.AppointDirector,
            cw.AppointDirectorRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                party=LEGER_DES_HEILS,
                person=SHELTER.person,
            ),
        )
        self.ok(
            PROCESS_DIRECTOR,
            "adopts the plan of approach (8.4b)",
            self.casework.AdoptPlan,
            cw.AdoptPlanRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                actions=[
                    cw.NewAction(
                        party=EINDHOVEN,
                        what="arrange housing",
                        due_date=(datetime.now(timezone.utc) + timedelta(days=30))
                        .date()
                        .isoformat(),
                    ),
                    cw.NewAction(
                        party=POLICE,
                        what="safety assessment",
                        due_date=(datetime.now(timezone.utc) + timedelta(days=14))
                        .date()
                        .isoformat(),
                    ),
                ],
            ),
        )
        self.ok(
            PROCESS_DIRECTOR,
            "sets each party's role and information need (8.4c)",
            self.casework.SetRoles,
            cw.SetRolesRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                roles=[
                    cw.PartyRole(
                        party=LEGER_DES_HEILS,
                        role="case_director",
                        information_need=["care_history", "police_record"],
                    ),
                    cw.PartyRole(party=POLICE, role="safety", information_need=["police_record"]),
                    cw.PartyRole(
                        party=EINDHOVEN, role="housing", information_need=["care_history"]
                    ),
                ],
            ),
        )
        self.ok(
            PROCESS_DIRECTOR,
            "sets the de-escalation criteria (8.4d)",
            self.casework.SetDeescalationCriteria,
            cw.SetDeescalationCriteriaRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                criteria=["housing_stable", "safety_restored"],
            ),
        )
