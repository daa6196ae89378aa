"""Disclosure's privacy work as the console uses it (Bijlage 3): subject requests, the safety
override with its reviews, notices and informing tasks, the registers and the subject data
report. Plain frozen views, so a change of the API touches this module only."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from services.console.adapters.calls import Caller, Refusal, refusals
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds_grpc
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd


def _codes(enum: Any, prefix: str) -> tuple[str, ...]:  # the generated enum type
    return tuple(n.removeprefix(prefix).lower() for n in enum.keys()[1:])


def _code(enum: Any, prefix: str, value: int) -> str:
    return str(enum.Name(value)).removeprefix(prefix).lower() if value else ""


def _value(enum: Any, prefix: str, code: str) -> Any:  # the generated enum's value
    return enum.Value(f"{prefix}{code.upper()}") if code else 0


KINDS = _codes(ds.SubjectRequestKind, "SUBJECT_REQUEST_KIND_")
GROUNDS = _codes(ds.RefusalGround, "REFUSAL_GROUND_")
INFORMED = _codes(ds.ClientInformedStatus, "CLIENT_INFORMED_STATUS_")


def _when(ts: Any) -> datetime | None:  # a protobuf Timestamp
    return ts.ToDatetime() if ts.seconds else None


@dataclass(frozen=True)
class SubjectRequest:
    request_id: str
    kind: str
    subject_pseudonym: str
    case_id: str
    item_id: str
    document_ref: str
    controller: str
    outcome: str
    refusal_ground: str
    reason: str
    submitted_at: datetime | None
    decided_at: datetime | None
    due_at: datetime | None
    overdue: bool

    @property
    def decided(self) -> bool:
        return bool(self.outcome)


def _subject_request(r: Any) -> SubjectRequest:
    return SubjectRequest(
        r.subject_request_id,
        _code(ds.SubjectRequestKind, "SUBJECT_REQUEST_KIND_", r.kind),
        r.subject_pseudonym,
        r.case_id,
        r.item_id,
        r.document_ref,
        r.controller,
        _code(ds.SubjectRequestOutcome, "SUBJECT_REQUEST_OUTCOME_", r.outcome),
        _code(ds.RefusalGround, "REFUSAL_GROUND_", r.refusal_ground),
        r.reason,
        _when(r.submitted_at),
        _when(r.decided_at),
        _when(r.due_at),
        r.overdue,
    )


@dataclass(frozen=True)
class Obligation:
    kind: str
    detail: str


@dataclass(frozen=True)
class Overridden:
    item_id: str
    decision_id: str
    obligations: tuple[Obligation, ...]
    reasons: tuple[Refusal, ...]


@dataclass(frozen=True)
class Override:
    """The answer to a safety override: what was released (never shown again here: the
    person reads it through the case) and the obligations that follow, and what was not."""

    items: tuple[Overridden, ...]
    denied: tuple[tuple[str, tuple[Refusal, ...]], ...]


@dataclass(frozen=True)
class Review:
    review_id: str
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    party: str
    person: str
    consulted_colleague: str
    justification: str
    client_informed: str
    created_at: datetime | None


@dataclass(frozen=True)
class Notice:
    decision_id: str
    item_id: str
    case_id: str
    provider: str
    party: str
    person: str
    overridden_at: datetime | None
    informed_status: str
    to_be_informed_by: str
    informed_at: datetime | None
    overdue: bool


# The override notices and informing tasks are shown a page of disclosure's at a time.
PAGE_SIZE = 200


@dataclass(frozen=True)
class NoticePage:
    rows: tuple[Notice, ...]
    next_page_token: str  # disclosure's continuation (AIP-158), empty on the last page


def _notice(n: Any) -> Notice:
    return Notice(
        n.decision_id,
        n.item_id,
        n.case_id,
        n.provider,
        n.party,
        n.person,
        _when(n.overridden_at),
        _code(ds.ClientInformedStatus, "CLIENT_INFORMED_STATUS_", n.client_informed_status),
        n.client_to_be_informed_by,
        _when(n.client_informed_at),
        n.overdue,
    )


@dataclass(frozen=True)
class Activity:
    activity_id: str
    version: str
    name: str
    controller: str
    purpose: str
    subject_categories: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    legal_basis: str
    transfers_outside_eea: str
    retention: str
    maintainers: tuple[str, ...]
    retired_at: datetime | None


def _activity(a: Any) -> Activity:
    return Activity(
        a.id,
        a.version,
        a.name,
        a.controller,
        a.purpose,
        tuple(a.subject_categories),
        tuple(a.data_categories),
        tuple(a.recipients),
        a.legal_basis,
        a.transfers_outside_eea,
        a.retention,
        tuple(a.maintainers),
        _when(a.retired_at),
    )


def _activity_in(activity: Activity) -> Any:  # the generated ProcessingActivity
    return ds.ProcessingActivity(
        id=activity.activity_id,
        name=activity.name,
        controller=activity.controller,
        purpose=activity.purpose,
        subject_categories=list(activity.subject_categories),
        data_categories=list(activity.data_categories),
        recipients=list(activity.recipients),
        legal_basis=activity.legal_basis,
        transfers_outside_eea=activity.transfers_outside_eea,
        retention=activity.retention,
        maintainers=list(activity.maintainers),
    )


@dataclass(frozen=True)
class ActivityChange:
    activity_id: str
    version: str
    change: str
    changed_fields: tuple[str, ...]
    party: str
    person: str
    changed_at: datetime | None
    reason: str


@dataclass(frozen=True)
class Breach:
    breach_id: str
    detected_at: datetime | None
    recorded_at: datetime | None
    recorded_by_party: str
    nature: str
    data_categories: tuple[str, ...]
    subjects_affected: int
    case_ids: tuple[str, ...]
    consequences: str
    measures: str
    reported_to_authority: bool
    reported_at: datetime | None
    subjects_informed: bool


@dataclass(frozen=True)
class NewBreach:
    """A breach as the privacy officer records it (Bijlage 3 data-breach procedure); the
    register validates every field and seals the free texts."""

    detected_at: datetime | None
    nature: str
    data_categories: tuple[str, ...]
    subjects_affected: int
    case_ids: tuple[str, ...]
    consequences: str
    measures: str
    reported_to_authority: bool
    reported_at: datetime | None
    subjects_informed: bool


@dataclass(frozen=True)
class CorrectionNotice:
    """A granted correction of the provider's item (art. 16.2, Bijlage 3): ids and times."""

    subject_request_id: str
    item_id: str
    case_id: str
    provider: str
    decided_at: datetime | None
    superseded_by: str


