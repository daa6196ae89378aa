"""The data subject's rights (Bijlage 3): the access report; requests for correction, erasure,
restriction and its lifting, objections and complaints, addressed to a controller whose privacy
officer decides them within the GDPR's month, refused only on the covenant's grounds and always
with a reason; granted ones take effect (``subject_effects.py``); the provider's list of
granted corrections of its items."""

from __future__ import annotations

import uuid
from typing import NoReturn

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
    SUBJECT_REQUEST_KINDS,
    AccessReport,
    CorrectionNotice,
    SubjectRequest,
    check_subject_request_id,
)
from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers import subject_effects as effects
from services.disclosure.service_layer.handlers.notices import person_scope
from zorgtafel.kernel import validate
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.purge import is_forgotten
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
        raise InvalidArgument("kind", "required: one of " + ", ".join(SUBJECT_REQUEST_KINDS))
    validate.check_pseudonym(cmd.subject_pseudonym)
    validate.check_reference(cmd.document_ref)
    case_id = cmd.case_id
    if case_id:
        validate.check_id(case_id, "case_id")
    item = uow.items.find(check_item_id(cmd.item_id)) if cmd.item_id else None
    # The caller's part first (Bijlage 3, 8.4c): before anything about the case, the item or
    # their controllers is answered, so a party without one learns nothing of them.
    # The item's own case when one is named (an item disclosure does not hold has none).
    about = item.case_id if item else "" if cmd.item_id else case_id
    _require_part(deps, uow, cmd, caller, about)
    # A case whose purge a restriction holds (``on_case_purged``) is forgotten as any purged
    # case, but its facts are kept and the subject may still ask about it: the lifting first
    # (GDPR art. 18), or what was held would stay for ever.
    if about and is_forgotten(uow.session, uow.tables, about) and not uow.cases.purge_held(about):
        # Purged (1.2): its facts are gone, so the policy above refused it as any unknown case
        # (no oracle; a test holds it, test_a_request_about_a_purged_case_is_refused_and_...).
        # Should the mark ever come first, it is refused all the same (fail closed), before
        # anything else about the case is answered: kept without its case and item but with
        # its document reference, which a purge removes, the request would read as one about
        # everything of the subject, and granted act on every other case of it.
        _refuse_as_not_known(deps, caller, about)
    if cmd.item_id and item is None:
        # An item disclosure does not hold: the policy above refused it as one of a case the
        # caller has no part in (no oracle). Should it allow one, it is refused all the same
        # (fail closed): kept, it would be granted as carried out while nothing was, and a
        # restriction of it without a case read by retention as one of the whole subject.
        raise effects.item_not_known()
    effects.check_scope(cmd, item, case_id)
    case_id = case_id or (item.case_id if item else "")
    _same_subject(uow, cmd, case_id)
    # Bijlage 3: the request is addressed to a controller (``subject_effects.controller_of``).
    controller = effects.controller_of(uow, cmd, caller, item, case_id)
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
    ).with_due()
    uow.subject_requests.add(request)
    return request.subject_request_id


def _same_subject(
    uow: DisclosureUnitOfWork, cmd: commands.SubmitSubjectRequest, case_id: str
) -> None:
    """The request is the subject's: the case it is about (or its item's) must be that
    subject's. A granted erasure or restriction of another subject's case would act on the
    wrong person's data (GDPR art. 17, 18). Asked only of a party with a part in the case
    (``_require_part`` first), which knows its subject."""
    case = uow.cases.find(case_id) if case_id else None
    if case is not None and case.subject_pseudonym != cmd.subject_pseudonym:
        raise InvalidArgument(
            "subject_pseudonym", "not the subject of the case (or item) the request is about"
        )


def _refuse_as_not_known(deps: Deps, caller: Caller, case_id: str) -> NoReturn:
    """Refuse a request about a purged case as one about a case disclosure never knew, so
    that nothing new is told (no oracle): the policy's answer to that case, and should it
    allow one (it does not), what ``controller_of`` answers of a case it holds no facts of."""
    deps.policy.require(
        CONTROL_POLICY, control_input("submit_subject_request", caller, case_id=case_id)
    )
    raise effects.case_not_known()


