"""Disclosure's side of the authorisation matrix (issue #13, ADR 0005): every DisclosureService
RPC on a fresh case whose persons with a part are the delegates its involved parties named
(Bijlage 3, 16.1), whose items are provided by one of those parties, and whose controller's
oversight is that provider's privacy officer.

A fresh case is made as in production, from casework's facts (``CaseOpened`` with its process
director, who is on the roster; ``RolesSet``, 8.4c; ``DelegateNamed``); the items, consents, log
records, reviews and subject requests an RPC needs are made through the real RPCs when a target
first reads their key (``_Case.__missing__``), so each RPC costs only what it needs.

The persons:
* ``delegate``: CELLO's delegate, an involved party whose information need covers the items'
  category: reads, overrides, records and withdraws consents (8.4c, Bijlage 3). Its colleague at
  CELLO, and a person with the same id at the uninvolved party, have no part in the case;
* ``provider``: GGZ's person who provided the items. GGZ is the controller of its items (16.2),
  so its privacy officer is the oversight that the log, reviews, reports and subject requests
  about them concern (Bijlage 3, NEN 7513). For the oversight targets the framework's oversight
  cell is GGZ's privacy officer; the ``part`` and ``colleague`` cells are GGZ's workers (the
  person with a part in the case does not oversee it, ADR 0005).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import grpc

from tests.matrix import kernel
from tests.matrix.framework import CASE, CREATE, OVERSIGHT, PARTY, PUBLIC, ServiceSpec, Target, rid
from zorgtafel.contracts import events as ev
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as pb_grpc
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sdpb
from zorgtafel.kernel.service import Platform, ServiceParts
from zorgtafel.kernel.subjectdata.client import PeerAnswer
from zorgtafel.testing import Keys, deliver, set_party_status, set_roster

# Parties of the covenant (services/governance/seed/parties.json).
ASTEN = "00000099000000000001"  # nominates every case; its process director directs it (12.3)
GGZ = "00000099000000000045"  # involved, provides the items (15.1) and controls them (16.2)
CELLO = "00000099000000000038"  # involved, needs "health" (8.4c)
FARENT = "00000099000000000042"  # active, involved in no case
SOCIOM = "00000099000000000063"  # excluded (art. 23.2)

PD = (ASTEN, "pd-1")  # the case's process director, designated on the roster (12.1, 12.3)
PROVIDER = (GGZ, "ggz-1")  # GGZ's delegate, who provides the items
DELEGATE = (CELLO, "cel-1")  # CELLO's delegate
ROLES = {
    GGZ: {"role": "mental_health", "information_need": ["health"]},
    CELLO: {"role": "care_provider", "information_need": ["health"]},
}
PURPOSE = "care_coordination"


class _Case(dict[str, Any]):
    """A fresh case's ids and persons; what a request needs is made when it first asks (each
    RPC has its own fresh case, so this changes nothing another RPC sees)."""

    def __init__(self, makers: dict[str, Callable[[_Case], Any]], **values: Any) -> None:
        super().__init__(**values)
        self._makers = makers

    def __missing__(self, key: str) -> Any:
        if key not in self._makers:
            raise KeyError(key)
        value = self._makers[key](self)
        self[key] = value
        return value


def _terms() -> common_pb2.UsageTerms:
    return common_pb2.UsageTerms(purposes=[PURPOSE])


def _provide(case_id: str, legal_basis: Any = pb.LEGAL_BASIS_PUBLIC_TASK) -> pb.ProvideRequest:
    return pb.ProvideRequest(
        request_id=rid(),
        case_id=case_id,
        category="health",
        classification=pb.CLASSIFICATION_CONFIDENTIAL,
        legal_basis=legal_basis,
        content_type="application/json",
        content=json.dumps({"note": "ziet wekelijks een begeleider"}).encode(),
        terms=_terms(),
    )


def _subject_consent(case_id: str) -> pb.RecordConsentRequest:
    return pb.RecordConsentRequest(
        request_id=rid(),
        subject=pb.SubjectConsent(
            case_id=case_id,
            given_by=pb.CONSENT_GIVER_SUBJECT,
            scope_categories=["health"],
            document_ref=f"doc:consent/{uuid.uuid4().hex[:8]}",
        ),
    )


def _break_glass(case_id: str, item_id: str) -> pb.BreakGlassRequest:
    return pb.BreakGlassRequest(
        item_ids=[item_id],
        purpose=PURPOSE,
        justification="acuut gevaar voor de client",
        consulted_colleague="cel-2",
        client_informed="nog niet: acuut gevaar, de begeleider vertelt het na afloop",
        client_informed_status=pb.CLIENT_INFORMED_STATUS_NOT_YET,
        client_to_be_informed_by=(datetime.now(timezone.utc) + timedelta(days=7))
        .date()
        .isoformat(),
    )


def _subject_request(pseudonym: str, item_id: str = "") -> pb.SubmitSubjectRequestRequest:
    return pb.SubmitSubjectRequestRequest(
        request_id=rid(),
        kind=pb.SUBJECT_REQUEST_KIND_CORRECTION,
        subject_pseudonym=pseudonym,
        item_id=item_id,
        document_ref=f"doc:request/{uuid.uuid4().hex[:8]}",
    )


def _breach() -> pb.RecordBreachRequest:
    breach = pb.Breach(
        nature="misdirected_email",
        data_categories=["health"],
        subjects_affected=1,
        measures="ontvanger gevraagd de mail te verwijderen",
    )
    breach.detected_at.FromDatetime(datetime.now(timezone.utc) - timedelta(hours=2))
    return pb.RecordBreachRequest(request_id=rid(), breach=breach)


def _lists_case(rows: Any, r: Any) -> str:
    """A notice listing's cell: "OK" when it lists the resource's case, "OK_NOTHING" when it
    is served without it (a worker with no part in the case, art. 8.4c: counted as refused)."""
    return "OK" if any(n.case_id == r["case_id"] for n in rows) else "OK_NOTHING"


def _activity(activity_id: str, **changes: Any) -> pb.ProcessingActivity:
    fields: dict[str, Any] = {
        "id": activity_id,
        "name": "Signalering aan de politie",
        "controller": "De signalerende partij",
        "purpose": "Melden van vermoedelijke mensenhandel (art. 2)",
        "subject_categories": ["vermoedelijke slachtoffers"],
        "data_categories": ["pseudoniem"],
        "recipients": ["de politie"],
        "legal_basis": "AVG art. 6(1)(c)",
        "transfers_outside_eea": "geen",
        "retention": "een jaar (projectkeuze)",
        "maintainers": [GGZ],
    }
    fields.update(changes)
    return pb.ProcessingActivity(**fields)


class _NothingHeldElsewhere:
    def export(self, peer: str, by: str, value: str, metadata: dict[str, str]) -> PeerAnswer:
        return PeerAnswer(peer, sdpb.SECTION_STATUS_NOTHING_HELD)


def setup(
    platform: Platform, parts: ServiceParts, chan: grpc.Channel, keys: Keys
) -> Callable[[], dict[str, Any]]:
    for party in (ASTEN, GGZ, CELLO, FARENT):
        set_party_status(platform, party)
    set_party_status(platform, SOCIOM, "excluded")
    set_roster(platform, "process_director", *PD)
    stub = pb_grpc.DisclosureServiceStub(chan)

    def md(who: tuple[str, str], role: str = "caseworker") -> Any:
        return keys.metadata(who[0], role, who[1])

    def item(r: _Case) -> str:
        return str(stub.Provide(_provide(r["case_id"]), metadata=md(PROVIDER)).item_id)

    def consent_item(r: _Case) -> str:
        """An item resting on consent, none recorded: the safety override's ground."""
        req = _provide(r["case_id"], pb.LEGAL_BASIS_CONSENT)
        return str(stub.Provide(req, metadata=md(PROVIDER)).item_id)

    def consent(r: _Case) -> str:
        reply = stub.RecordConsent(_subject_consent(r["case_id"]), metadata=md(DELEGATE))
        return str(reply.consent_id)

    def read(r: _Case) -> str:
        """CELLO's delegate read GGZ's item: a log record about the subject naming GGZ."""
        stub.RequestDisclosure(
            pb.RequestDisclosureRequest(
                item_ids=[r["item"]], purpose=PURPOSE, action=pb.DISCLOSURE_ACTION_READ
            ),
            metadata=md(DELEGATE),
        )
        return str(r["pseudonym"])

    def looked(r: _Case) -> str:
        """CELLO's delegate read GGZ's item (``read``); a person of the uninvolved party with the
        delegate's id tried and was refused (a record naming the item's case and provider)."""
        subject = r["read"]
        try:
            stub.RequestDisclosure(
                pb.RequestDisclosureRequest(
                    item_ids=[r["item"]], purpose=PURPOSE, action=pb.DISCLOSURE_ACTION_READ
                ),
                metadata=md((FARENT, DELEGATE[1])),
            )
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.PERMISSION_DENIED, exc
        else:  # pragma: no cover - a broken setup, said plainly
            raise AssertionError("setup: an uninvolved party's person read the item")
        assert subject
        return str(r["case_id"])

    def overridden(r: _Case) -> str:
        """CELLO's delegate used the safety override on GGZ's item: a review to do."""
        stub.BreakGlass(_break_glass(r["case_id"], r["consent_item"]), metadata=md(DELEGATE))
        return str(r["case_id"])

    def override_decision(r: _Case) -> str:
        """CELLO's delegate overrode on GGZ's item, the client not yet informed: a decision id."""
        reply = stub.BreakGlass(
            _break_glass(r["case_id"], r["consent_item"]), metadata=md(DELEGATE)
        )
        return str(reply.items[0].decision_id)

    def subject_request(r: _Case) -> str:
        """A correction of GGZ's item, passed on by CELLO's delegate: addressed to GGZ."""
        req = _subject_request(r["pseudonym"], r["item"])
        return str(stub.SubmitSubjectRequest(req, metadata=md(DELEGATE)).subject_request_id)

    def corrected(r: _Case) -> str:
        """GGZ's privacy officer granted a correction of GGZ's item: a notice for GGZ."""
        stub.DecideSubjectRequest(
            pb.DecideSubjectRequestRequest(
                request_id=rid(),
                subject_request_id=r["subject_request"],
                outcome=pb.SUBJECT_REQUEST_OUTCOME_GRANTED,
            ),
            metadata=md((GGZ, "fg-ggz"), "privacy_officer"),
        )
        return str(r["item"])

    def activity(r: _Case) -> str:
        """GGZ's privacy officer added a processing activity GGZ maintains (issue #14)."""
        reply = stub.AddProcessingActivity(
            pb.AddProcessingActivityRequest(
                request_id=rid(), activity=_activity(f"ZT-M{uuid.uuid4().hex[:6].upper()}-01")
            ),
            metadata=md((GGZ, "fg-ggz"), "privacy_officer"),
        )
        return str(reply.activity.id)

    # The matrix runs disclosure alone: the other services' parts of the subject access report
    # are stood in for by "nothing held", so the cell shows disclosure's own decision (issue #14;
    # the e2e test asks the real services).
    for service in parts.grpc:
        if service.name == "zorgtafel.disclosure.v1.DisclosureService":
            servicer: Any = service.servicer
            servicer._deps = dataclasses.replace(servicer._deps, peers=_NothingHeldElsewhere())

    makers: dict[str, Callable[[_Case], Any]] = {
        "item": item,
        "consent_item": consent_item,
        "consent": consent,
        "read": read,
        "looked": looked,
        "overridden": overridden,
        "override_decision": override_decision,
        "subject_request": subject_request,
        "corrected": corrected,
        "activity": activity,
    }

    def fresh() -> dict[str, Any]:
        case_id = f"case-{uuid.uuid4()}"
        pseudonym = f"psn-{uuid.uuid4().hex[:12]}"
        deliver(
            platform,
            parts,
            ev.CASE_OPENED,
            {
                "case_id": case_id,
                "subject_pseudonym": pseudonym,
                "nominating_party": ASTEN,
                "age_band": "16_plus",
                "invitees": [GGZ, CELLO],
                "process_director_party": PD[0],
                "process_director_person": PD[1],
            },
        )
        deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": ROLES})
        for party, person in (PROVIDER, DELEGATE):  # each party names its delegate (16.1)
            deliver(
                platform,
                parts,
                ev.DELEGATE_NAMED,
                {"case_id": case_id, "party": party, "person": person},
            )
        return _Case(
            makers,
            case_id=case_id,
            pseudonym=pseudonym,
            pd=PD,
            provider=PROVIDER,
            delegate=DELEGATE,
        )

    return fresh


