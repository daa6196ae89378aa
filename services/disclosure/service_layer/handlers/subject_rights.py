"""The data subject's rights (Bijlage 3): the access report; correction and erasure
requests, refused only on the covenant's grounds and with a reason."""

from __future__ import annotations

import uuid

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.decisions import CONTROL_POLICY, control_input, obligations_of
from services.disclosure.domain.items import check_item_id
from services.disclosure.domain.oversight import (
    narrow_report,
    report_parties,
    request_controller,
    restricted_to,
)
from services.disclosure.domain.subject_rights import (
    MAX_REASON,
    REFUSAL_GROUNDS,
    SUBJECT_REQUEST_KINDS,
    AccessReport,
    SubjectRequest,
    check_subject_request_id,
)
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.uow import utcnow


def subject_access_report(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.SubjectAccessReport, caller: Caller
) -> AccessReport:
    """The report as the privacy officer's party may see it: what concerns its own party as
    controller (Bijlage 3; decided by ``zorgtafel.disclosure.control``)."""
    validate.check_pseudonym(cmd.subject_pseudonym)
    saw(subject=cmd.subject_pseudonym)  # the kernel's record of this read names the subject
    case_ids = uow.cases.of_subject(cmd.subject_pseudonym)
    report = AccessReport(
        items=tuple(uow.items.of_cases(case_ids)),
        consents=tuple(uow.consents.of_cases(case_ids)),
        accesses=tuple(uow.access_log.of_subject(cmd.subject_pseudonym)),
        requests=tuple(uow.subject_requests.of_subject(cmd.subject_pseudonym)),
    )
    decision = deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "subject_access_report",
            caller,
            scoped=True,
            concerned=sorted(report_parties(report)),
        ),
    )
    saw(decision=decision)
    party = restricted_to(obligations_of(decision.obligations))
    return report if party is None else narrow_report(report, party)


def submit_subject_request(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.SubmitSubjectRequest, caller: Caller
) -> str:
    if cmd.kind not in SUBJECT_REQUEST_KINDS:
        raise InvalidArgument("kind", "required: correction or erasure")
    validate.check_pseudonym(cmd.subject_pseudonym)
    validate.check_reference(cmd.document_ref)
    case_id = cmd.case_id
    if case_id:
        validate.check_id(case_id, "case_id")
    provider = ""
    if cmd.item_id:
        item = uow.items.get(check_item_id(cmd.item_id))
        case_id = case_id or item.case_id
        provider = item.provider
    if cmd.controller:
        validate.check_oin(cmd.controller, "controller")
    # Bijlage 3: the request is addressed to a controller; about an item, its provider.
    controller = cmd.controller or provider or caller.party
    request = SubjectRequest(
        subject_request_id=f"sr-{uuid.uuid4().hex}",
        kind=cmd.kind,
        subject_pseudonym=cmd.subject_pseudonym,
        case_id=case_id or None,
        item_id=cmd.item_id or None,
        document_ref=cmd.document_ref,
        submitted_by_party=caller.party,
        submitted_at=utcnow(),
        controller=controller,
    )
    uow.subject_requests.add(request)
    return request.subject_request_id


def decide_subject_request(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.DecideSubjectRequest, caller: Caller
) -> SubjectRequest:
    ref = check_subject_request_id(cmd.subject_request_id)
    request = uow.subject_requests.find(ref)
    if request is None:
        raise NotFound("subject request", ref)  # a well-formed id, never free input
    deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "decide_subject_request",
            caller,
            subject_request_id=ref,
            controller=request_controller(request),
        ),
    )
    if request.outcome:
        raise FailedPrecondition(
            "decided", "the request was already decided", subject="subject_request_id"
        )
    now = utcnow()
    if cmd.outcome == "refused":
        if cmd.refusal_ground not in REFUSAL_GROUNDS:
            raise InvalidArgument(
                "refusal_ground",
                "a refusal names its ground: "
                "required_by_law, protection_of_client or pending_complaint "
                "(Bijlage 3)",
            )
        reason = validate.check_text(cmd.reason, "reason", limit=MAX_REASON, strip=True)
    elif cmd.outcome == "granted":
        if cmd.refusal_ground:
            raise InvalidArgument("refusal_ground", "only for a refusal")
        reason = (cmd.reason or "").strip()[:MAX_REASON]
        if request.kind == "erasure" and request.item_id:
            # Erasure of one item: its ciphertext is removed; the access log keeps its
            # pseudonymised record of earlier decisions (NEN 7513).
            uow.items.erase_content(request.item_id, now)
    else:
        raise InvalidArgument("outcome", "required: granted or refused")
    uow.subject_requests.decide(
        ref,
        outcome=cmd.outcome,
        refusal_ground=cmd.refusal_ground or None,
        reason=reason,
        party=caller.party,
        person=caller.person,
        now=now,
    )
    decided = uow.subject_requests.find(ref)
    assert decided is not None
    return decided


def list_subject_requests(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListSubjectRequests, caller: Caller
) -> list[SubjectRequest]:
    """The requests addressed to the caller's party (Bijlage 3; decided by
    ``zorgtafel.disclosure.control``)."""
    if cmd.subject_pseudonym:
        validate.check_pseudonym(cmd.subject_pseudonym)
        saw(subject=cmd.subject_pseudonym)
    requests = uow.subject_requests.of_subject(cmd.subject_pseudonym)
    decision = deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "list_subject_requests",
            caller,
            # Never refused, only narrowed: the requests addressed to the caller's own party.
            scoped=False,
            concerned=sorted({request_controller(r) for r in requests}),
        ),
    )
    saw(decision=decision)
    party = restricted_to(obligations_of(decision.obligations))
    return [r for r in requests if party is None or request_controller(r) == party]
