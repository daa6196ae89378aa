"""Accountability (NEN 7513, Bijlage 3): the safety-override reviews, access-log queries and
verification, and the refused attempts that never reached a handler."""

from __future__ import annotations

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.chain import ChainReport
from services.disclosure.domain.decisions import (
    CONTROL_POLICY,
    Review,
    control_input,
    obligations_of,
)
from services.disclosure.domain.items import is_item_id
from services.disclosure.domain.oversight import record_parties, restricted_to, review_parties
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.uow import utcnow

MAX_REFUSED_ITEMS = 100


def list_reviews(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListReviews, caller: Caller
) -> list[Review]:
    """The break-glass review list; justifications readable while the case key exists. A
    privacy officer or auditor sees the reviews of items its party provided or whose override
    its people used (Bijlage 3; decided by ``zorgtafel.disclosure.control``)."""
    if cmd.case_id:
        validate.check_id(cmd.case_id, "case_id")
    reviews = uow.reviews.under_review(cmd.case_id)
    concerned = sorted(set().union(*(review_parties(r) for r in reviews)))
    decision = deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "list_reviews",
            caller,
            case_id=cmd.case_id,
            scoped=bool(cmd.case_id),
            concerned=concerned,
        ),
    )
    party = restricted_to(obligations_of(decision.obligations))
    return [r for r in reviews if party is None or party in review_parties(r)]


def query_access_log(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.QueryAccessLog, caller: Caller
) -> list[dict]:
    if cmd.by == "subject_pseudonym":
        validate.check_pseudonym(cmd.value, "subject_pseudonym")
    elif cmd.by in ("provider", "party"):
        validate.check_oin(cmd.value, cmd.by)
    else:
        raise InvalidArgument("filter", "required: subject_pseudonym, provider or party")
    records = uow.access_log.latest(cmd.by, cmd.value, cmd.limit)
    concerned = sorted(set().union(*(record_parties(r) for r in records)))
    decision = deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "query_access_log",
            caller,
            filter=cmd.by,
            value=cmd.value,
            scoped=True,
            concerned=concerned,
        ),
    )
    # Oversight of another party's records sees only the records naming its own party.
    party = restricted_to(obligations_of(decision.obligations))
    return [r for r in records if party is None or party in record_parties(r)]


def verify_log(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.VerifyLog, caller: Caller
) -> ChainReport:
    return uow.access_log.verify()


def record_refusal(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RecordRefusal, caller: Caller
) -> None:
    """A read or safety override the authz policy refused before any handler ran still
    belongs in the access log: NEN 7513 logs attempts, and the subject's right to know who
    tried to see what includes them. Identifiers only, never content; the request's ids are
    the caller's, so only well-formed ones are kept."""
    ids = [i for i in cmd.item_ids[:MAX_REFUSED_ITEMS] if is_item_id(i)] or [""]
    purpose = cmd.purpose if validate.CODE.fullmatch(cmd.purpose or "") else "unspecified"
    activity = deps.register.activity_ref_for("")
    now = utcnow()
    records = []
    for item_id in ids:
        item = uow.items.find(item_id) if item_id else None
        case = uow.cases.find(item.case_id) if item else None
        records.append(
            {
                "decision_id": cmd.decision_id,
                "recorded_at": now,
                "party": caller.party,
                "person": caller.person,
                "role": caller.role,
                "action": cmd.action,
                "purpose": purpose,
                "resource": item_id,
                "recipient": caller.party,
                "subject_pseudonym": (
                    case.subject_pseudonym if case and case.subject_pseudonym else "unknown"
                ),
                "case_id": item.case_id if item else "",
                "provider": item.provider if item else "",
                "result": "denied",
                "reasons": list(cmd.reasons),
                "policy_revision": cmd.policy_revision or "",
                "trace_id": cmd.trace_id,
                "span_id": cmd.span_id,
                "processing_activity": activity,
                "emergency": cmd.action == "break_glass",
            }
        )
    # A fresh transaction for the append: on SQLite (WAL) one whose snapshot predates another
    # writer's commit cannot write.
    uow.rollback()
    uow.access_log.append(records)
    uow.commit()
