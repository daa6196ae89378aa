"""``SubjectDataService``, served by every service that holds subject data, for its own data
(issue #14): the service's exporter gathers its records and the facts (who the controllers
are); the policy (``zorgtafel.subjectdata.export``) decides; the kernel logs the look before the
reply leaves (``READS``) and withholds what the decision's obligations keep back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import grpc

from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as pb
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as pb_grpc
from zorgtafel.kernel import validate
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.service import GrpcService, Platform
from zorgtafel.kernel.subjectdata.model import (
    Export,
    Exporter,
    Holding,
    TwoStepExporter,
    given_to,
    named_cases,
)
from zorgtafel.kernel.subjectdata.wire import export_out
from zorgtafel.kernel.uow import UnitOfWork

SERVICE = pb.DESCRIPTOR.services_by_name["SubjectDataService"].full_name
POLICY = "zorgtafel.subjectdata.export"
READS = frozenset({"ExportSubjectData"})


def subject_of(request: pb.ExportSubjectDataRequest) -> tuple[str, str]:
    """``("case_id" | "subject_pseudonym", value)``, validated."""
    which = request.WhichOneof("subject")
    if which == "case_id":
        return which, validate.check_id(request.case_id, which)
    if which == "subject_pseudonym":
        return which, validate.check_pseudonym(request.subject_pseudonym, which)
    raise InvalidArgument("subject", "required: case_id or subject_pseudonym")


def export_subject_data(
    service: str,
    uow_factory: Callable[[], UnitOfWork],
    policy: PolicyGate,
    exporter: Exporter,
    by: str,
    value: str,
    caller: Caller,
) -> Export:
    """The service's data about the subject as this caller may have it; PERMISSION_DENIED for
    a privacy officer of a party that is no controller of it, and alike when nothing is held:
    nothing held is decided as a holding with no controller, so the refusal (status, words,
    the policy's reasons, the access log's record as her party sees it) is the same for a case
    or pseudonym of nothing held as for one held for other parties (need to know, art. 8.4c:
    that a service holds data about a person is itself that person's data; as
    DecideSubjectRequest for an id of no request)."""
    if by == "case_id":
        saw(case_id=value)
    else:
        saw(subject=value)
    with uow_factory() as uow:
        two_step = exporter if isinstance(exporter, TwoStepExporter) else None
        # A two-step exporter reads only the controllers before the decision (the same work
        # for held and nothing held); its records are read after an allow, of the cases named.
        holding = (two_step.controllers if two_step is not None else exporter)(uow, by, value)
        if holding is None:
            holding = Holding(case_ids=(), controllers=frozenset())  # controller of nothing
        # What the key resolves to is the record's (a refused officer's party is not shown it:
        # zorgtafel/kernel/accesslog/oversight.py, WITHHELD_FROM_THE_REFUSED).
        if holding.subject_pseudonym:
            saw(subject=holding.subject_pseudonym)
        if len(holding.case_ids) == 1:
            saw(case_id=holding.case_ids[0])
        decision = policy.require(
            POLICY,
            {
                "operation": "export_subject_data",
                "caller": {
                    "party": caller.party,
                    "person": caller.person,
                    "role": caller.role,
                    "party_status": caller.party_status,
                },
                "resource": {
                    "service": service,
                    "controllers": sorted(holding.controllers),
                    "cases": holding.cases_input(),
                    "holds_subject_data": holding.holds_subject_data,
                },
            },
        )
        if two_step is not None:
            allowed = named_cases(list(decision.obligations)) & set(holding.case_ids)
            holding = replace(holding, sections=two_step.records(uow, holding, allowed))
    export = given_to(service, holding, list(decision.obligations))
    saw(
        decision=decision,
        resource=listed(f"{service}:{s.name}" for s in export.sections if s.records),
    )
    return export


# The generated base is untyped (grpc stubs): ``Any`` to mypy.
class SubjectDataServicer(pb_grpc.SubjectDataServiceServicer):  # type: ignore[misc]
    def __init__(
        self,
        service: str,
        uow_factory: Callable[[], UnitOfWork],
        policy: PolicyGate,
        exporter: Exporter,
    ) -> None:
        self._service = service
        self._uow_factory = uow_factory
        self._policy = policy
        self._exporter = exporter

    def ExportSubjectData(
        self, request: pb.ExportSubjectDataRequest, context: grpc.ServicerContext
    ) -> pb.ExportSubjectDataResponse:
        by, value = subject_of(request)
        export = export_subject_data(
            self._service,
            self._uow_factory,
            self._policy,
            self._exporter,
            by,
            value,
            current_caller(),
        )
        return export_out(export)


def grpc_service(platform: Platform, exporter: Exporter) -> GrpcService:
    """The ``SubjectDataService`` of a service, for its ``ServiceParts.grpc`` (the kernel logs
    every export: ``READS`` are among every service's reads, as the access log's are)."""
    return GrpcService(
        SERVICE,
        pb_grpc.add_SubjectDataServiceServicer_to_server,
        SubjectDataServicer(
            platform.settings.service, platform.uow_factory, platform.policy, exporter
        ),
    )
