"""Chapter 4b: the subject's rights with effect (Bijlage 3; GDPR art. 16 and 18): a restriction
blocks every release but the provider's own read until it is lifted, and a granted correction
stops the old content for good while the provider's corrected version takes its place."""

from __future__ import annotations

import json
from typing import Any

import grpc

from zorgtafel.demo.actors import MUNICIPALITY, OTHER_PRIVACY_OFFICER, PRIVACY_OFFICER, SHELTER
from zorgtafel.demo.plumbing import StoryBase
from zorgtafel.generated.common.v1 import common_pb2 as common
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds


class RightsSteps(StoryBase):
    def _read(self, item: str) -> ds.RequestDisclosureRequest:
        return ds.RequestDisclosureRequest(
            item_ids=[item], purpose="care_coordination", action=ds.DISCLOSURE_ACTION_READ
        )

    def _request(self, f: dict[str, Any], kind: Any, item: str, what: str) -> str:
        """The shelter worker passes the subject's request on to the controller's FG (the
        item's provider, the shelter itself)."""
        reply = self.ok(
            SHELTER,
            what,
            self.disclosure.SubmitSubjectRequest,
            ds.SubmitSubjectRequestRequest(
                request_id=self.rid(),
                kind=kind,
                subject_pseudonym=f["pseudonym"],
                case_id=f["case_id"],
                item_id=item,
                document_ref="LH-AVG-2026-031",
            ),
        )
        return str(reply.subject_request_id)

    def _grant(self, request_id: str, what: str, reason: str) -> None:
        self.ok(
            PRIVACY_OFFICER,
            what,
            self.disclosure.DecideSubjectRequest,
            ds.DecideSubjectRequestRequest(
                request_id=self.rid(),
                subject_request_id=request_id,
                outcome=ds.SUBJECT_REQUEST_OUTCOME_GRANTED,
                reason=reason,
            ),
        )

    def _subject_rights(self, f: dict[str, Any]) -> None:
        self.say("4b. The subject's rights with effect (Bijlage 3; GDPR art. 16, 18)")
        care = f["care_item"]
        restriction = self._request(
            f,
            ds.SUBJECT_REQUEST_KIND_RESTRICTION,
            care,
            "passes on the client's request to restrict the care history ('afschermen')",
        )
        self.refused(
            OTHER_PRIVACY_OFFICER,
            "another party's privacy officer decides the restriction (not its controller)",
            self.disclosure.DecideSubjectRequest,
            ds.DecideSubjectRequestRequest(
                request_id=self.rid(),
                subject_request_id=restriction,
                outcome=ds.SUBJECT_REQUEST_OUTCOME_GRANTED,
                reason="not ours to decide",
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        self._grant(
            restriction,
            "grants the restriction while the client disputes the history's accuracy",
            "the accuracy is contested; restricted until checked (GDPR art. 18(1)(a))",
        )
        self.refused(
            MUNICIPALITY,
            "reads the restricted care history for care coordination",
            self.disclosure.RequestDisclosure,
            self._read(care),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        lift = self._request(
            f,
            ds.SUBJECT_REQUEST_KIND_LIFT_RESTRICTION,
            care,
            "passes on that the check is done: the restriction may be lifted",
        )
        self._grant(lift, "lifts the restriction", "checked with the client: accurate")
        self.ok(
            MUNICIPALITY,
            "reads the care history again once the restriction is lifted",
            self.disclosure.RequestDisclosure,
            self._read(care),
        )

        correction = self._request(
            f,
            ds.SUBJECT_REQUEST_KIND_CORRECTION,
            care,
            "passes on the client's request to correct the care history (a wrong date)",
        )
        self._grant(correction, "grants the correction", "the stay began in April, not March")
        notices = self.ok(
            SHELTER,
            "learns of the granted correction through its notices (art. 16.2)",
            self.disclosure.ListCorrectionNotices,
            ds.ListCorrectionNoticesRequest(),
        ).notices
        if not any(n.item_id == care for n in notices):
            self.fail("the provider has no notice of the granted correction")
        self.refused(
            MUNICIPALITY,
            "reads the corrected-away version",
            self.disclosure.RequestDisclosure,
            self._read(care),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        corrected = self.ok(
            SHELTER,
            "provides the corrected version, superseding the old one",
            self.disclosure.Provide,
            ds.ProvideRequest(
                request_id=self.rid(),
                case_id=f["case_id"],
                category="care_history",
                classification=ds.CLASSIFICATION_CONFIDENTIAL,
                legal_basis=ds.LEGAL_BASIS_PUBLIC_TASK,
                content_type="application/json",
                content=json.dumps(
                    {"history": "shelter stay since April", "address": "Demo-street 1"}
                ).encode(),
                terms=common.UsageTerms(
                    purposes=["care_coordination"],
                    pre_read_allowed=True,
                    summary_only_fields=["address"],
                ),
                field_summaries={"address": "lives in Eindhoven"},
                supersedes=care,
            ),
        ).item_id
        reply = self.ok(
            MUNICIPALITY,
            "reads the corrected care history",
            self.disclosure.RequestDisclosure,
            self._read(corrected),
        )
        content = reply.items[0].content.decode("utf-8", "replace") if reply.items else ""
        if "April" not in content or "Demo-street" in content:
            self.fail("the corrected version was not released as its terms say")
        f["corrected_item"] = corrected
