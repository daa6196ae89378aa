"""The processing register's and the subject access report's messages (issue #14): proto in,
command out; result in, proto out. No decisions here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.disclosure.domain import register as reg
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sdpb
from zorgtafel.kernel.convert import to_timestamp
from zorgtafel.kernel.subjectdata.client import PeerAnswer


def _fields(a: pb.ProcessingActivity) -> dict[str, Any]:
    return {
        "name": a.name,
        "controller": a.controller,
        "purpose": a.purpose,
        "subject_categories": list(a.subject_categories),
        "data_categories": list(a.data_categories),
        "recipients": list(a.recipients),
        "legal_basis": a.legal_basis,
        "transfers_outside_eea": a.transfers_outside_eea,
        "retention": a.retention,
    }


def add_in(request: pb.AddProcessingActivityRequest) -> reg.AddProcessingActivity:
    a = request.activity
    return reg.AddProcessingActivity(a.id, _fields(a), tuple(a.maintainers), request.reason)


def change_in(request: pb.ChangeProcessingActivityRequest) -> reg.ChangeProcessingActivity:
    a = request.activity
    return reg.ChangeProcessingActivity(
        a.id, _fields(a), tuple(a.maintainers), request.expected_version, request.reason
    )


def retire_in(request: pb.RetireProcessingActivityRequest) -> reg.RetireProcessingActivity:
    return reg.RetireProcessingActivity(request.activity_id, request.reason)


def activity_out(a: Mapping[str, Any]) -> pb.ProcessingActivity:
    out = pb.ProcessingActivity(
        id=a["id"],
        version=str(a["version"]),
        name=a["name"],
        controller=a["controller"],
        purpose=a["purpose"],
        subject_categories=a["subject_categories"],
        data_categories=a["data_categories"],
        recipients=a["recipients"],
        legal_basis=a["legal_basis"],
        transfers_outside_eea=a["transfers_outside_eea"],
        retention=a["retention"],
        maintainers=a.get("maintainers") or [],
    )
    retired = to_timestamp(a.get("retired_at"))
    if retired is not None:
        out.retired_at.CopyFrom(retired)
    return out


def change_out(c: Mapping[str, Any]) -> pb.ProcessingActivityChange:
    out = pb.ProcessingActivityChange(
        change_id=c["change_id"],
        activity_id=c["activity_id"],
        version=c["version"],
        change=c["change"],
        changed_fields=c["changed_fields"],
        party=c["party"],
        person=c["person"],
        reason=c["reason"],
    )
    at = to_timestamp(c["changed_at"])
    if at is not None:
        out.changed_at.CopyFrom(at)
    if c.get("activity"):
        out.activity.CopyFrom(activity_out(c["activity"]))
    return out


def section_out(a: PeerAnswer) -> sdpb.ServiceSection:
    out = sdpb.ServiceSection(service=a.service, status=a.status, reasons=list(a.reasons))
    if a.data is not None:
        out.data.CopyFrom(a.data)
    return out
