"""One subject access report across the four services (GDPR art. 15, Bijlage 3; issue #14),
assembled on request by the privacy officer of a controller: disclosure's own part in process,
the other services' parts over gRPC with the caller's token relayed (each decides by its own
facts and logs the look in its own access log).

Fail-closed semantics: a service that does not answer (not configured, unreachable, too slow,
failing) makes the whole report UNAVAILABLE, retryable: a report silently missing a service's
part would tell the subject less than is held. A service that holds nothing for the caller's
party as controller says so in its section, in the same words whether it holds the subject's
data for other controllers or none at all (each service's ExportSubjectData refuses both alike,
8.4c). When no service holding subject data answered the caller, the report is refused
altogether (PERMISSION_DENIED with the services' reasons, alike for a case held for others and
a case number of none; NOT_FOUND only when every service answered NOT_FOUND, as a service of a
release before that did): a privacy officer of another party learns nothing by asking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.service_layer import subject_data
from services.disclosure.service_layer.deps import Deps
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sdpb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import NotFound, PermissionDenied, Unavailable
from zorgtafel.kernel.subjectdata.client import PeerAnswer
from zorgtafel.kernel.subjectdata.servicer import export_subject_data
from zorgtafel.kernel.subjectdata.wire import export_out

PEERS = ("intake", "casework", "governance")  # asked over gRPC; disclosure answers in process
SERVICE = "disclosure"


@dataclass(frozen=True)
class SubjectDataReport:
    by: str  # "case_id" or "subject_pseudonym", validated by the servicer
    value: str
    caller_metadata: dict[str, str] = field(default_factory=dict)


def _own_part(
    deps: Deps,
    uow_factory: Callable[[], DisclosureUnitOfWork],
    cmd: SubjectDataReport,
    caller: Caller,
) -> PeerAnswer:
    try:
        export = export_subject_data(
            SERVICE, uow_factory, deps.policy, subject_data.export, cmd.by, cmd.value, caller
        )
    except PermissionDenied as denied:  # also when nothing is held: the same refusal (8.4c)
        return PeerAnswer(SERVICE, sdpb.SECTION_STATUS_NOT_A_CONTROLLER, None, denied.reasons)
    return PeerAnswer(SERVICE, sdpb.SECTION_STATUS_ANSWERED, export_out(export))


def subject_data_report(
    deps: Deps,
    uow_factory: Callable[[], DisclosureUnitOfWork],
    cmd: SubjectDataReport,
    caller: Caller,
) -> list[PeerAnswer]:
    if deps.peers is None:
        raise Unavailable("the other services are not configured: no report (fail closed)")
    answers = [deps.peers.export(p, cmd.by, cmd.value, cmd.caller_metadata) for p in PEERS]
    answers.append(_own_part(deps, uow_factory, cmd, caller))
    holding = [a for a in answers if a.data is not None and len(a.data.sections) > 0]
    if not holding:
        refused = [
            r
            for a in answers
            if a.status == sdpb.SECTION_STATUS_NOT_A_CONTROLLER
            for r in a.reasons
        ]
        if refused:
            raise PermissionDenied(tuple(dict.fromkeys(refused)))
        raise NotFound("subject data", cmd.by)
    return answers