@dataclass(frozen=True)
class Record:
    kind: str
    record_id: str
    case_id: str
    recorded_at: datetime | None
    party: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DataSection:
    name: str
    description: str
    records: tuple[Record, ...]


@dataclass(frozen=True)
class WithheldRecord:
    section: str
    kind: str
    record_id: str
    party: str
    ground: str


@dataclass(frozen=True)
class ServicePart:
    """One service's part of the subject data report."""

    service: str
    status: str  # answered, not_a_controller, nothing_held
    case_ids: tuple[str, ...]
    sections: tuple[DataSection, ...]
    withheld: tuple[WithheldRecord, ...]
    note: str
    reasons: tuple[Refusal, ...]


@dataclass(frozen=True)
class Report:
    parts: tuple[ServicePart, ...]
    assembled_at: datetime | None


def _field(value: str) -> str:
    # Lists and objects come as JSON text: shown compactly, one line.
    try:
        parsed = json.loads(value)
    except ValueError:
        return value
    if isinstance(parsed, list):
        return ", ".join(str(v) for v in parsed)
    if isinstance(parsed, dict):
        return ", ".join(f"{k}: {v}" for k, v in parsed.items())
    return value


def _part(s: Any) -> ServicePart:
    d = s.data
    return ServicePart(
        s.service or d.service,
        _code(sd.SectionStatus, "SECTION_STATUS_", s.status),
        tuple(d.case_ids),
        tuple(
            DataSection(
                sec.name,
                sec.description,
                tuple(
                    Record(
                        r.kind,
                        r.record_id,
                        r.case_id,
                        _when(r.recorded_at),
                        r.party,
                        tuple(sorted((k, _field(v)) for k, v in r.fields.items())),
                    )
                    for r in sec.records
                ),
            )
            for sec in d.sections
        ),
        tuple(
            WithheldRecord(w.section, w.kind, w.record_id, w.party, w.ground) for w in d.withheld
        ),
        d.note,
        tuple(refusals(list(s.reasons))),
    )