TARGETS = {
    # Art. 15.1, 8.4c: each party provides its own information for a case it has a part in
    # (zorgtafel.disclosure.control, operation provide): any worker of an involved party, none
    # of a party without a part (which learns nothing of the case, not even that it exists).
    # Providing shows nothing of the case (its other items, facts, persons) to the provider.
    "Provide": Target(PARTY, lambda r: _provide(r["case_id"]), "caseworker", "delegate"),
    # Art. 16.2: the provider - a party - decides over its item's use; any of its workers
    # changes or retracts its terms, no other party (zorgtafel.disclosure.control, is_provider).
    "SetUsageTerms": Target(
        PARTY,
        lambda r: pb.SetUsageTermsRequest(request_id=rid(), item_id=r["item"], terms=_terms()),
        "caseworker",
        "provider",
    ),
    "Retract": Target(
        PARTY,
        lambda r: pb.RetractRequest(request_id=rid(), item_id=r["item"]),
        "caseworker",
        "provider",
    ),
    # Art. 8.4c, Bijlage 3: only a person with a part in the case (here CELLO's delegate, its
    # party needing "health") reads; its colleague and its namesake elsewhere do not.
    "RequestDisclosure": Target(
        CASE,
        lambda r: pb.RequestDisclosureRequest(
            item_ids=[r["item"]], purpose=PURPOSE, action=pb.DISCLOSURE_ACTION_READ
        ),
        "caseworker",
        "delegate",
    ),
    # Bijlage 3: the safety override on an item resting on consent, none recorded.
    "BreakGlass": Target(
        CASE,
        lambda r: _break_glass(r["case_id"], r["consent_item"]),
        "caseworker",
        "delegate",
    ),
    # Bijlage 3, ADR 0005: the subject's consent is recorded (and withdrawn) by the nominating
    # party, the case's process director or an involved party's delegate. The delegate's party
    # here is not the nominating party, so its colleague has no route.
    "RecordConsent": Target(
        CASE, lambda r: _subject_consent(r["case_id"]), "caseworker", "delegate"
    ),
    "WithdrawConsent": Target(
        CASE,
        lambda r: pb.WithdrawConsentRequest(
            request_id=rid(), consent_id=r["consent"], document_ref="doc:withdrawal/1"
        ),
        "caseworker",
        "delegate",
    ),
    # Art. 16.2, Bijlage 3: the notices of overrides on GGZ's items are GGZ's (zorgtafel.
    # disclosure.control, is_provider), and within GGZ a worker's only of the cases the person
    # has a part in (art. 8.4c, 15.1): CASE, a colleague without one is served a list without
    # the case (OK_NOTHING); another party asking for them is refused. The oversight cell is the
    # auditor, a role the method does not admit (the privacy officer, who lists all of its
    # party's, is the handler and integration tiers'). The listing is made after an override on
    # the case so that there is a notice to see.
    "ListOverrideNotices": Target(
        CASE,
        lambda r: (r["overridden"], pb.ListOverrideNoticesRequest(provider=GGZ))[1],
        "caseworker",
        "provider",
        oversight_role="auditor",
        reply=lambda reply, r, _: _lists_case(reply.notices, r),
    ),
    # art. 16.2, Bijlage 3: the provider (GGZ) is told of granted corrections of its items; a
    # worker lists those of the cases the person has a part in, its privacy officer all (as
    # ListOverrideNotices), nobody else.
    "ListCorrectionNotices": Target(
        CASE,
        lambda r: (r["corrected"], pb.ListCorrectionNoticesRequest(provider=GGZ))[1],
        "caseworker",
        "provider",
        oversight_role="auditor",
        reply=lambda reply, r, _: _lists_case(reply.notices, r),
    ),
    # Bijlage 3: informing the client is the overriding party's task (CELLO's): a worker lists
    # those of the cases the person has a part in, its privacy officer all (as
    # ListOverrideNotices); nobody else.
    "ListInformingTasks": Target(
        CASE,
        lambda r: (r["overridden"], pb.ListInformingTasksRequest(party=CELLO))[1],
        "caseworker",
        "delegate",
        oversight_role="auditor",
        reply=lambda reply, r, _: _lists_case(reply.tasks, r),
    ),
    # Recording it answers with the override's notices (case, items, who overrode): within the
    # overriding party (CELLO) a worker records it for a case the person has a part in (or an
    # override the person made), its privacy officer for any (art. 8.4c, 15.1).
    "RecordClientInformed": Target(
        CASE,
        lambda r: pb.RecordClientInformedRequest(
            request_id=rid(),
            decision_id=r["override_decision"],
            how="in een gesprek met de begeleider",
        ),
        "caseworker",
        "delegate",
    ),
    # Oversight (ADR 0005, Bijlage 3, NEN 7513): what concerns GGZ as controller - the reviews
    # of overrides of its items, the log records and the report about the subject it provided
    # items of, the subject requests addressed to it - is for GGZ's privacy officer. GGZ's
    # workers (the provider with a part, its colleague) do not oversee; the uninvolved party's
    # privacy officer is concerned by none of it.
    "ListReviews": Target(
        OVERSIGHT,
        lambda r: pb.ListReviewsRequest(case_id=r["overridden"]),
        "caseworker",
        "provider",
    ),
    # By subject: a worker may only ask for its own party's records (by provider or party).
    "AccessLog": Target(
        OVERSIGHT,
        lambda r: pb.AccessLogRequest(subject_pseudonym=r["read"]),
        "caseworker",
        "provider",
    ),
    "SubjectAccessReport": Target(
        OVERSIGHT,
        lambda r: pb.SubjectAccessReportRequest(subject_pseudonym=r["read"]),
        "caseworker",
        "provider",
    ),
    "DecideSubjectRequest": Target(
        OVERSIGHT,
        lambda r: pb.DecideSubjectRequestRequest(
            request_id=rid(),
            subject_request_id=r["subject_request"],
            outcome=pb.SUBJECT_REQUEST_OUTCOME_GRANTED,
            reason="gecorrigeerd",
        ),
        "caseworker",
        "provider",
    ),
    # PUBLIC, not OVERSIGHT: the listing is never refused, only narrowed to the requests
    # addressed to the caller's own party (zorgtafel.disclosure.control, scoped=False), so
    # every active party's privacy officer or auditor is served its own (here: the uninvolved
    # party's is empty). An OK cannot tell narrowing from a leak; the narrowing is tested in
    # the handler and integration tiers. The auditor is the role all three cells claim.
    "ListSubjectRequests": Target(
        PUBLIC,
        lambda r: pb.ListSubjectRequestsRequest(subject_pseudonym=r["pseudonym"]),
        "auditor",
        "provider",
        oversight_role="privacy_officer",
    ),
    # A party with a part in the case passes on a subject's request about it (Bijlage 3, 8.4c:
    # a worker or the privacy officer; zorgtafel.disclosure.control, operation
    # submit_subject_request); a party without one is refused alike whether the case or item
    # exists, so submitting discloses nothing. It is addressed to a controller and only that
    # one's privacy officer decides it (DecideSubjectRequest). The oversight cell is the
    # auditor, a role the method does not admit (the privacy officer passing one on is the
    # handler and integration tiers').
    "SubmitSubjectRequest": Target(
        PARTY,
        # A correction names the item it corrects (Bijlage 3); addressed to its provider.
        lambda r: _subject_request(r["pseudonym"], r["item"]),
        "caseworker",
        "provider",
        oversight_role="auditor",
    ),
    # The registers (Bijlage 3). The policy (zorgtafel.authz, no control rule) opens them to the
    # roles of every active party, whatever case: the processing register to everyone who works
    # with the data; the breach register, its export and the chain check to every party's
    # privacy officer and auditor. So PUBLIC, with a role each method admits. (The breach
    # register lists every party's breaches; see the report on whether it should be the
    # recording controller's own - the privacy protocol has each controller keep its own.)
    "ListProcessingActivities": Target(
        PUBLIC, lambda r: pb.ListProcessingActivitiesRequest(), "caseworker", "provider"
    ),
    "VerifyLog": Target(PUBLIC, lambda r: pb.VerifyLogRequest(), "auditor", "provider"),
    "ListBreaches": Target(PUBLIC, lambda r: pb.ListBreachesRequest(), "auditor", "provider"),
    "ExportRegister": Target(
        PUBLIC,
        lambda r: pb.ExportRegisterRequest(register=pb.REGISTER_BREACHES),
        "auditor",
        "provider",
    ),
    # A breach is recorded in the register by the recording party's privacy officer, as its own
    # record (recorded_by_party): CREATE. An auditor (the oversight cell) does not record one.
    "RecordBreach": Target(
        CREATE, lambda r: _breach(), "privacy_officer", "provider", oversight_role="auditor"
    ),
    # Issue #14: the report across the services, for the privacy officer of a controller of the
    # subject's data (GGZ provided the item); another party's privacy officer is refused.
    "SubjectDataReport": Target(
        OVERSIGHT,
        lambda r: (r["item"], pb.SubjectDataReportRequest(case_id=r["case_id"]))[1],
        "caseworker",
        "provider",
    ),
    # Issue #14: the register maintained by the privacy officer of a party that maintains the
    # activity (GGZ for the activity its privacy officer added); the history is open to every
    # privacy officer and auditor (GDPR art. 30(4)).
    "AddProcessingActivity": Target(
        OVERSIGHT,
        lambda r: pb.AddProcessingActivityRequest(
            request_id=rid(), activity=_activity(f"ZT-A{uuid.uuid4().hex[:6].upper()}-01")
        ),
        "caseworker",
        "provider",
    ),
    "ChangeProcessingActivity": Target(
        OVERSIGHT,
        lambda r: pb.ChangeProcessingActivityRequest(
            request_id=rid(),
            activity=_activity(r["activity"], retention="twee jaar (projectkeuze)"),
            reason="afgesproken in de stuurgroep",
        ),
        "caseworker",
        "provider",
    ),
    "RetireProcessingActivity": Target(
        OVERSIGHT,
        lambda r: pb.RetireProcessingActivityRequest(
            request_id=rid(), activity_id=r["activity"], reason="niet meer gedaan"
        ),
        "caseworker",
        "provider",
    ),
    "ListProcessingActivityHistory": Target(
        PUBLIC, lambda r: pb.ListProcessingActivityHistoryRequest(), "auditor", "provider"
    ),
    # The kernel's services (issues #14, #15): GGZ provided the item, so the log's records of
    # reads of it and the subject's data here are its privacy officer's to see.
    **kernel.targets(
        log=lambda r: al.ListAccessRequest(case_id=r["looked"]),
        log_controller="provider",
        export_target=kernel.export(lambda r: (r["item"], r["case_id"])[1], "provider"),
        person="provider",
    ),
}

SPEC = ServiceSpec(
    service="disclosure",
    pb2=pb,
    uninvolved=FARENT,
    excluded=SOCIOM,
    setup=setup,
    targets=TARGETS,
)
