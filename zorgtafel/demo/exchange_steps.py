"""Chapters 4-5: the information exchange under the provider's terms, then closure and purge."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import grpc

from zorgtafel.demo.actors import (
    MUNICIPALITY,
    OTHER_PRIVACY_OFFICER,
    OUTSIDER,
    POLICE_OFFICER,
    PRIVACY_OFFICER,
    PROCESS_DIRECTOR,
    SHELTER,
    THIRD_PARTY,
    Actor,
)
from zorgtafel.demo.plumbing import StoryBase
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds


class ExchangeSteps(StoryBase):
    def _disclosures(self, f: dict[str, Any]) -> None:
        self.say(
            "4. Information exchange (art. 15-16, 9.2, 12.2f): the provider decides, need to know"
        )

        def read(
            actor: Actor,
            item: str,
            purpose: str = "care_coordination",
            action: ds.DisclosureAction = ds.DISCLOSURE_ACTION_READ,
            **kw: Any,
        ) -> Any:  # the generated stub is untyped
            return self.disclosure.RequestDisclosure(
                ds.RequestDisclosureRequest(item_ids=[item], purpose=purpose, action=action, **kw),
                metadata=self.md(actor),
                timeout=20,
            )

        released = self.eventually(
            "the municipality's information need reaches disclosure",
            lambda: read(MUNICIPALITY, f["care_item"]).items,
        )
        item = released[0]
        self.steps += 1
        self.say(
            f"  ok    {MUNICIPALITY.label}: reads the care history for care coordination "
            f"(redacted: {', '.join(item.redacted_fields) or 'nothing'})"
        )
        for r in list(item.reasons)[:2]:
            self.say(f"          because: {r}")
        if "Demo-street" in item.content.decode("utf-8", "replace"):
            self.fail("a summary-only field was released in full")
        req = ds.RequestDisclosureRequest
        self.refused(
            OUTSIDER,
            "a party not involved in the case asks for the care history",
            self.disclosure.RequestDisclosure,
            req(
                item_ids=[f["care_item"]],
                purpose="care_coordination",
                action=ds.DISCLOSURE_ACTION_READ,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            POLICE_OFFICER,
            "the police ask for the care history (outside its need)",
            self.disclosure.RequestDisclosure,
            req(item_ids=[f["care_item"]], purpose="safety", action=ds.DISCLOSURE_ACTION_READ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            MUNICIPALITY,
            "the municipality asks for it for enforcement (a purpose the provider did not allow)",
            self.disclosure.RequestDisclosure,
            req(item_ids=[f["care_item"]], purpose="enforcement", action=ds.DISCLOSURE_ACTION_READ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            SHELTER,
            "the police record before the meeting (pre-read without the "
            "provider's agreement, 12.2f)",
            self.disclosure.RequestDisclosure,
            req(
                item_ids=[f["police_item"]], purpose="safety", action=ds.DISCLOSURE_ACTION_PRE_READ
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.refused(
            MUNICIPALITY,
            "a release to a third party without the provider's written consent (9.2)",
            self.disclosure.RequestDisclosure,
            req(
                item_ids=[f["care_item"]],
                purpose="care_coordination",
                action=ds.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
                third_party=THIRD_PARTY,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.ok(
            SHELTER,
            "records its prior written consent to release the care history to a named third "
            "party (9.2)",
            self.disclosure.RecordConsent,
            ds.RecordConsentRequest(
                request_id=self.rid(),
                provider_written=ds.ProviderWrittenConsent(
                    item_id=f["care_item"], third_party=THIRD_PARTY, document_ref="LH-2026-117"
                ),
            ),
        )
        self.refused(
            OUTSIDER,
            "a party not involved in the case asks a third-party release the provider "
            "consented to (9.2, 8.4c: the requester must have a part)",
            self.disclosure.RequestDisclosure,
            req(
                item_ids=[f["care_item"]],
                purpose="care_coordination",
                action=ds.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
                third_party=THIRD_PARTY,
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.ok(
            MUNICIPALITY,
            "the municipality's delegate releases it to that third party (9.2)",
            self.disclosure.RequestDisclosure,
            req(
                item_ids=[f["care_item"]],
                purpose="care_coordination",
                action=ds.DISCLOSURE_ACTION_THIRD_PARTY_RELEASE,
                third_party=THIRD_PARTY,
            ),
        )
        self.refused(
            MUNICIPALITY,
            "the consent-based health note without the subject's consent",
            self.disclosure.RequestDisclosure,
            req(item_ids=[f["consent_item"]], purpose="safety", action=ds.DISCLOSURE_ACTION_READ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        reply = self.ok(
            MUNICIPALITY,
            "breaks the glass for the health note: safety at stake, a colleague consulted",
            self.disclosure.BreakGlass,
            ds.BreakGlassRequest(
                item_ids=[f["consent_item"]],
                purpose="safety",
                justification="acute threat reported tonight",
                consulted_colleague="ehv-colleague-7",
                client_informed="not yet: telling now would warn the trafficker",
                client_informed_status=ds.CLIENT_INFORMED_STATUS_NOT_YET,
                client_to_be_informed_by=(date.today() + timedelta(days=1)).isoformat(),
            ),
        )
        kinds = sorted({o.kind for i in reply.items for o in i.obligations})
        self.say(f"          obligations: {', '.join(kinds)}")
        if not {"log_break_glass", "notify_provider", "review"} <= set(kinds):
            self.fail(f"break-glass obligations missing: {kinds}")
        decision_id = reply.items[0].decision_id
        notices = self.ok(
            SHELTER,
            "learns of the override on its health note through its notices (art. 16.2)",
            self.disclosure.ListOverrideNotices,
            ds.ListOverrideNoticesRequest(),
        ).notices
        notice = next((n for n in notices if n.decision_id == decision_id), None)
        if notice is None or notice.client_informed_status != ds.CLIENT_INFORMED_STATUS_NOT_YET:
            self.fail("the provider has no notice of the override, or not its client's status")
        else:
            self.say(f"          client to be informed by {notice.client_to_be_informed_by}")
        self.ok(
            MUNICIPALITY,
            "records that the client was informed of the override (Bijlage 3)",
            self.disclosure.RecordClientInformed,
            ds.RecordClientInformedRequest(
                request_id=self.rid(),
                decision_id=decision_id,
                how="in a conversation at the shelter",
            ),
        )
        self.refused(
            OTHER_PRIVACY_OFFICER,
            "another party's privacy officer reads the access log about this subject "
            "(oversight is scoped to its own party as controller)",
            self.disclosure.AccessLog,
            ds.AccessLogRequest(subject_pseudonym=f["pseudonym"]),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        log = self.ok(
            PRIVACY_OFFICER,
            "reads who saw what of its party's items about the subject (NEN 7513)",
            self.disclosure.AccessLog,
            ds.AccessLogRequest(subject_pseudonym=f["pseudonym"]),
        )
        results = sorted({e.result for e in log.entries})
        self.say(
            f"          {len(log.entries)} access-log records: {', '.join(results)}; "
            f"break-glass flagged: {any(e.emergency for e in log.entries)}"
        )
        if len(log.entries) < 7:
            self.fail("the access log misses decisions")
        verify = self.ok(
            PRIVACY_OFFICER,
            "verifies the access log's hash chain",
            self.disclosure.VerifyLog,
            ds.VerifyLogRequest(),
        )
        if not verify.intact:
            self.fail(f"the access log is not intact: {list(verify.problems)}")
        f["access_log_records"] = len(log.entries)
        self._looks_across_the_suite(f)

    def _looks_across_the_suite(self, f: dict[str, Any]) -> None:
        """NEN 7513 in every service: the shelter's privacy officer asks each service's own
        access log who looked at the subject; each shows what concerns the shelter as
        controller (its people's reads, reads of the nomination it made), another party's
        privacy officer is refused."""
        seen: dict[str, int] = {}
        for service, stub in sorted(self.access_logs.items()):
            try:
                reply = stub.ListAccess(
                    al.ListAccessRequest(subject_pseudonym=f["pseudonym"]),
                    metadata=self.md(PRIVACY_OFFICER),
                    timeout=20,
                )
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.PERMISSION_DENIED:
                    self.fail(f"{service}'s access log: {err.code().name}: {err.details()}")
                    continue
                seen[service] = 0  # nothing there concerns the shelter
                continue
            if any(e.subject_pseudonym != f["pseudonym"] for e in reply.entries):
                self.fail(f"{service}'s access log answered about another subject")
            seen[service] = len(reply.entries)
        self.steps += 1
        self.say(
            f"  ok    {PRIVACY_OFFICER.label}: lists the looks at the subject in every "
            f"service's access log: {', '.join(f'{s} {n}' for s, n in sorted(seen.items()))}"
        )
        if not seen.get("intake"):
            self.fail("intake's access log shows no read of the shelter's nomination")
        self.refused(
            OTHER_PRIVACY_OFFICER,
            "another party's privacy officer lists the looks at the subject in intake",
            self.access_logs["intake"].ListAccess,
            al.ListAccessRequest(subject_pseudonym=f["pseudonym"]),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        f["access_log_by_service"] = seen

    def _close_and_purge(self, f: dict[str, Any]) -> None:
        self.say("5. De-escalation (1.2, 8.4d): cleansed, then removed from the system")
        case_id = f["case_id"]
        self.refused(
            PROCESS_DIRECTOR,
            "purge before the case is closed",
            self.casework.Purge,
            cw.PurgeRequest(request_id=self.rid(), case_id=case_id),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        self.ok(
            PROCESS_DIRECTOR,
            "the meeting decides to de-escalate: criteria met",
            self.casework.Deescalate,
            cw.DeescalateRequest(
                request_id=self.rid(),
                case_id=case_id,
                meeting_id=f["meeting_id"],
                criteria_met=["housing_stable", "safety_restored"],
            ),
        )
        closed = self.ok(
            PROCESS_DIRECTOR,
            "closes the case: the dossier is cleansed",
            self.casework.CloseCase,
            cw.CloseCaseRequest(request_id=self.rid(), case_id=case_id),
        )
        closed_at = time.monotonic()
        self.say(
            f"          cleansed: {', '.join(closed.cleansed) or '-'}; "
            f"kept until purge: {', '.join(closed.kept) or '-'}"
        )
        item = f.get("corrected_item", f["care_item"])
        read = ds.RequestDisclosureRequest(
            item_ids=[item], purpose="care_coordination", action=ds.DISCLOSURE_ACTION_READ
        )

        def closed_for_others() -> bool:
            try:
                self.disclosure.RequestDisclosure(read, metadata=self.md(MUNICIPALITY), timeout=5)
                return False
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.PERMISSION_DENIED:
                    raise
                return True

        self.eventually("disclosure learns that the case is closed", closed_for_others)
        self.refused(
            MUNICIPALITY,
            "reads the care history of the closed case (only its provider still may)",
            self.disclosure.RequestDisclosure,
            read,
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self.ok(
            SHELTER,
            "still reads its own item of the closed case (the provider decides, 16.2)",
            self.disclosure.RequestDisclosure,
            read,
        )

        def gone() -> bool:
            # The provider itself may still read its item of a closed case; after the purge
            # it is answered as an item id that names nothing, as anyone's item one has no
            # part in (PERMISSION_DENIED, the one answer: no oracle of what existed).
            try:
                self.disclosure.RequestDisclosure(
                    ds.RequestDisclosureRequest(
                        item_ids=[item],
                        purpose="care_coordination",
                        action=ds.DISCLOSURE_ACTION_READ,
                    ),
                    metadata=self.md(SHELTER),
                    timeout=5,
                )
                return False
            except grpc.RpcError as err:
                return err.code() == grpc.StatusCode.PERMISSION_DENIED

        if self.auto_purge:
            # Nobody calls Purge: each service's retention scheduler removes the case once the
            # adopted period for closed cases has passed (zorgtafel.retention, issue #14).
            self.eventually(
                "the retention schedulers purge the closed case on their own", gone, timeout=180
            )
            self.steps += 1
            self.say(
                f"  ok    the retention schedulers purged the closed case on their own, "
                f"{time.monotonic() - closed_at:.0f}s after the close (nobody called Purge)"
            )
        else:
            self.ok(
                PROCESS_DIRECTOR,
                "purges the case after the retention period",
                self.casework.Purge,
                cw.PurgeRequest(request_id=self.rid(), case_id=case_id),
            )
        self.eventually("disclosure deletes the case's items after the purge event", gone)
        self.say(
            "  ok    the items are gone everywhere; the access log keeps its pseudonymous "
            "records (NEN 7513)"
        )
        verify = self.disclosure.VerifyLog(
            ds.VerifyLogRequest(), metadata=self.md(PRIVACY_OFFICER), timeout=20
        )
        if not verify.intact:
            self.fail("the access log broke during the purge")