def _obligation_reason(detail: str) -> str:
    """An obligation's detail is JSON of the policy's parameters; the page shows its reason
    only (the justification the person typed is not echoed)."""
    try:
        parsed = json.loads(detail)
    except ValueError:
        return detail
    return str(parsed.get("reason", "")) if isinstance(parsed, dict) else ""


def _timestamp(value: datetime | None) -> Timestamp | None:
    """A UTC datetime (naive means UTC) as a protobuf Timestamp; None stays unset."""
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value if value.tzinfo is None else value.astimezone(timezone.utc))
    return ts


def _rid() -> str:
    return str(uuid.uuid4())


class PrivacyOffice:
    def __init__(self, stub: ds_grpc.DisclosureServiceStub) -> None:
        self._stub = stub

    @staticmethod
    def _every_page(call: Caller, rpc: Any, request: Any, rows: str) -> list[Any]:
        """Every row of one of disclosure's lists (AIP-158 pages of at most 500, ``request``
        a function of the page token), in its order: the privacy pages show the whole list,
        not only its first page."""
        found: list[Any] = []
        page = ""
        while True:
            reply = call(rpc, request(page))
            found += getattr(reply, rows)
            page = reply.next_page_token
            if not page:
                return found

    # Subject requests (Bijlage 3; GDPR art. 12(3): a month to answer).
    def subject_requests(self, call: Caller, *, overdue_only: bool = False) -> list[SubjectRequest]:
        rows = self._every_page(
            call,
            self._stub.ListSubjectRequests,
            lambda page: ds.ListSubjectRequestsRequest(
                page_size=500, page_token=page, overdue_only=overdue_only
            ),
            "requests",
        )
        return [_subject_request(r) for r in rows]

    def subject_request(self, call: Caller, request_id: str) -> SubjectRequest | None:
        """One request among those this officer may read (the list is the service's scope;
        there is no read by id, so one not listed does not exist for this person)."""
        page = ""
        while True:
            reply = call(
                self._stub.ListSubjectRequests,
                ds.ListSubjectRequestsRequest(page_size=500, page_token=page),
            )
            for r in reply.requests:
                if r.subject_request_id == request_id:
                    return _subject_request(r)
            page = reply.next_page_token
            if not page:
                return None

    def submit(
        self,
        call: Caller,
        *,
        kind: str,
        subject_pseudonym: str,
        case_id: str,
        item_id: str,
        document_ref: str,
        controller: str,
    ) -> str:
        reply = call(
            self._stub.SubmitSubjectRequest,
            ds.SubmitSubjectRequestRequest(
                request_id=_rid(),
                kind=_value(ds.SubjectRequestKind, "SUBJECT_REQUEST_KIND_", kind),
                subject_pseudonym=subject_pseudonym,
                case_id=case_id,
                item_id=item_id,
                document_ref=document_ref,
                controller=controller,
            ),
        )
        return str(reply.subject_request_id)

    def decide(
        self, call: Caller, request_id: str, *, granted: bool, ground: str, reason: str
    ) -> SubjectRequest:
        reply = call(
            self._stub.DecideSubjectRequest,
            ds.DecideSubjectRequestRequest(
                request_id=_rid(),
                subject_request_id=request_id,
                outcome=ds.SUBJECT_REQUEST_OUTCOME_GRANTED
                if granted
                else ds.SUBJECT_REQUEST_OUTCOME_REFUSED,
                refusal_ground=_value(
                    ds.RefusalGround, "REFUSAL_GROUND_", "" if granted else ground
                ),
                reason=reason,
            ),
        )
        return _subject_request(reply.request)

    # The safety override (Bijlage 3) and what follows it.
    def break_glass(
        self,
        call: Caller,
        *,
        case_id: str,
        item_id: str,
        purpose: str,
        justification: str,
        consulted_colleague: str,
        informed_status: str,
        informed: str,
        informed_by: date | None,
    ) -> Override:
        reply = call(
            self._stub.BreakGlass,
            ds.BreakGlassRequest(
                # One item, of the case whose page asks for it: the service answers for an
                # item of another case as for one it does not hold (never overridden here).
                item_ids=[item_id],
                case_id=case_id,
                purpose=purpose,
                justification=justification,
                consulted_colleague=consulted_colleague,
                client_informed=informed,
                client_informed_status=_value(
                    ds.ClientInformedStatus, "CLIENT_INFORMED_STATUS_", informed_status
                ),
                client_to_be_informed_by=informed_by.isoformat() if informed_by else "",
            ),
        )
        return Override(
            tuple(
                Overridden(
                    i.item_id,
                    i.decision_id,
                    tuple(Obligation(o.kind, _obligation_reason(o.detail)) for o in i.obligations),
                    tuple(refusals(list(i.reasons))),
                )
                for i in reply.items
            ),
            tuple((d.item_id, tuple(refusals(list(d.reasons)))) for d in reply.denied),
        )

    def reviews(self, call: Caller) -> list[Review]:
        rows = self._every_page(
            call,
            self._stub.ListReviews,
            lambda page: ds.ListReviewsRequest(page_size=500, page_token=page),
            "reviews",
        )
        return [
            Review(
                r.review_id,
                r.decision_id,
                r.case_id,
                r.item_id,
                r.provider,
                r.party,
                r.person,
                r.consulted_colleague,
                r.justification,
                r.client_informed,
                _when(r.created_at),
            )
            for r in rows
        ]

    def override_notices(
        self,
        call: Caller,
        page_token: str = "",  # nosec B107 - a list position, not a secret
    ) -> NoticePage:
        """One page of the override notices on the caller's party's items, newest first."""
        return self._notice_page(
            call,
            self._stub.ListOverrideNotices,
            ds.ListOverrideNoticesRequest,
            page_token,
            "notices",
        )

    def informing_tasks(
        self,
        call: Caller,
        page_token: str = "",  # nosec B107 - a list position, not a secret
    ) -> NoticePage:
        """One page of the caller's party's overrides whose client is not informed yet."""
        return self._notice_page(
            call, self._stub.ListInformingTasks, ds.ListInformingTasksRequest, page_token, "tasks"
        )

    @staticmethod
    def _notice_page(
        call: Caller, rpc: Any, request: Any, page_token: str, rows: str
    ) -> NoticePage:
        """One page of a list of override notices: ListOverrideNotices and ListInformingTasks
        take the same paging and answer the same rows, in their field ``rows``."""
        reply = call(rpc, request(page_size=PAGE_SIZE, page_token=page_token))
        return NoticePage(tuple(_notice(n) for n in getattr(reply, rows)), reply.next_page_token)

    def client_informed(self, call: Caller, decision_id: str, how: str) -> None:
        call(
            self._stub.RecordClientInformed,
            ds.RecordClientInformedRequest(request_id=_rid(), decision_id=decision_id, how=how),
        )

    # The registers (Bijlage 3; GDPR art. 30, 33).
    def activities(self, call: Caller) -> list[Activity]:
        rows = self._every_page(
            call,
            self._stub.ListProcessingActivities,
            lambda page: ds.ListProcessingActivitiesRequest(page_size=500, page_token=page),
            "activities",
        )
        return [_activity(a) for a in rows]

    def activity_history(self, call: Caller, activity_id: str = "") -> list[ActivityChange]:
        rows = self._every_page(
            call,
            self._stub.ListProcessingActivityHistory,
            lambda page: ds.ListProcessingActivityHistoryRequest(
                activity_id=activity_id, page_size=500, page_token=page
            ),
            "changes",
        )
        return [
            ActivityChange(
                c.activity_id,
                c.version,
                c.change,
                tuple(c.changed_fields),
                c.party,
                c.person,
                _when(c.changed_at),
                c.reason,
            )
            for c in rows
        ]

    def activity(self, call: Caller, activity_id: str) -> Activity | None:
        return next((a for a in self.activities(call) if a.activity_id == activity_id), None)

    def add_activity(self, call: Caller, activity: Activity, *, reason: str) -> Activity:
        """A new entry; the register wants the caller's party among its maintainers."""
        reply = call(
            self._stub.AddProcessingActivity,
            ds.AddProcessingActivityRequest(
                request_id=_rid(), activity=_activity_in(activity), reason=reason
            ),
        )
        return _activity(reply.activity)

    def change_activity(
        self, call: Caller, activity: Activity, *, expected_version: str, reason: str
    ) -> Activity:
        """A maintainer's change (optimistic: FAILED_PRECONDITION when another came first)."""
        reply = call(
            self._stub.ChangeProcessingActivity,
            ds.ChangeProcessingActivityRequest(
                request_id=_rid(),
                activity=_activity_in(activity),
                expected_version=expected_version,
                reason=reason,
            ),
        )
        return _activity(reply.activity)

    def retire_activity(self, call: Caller, activity_id: str, reason: str) -> None:
        call(
            self._stub.RetireProcessingActivity,
            ds.RetireProcessingActivityRequest(
                request_id=_rid(), activity_id=activity_id, reason=reason
            ),
        )

    def breaches(self, call: Caller) -> list[Breach]:
        rows = self._every_page(
            call,
            self._stub.ListBreaches,
            lambda page: ds.ListBreachesRequest(page_size=500, page_token=page),
            "breaches",
        )
        return [
            Breach(
                b.breach_id,
                _when(b.detected_at),
                _when(b.recorded_at),
                b.recorded_by_party,
                b.nature,
                tuple(b.data_categories),
                b.subjects_affected,
                tuple(b.case_ids),
                b.consequences,
                b.measures,
                b.reported_to_authority,
                _when(b.reported_at),
                b.subjects_informed,
            )
            for b in rows
        ]

    def record_breach(self, call: Caller, breach: NewBreach) -> str:
        """Record a breach; the answer is its number (the texts are sealed by the register)."""
        b = ds.Breach(
            nature=breach.nature,
            data_categories=list(breach.data_categories),
            subjects_affected=breach.subjects_affected,
            case_ids=list(breach.case_ids),
            consequences=breach.consequences,
            measures=breach.measures,
            reported_to_authority=breach.reported_to_authority,
            subjects_informed=breach.subjects_informed,
        )
        detected, reported = _timestamp(breach.detected_at), _timestamp(breach.reported_at)
        if detected is not None:
            b.detected_at.CopyFrom(detected)
        if reported is not None:
            b.reported_at.CopyFrom(reported)
        reply = call(self._stub.RecordBreach, ds.RecordBreachRequest(request_id=_rid(), breach=b))
        return str(reply.breach_id)

    # The provider's notices of granted corrections (art. 16.2, Bijlage 3).
    def correction_notices(self, call: Caller) -> list[CorrectionNotice]:
        """The caller's party's notices, newest first (every page: the list is the work)."""
        rows = self._every_page(
            call,
            self._stub.ListCorrectionNotices,
            lambda page: ds.ListCorrectionNoticesRequest(page_size=500, page_token=page),
            "notices",
        )
        return [
            CorrectionNotice(
                n.subject_request_id,
                n.item_id,
                n.case_id,
                n.provider,
                _when(n.decided_at),
                n.superseded_by,
            )
            for n in rows
        ]

    def correction_notice(self, call: Caller, request_id: str) -> CorrectionNotice | None:
        """One notice among the caller's (no read by id: one not listed does not exist)."""
        return next(
            (n for n in self.correction_notices(call) if n.subject_request_id == request_id),
            None,
        )

    def export_register(self, call: Caller, register: str) -> tuple[str, bytes]:
        """The register (``processing`` or ``breaches``) as disclosure exports it: its media
        type and the document (Bijlage 3; GDPR art. 30, 33(5))."""
        number = ds.Register.Value(f"REGISTER_{register.upper()}")
        reply = call(self._stub.ExportRegister, ds.ExportRegisterRequest(register=number))
        return reply.media_type, bytes(reply.document)

    def subject_data_report(self, call: Caller, case_id: str) -> Report:
        reply = call(self._stub.SubjectDataReport, ds.SubjectDataReportRequest(case_id=case_id))
        return Report(tuple(_part(s) for s in reply.services), _when(reply.assembled_at))