def _require_part(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    cmd: commands.SubmitSubjectRequest,
    caller: Caller,
    case_id: str,
) -> None:
    """May the caller's party pass this subject request on (``zorgtafel.disclosure.control``,
    operation ``submit_subject_request``)? It needs a part in the case the request is about,
    or, for one about everything held of the subject, in one of the subject's cases. A case
    disclosure does not know has no parties: refused with the same words (no oracle)."""
    if case_id:
        # Held: the request is linked to the case, so a purge waits for it (see find).
        cases = [uow.cases.find(case_id, hold=True)]
    elif cmd.item_id:
        cases = []  # an item disclosure does not hold: no case, so no part
    else:
        cases = [uow.cases.find(c) for c in uow.cases.of_subject(cmd.subject_pseudonym)]
    known = [c for c in cases if c is not None]
    for case in known[:-1]:
        facts = control_input("submit_subject_request", caller, case=case, case_id=case.case_id)
        if deps.policy.decide(CONTROL_POLICY, facts).allow is True:
            return
    last = known[-1] if known else None
    deps.policy.require(
        CONTROL_POLICY,
        control_input("submit_subject_request", caller, case=last, case_id=case_id),
    )


def decide_subject_request(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.DecideSubjectRequest, caller: Caller
) -> SubjectRequest:
    ref = check_subject_request_id(cmd.subject_request_id)
    request = uow.subject_requests.find(ref)
    if request is None:
        # An id of no request is decided as a request addressed to no party: the same refusal,
        # so that a request id tells another party's officer nothing (Bijlage 3, art. 8.4c).
        deps.policy.require(
            CONTROL_POLICY,
            control_input("decide_subject_request", caller, subject_request_id=ref, controller=""),
        )
        raise NotFound("subject request", ref)  # permitted to no one: never reached
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
    reason = effects.checked_answer(request, cmd)
    now = deps.clock()
    if cmd.outcome == "granted":
        # Decided at the time of its effect: a restriction's or lifting's after the case's
        # last one, under the case's lock, so decided_at orders them as every service does.
        now = effects.carry_out(uow, request, now)
    if not uow.subject_requests.decide(
        ref,
        outcome=cmd.outcome,
        refusal_ground=cmd.refusal_ground or None,
        reason=reason,
        party=caller.party,
        person=caller.person,
        now=now,
    ):
        # Decided by another officer meanwhile: this decision and its effect are not stored.
        raise FailedPrecondition(
            "decided", "the request was already decided", subject="subject_request_id"
        )
    decided = uow.subject_requests.find(ref)
    assert decided is not None
    return decided


def list_subject_requests(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListSubjectRequests, caller: Caller
) -> list[SubjectRequest]:
    """A page of the requests addressed to the caller's party (Bijlage 3; decided by
    ``zorgtafel.disclosure.control``), oldest first, optionally of one subject, of one kind or
    only those past their month (GDPR art. 12(3)): the policy's narrowing and the filters are
    applied in SQL, so a page costs the same however many requests are held."""
    if cmd.subject_pseudonym:
        validate.check_pseudonym(cmd.subject_pseudonym)
        saw(subject=cmd.subject_pseudonym)
    if cmd.kind and cmd.kind not in SUBJECT_REQUEST_KINDS:
        raise InvalidArgument("kind", "not a kind of subject request")
    decision = deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "list_subject_requests",
            caller,
            # Never refused, only narrowed: the requests addressed to the caller's own party.
            # No ``concerned``: which controllers the whole register holds is no question of
            # this listing (and would cost a read of every request).
            scoped=False,
        ),
    )
    saw(decision=decision)
    return uow.subject_requests.page(
        limit=cmd.limit,
        subject_pseudonym=cmd.subject_pseudonym,
        controller=restricted_to(obligations_of(decision.obligations)),
        kind=cmd.kind,
        overdue_at=utcnow() if cmd.overdue_only else None,
        after=cmd.after,
    )


def list_correction_notices(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListCorrectionNotices, caller: Caller
) -> list[CorrectionNotice]:
    """A page of the notices by which the provider is told of every granted correction of
    its items (art. 16.2, Bijlage 3), newest first, with the corrected version once it gave
    one; only the providing party's people (``zorgtafel.disclosure.control``), a worker those of
    the cases the person has a part in, the privacy officer all (``person_scope``). The provider,
    that scope and the page are applied in SQL, so a page costs the same however many corrections are held."""
    provider = cmd.provider or caller.party
    validate.check_oin(provider, "provider")
    cases = person_scope(deps, uow, "list_correction_notices", caller, provider=provider)
    return uow.subject_requests.corrections_for_provider(
        provider, limit=cmd.limit, after=cmd.after, cases=cases
    )


def decided_request_texts(
    deps: Deps, uow: DisclosureUnitOfWork, subject_request_id: str, caller: Caller
) -> SubjectRequest | None:
    """The request as stored, its free texts unsealed, for the answer to the decision the
    caller just made or repeats: the kernel keeps a command's answer in plain text
    (``command_results``), so the stored answer leaves the texts out and they are read back
    here, sealed as they are in the register (issue #14). A request since deleted (its
    retention period ran out) has none: None."""
    return uow.subject_requests.find(subject_request_id)
