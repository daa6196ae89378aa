"""Accountability (NEN 7513, Bijlage 3): the safety-override reviews, access-log queries and
verification, and the refused attempts that never reached a handler."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.decisions import (
    CONTROL_POLICY,
    Review,
    control_input,
    obligations_of,
)
from services.disclosure.domain.items import is_item_id
from services.disclosure.domain.oversight import restricted_to
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.accesslog import listing
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint
from zorgtafel.kernel.accesslog.listing import OversightPage, oversight_page
from zorgtafel.kernel.accesslog.records import AccessRecord
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.accesslog.verify import VerifyReport
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, Unavailable
from zorgtafel.kernel.paging import MAX_PAGE_SIZE, Window
from zorgtafel.kernel.uow import utcnow

MAX_REFUSED_ITEMS = 100
MAX_PROOFS = 20  # inclusion proofs per page (each reads the leaves up to its checkpoint)


def list_reviews(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListReviews, caller: Caller
) -> list[Review]:
    """A page of the break-glass review list, oldest first; justifications readable while the
    case key exists. A privacy officer or auditor sees the reviews of items its party provided
    or whose override its people used (Bijlage 3; decided by ``zorgtafel.disclosure.control``):
    of one case only when its party is concerned, of all cases only its own party's. The
    narrowing and the page are in SQL, so a page costs the same however many reviews are held."""
    if cmd.case_id:
        validate.check_id(cmd.case_id, "case_id")
    decision = deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "list_reviews",
            caller,
            case_id=cmd.case_id,
            scoped=bool(cmd.case_id),
            # Asked about one case: refused unless the caller's party is concerned. Across
            # cases the listing is narrowed to its party and nothing else is asked.
            concerned=sorted(uow.reviews.parties_of_case(cmd.case_id)) if cmd.case_id else [],
        ),
    )
    obligations = obligations_of(decision.obligations)
    return uow.reviews.page(
        limit=cmd.limit,
        case_id=cmd.case_id,
        party=restricted_to(obligations),
        after=cmd.after,
        # GDPR art. 18(2): listed, but a restricted case's or item's texts are not opened.
        withhold_restricted=any(
            ob.get("type") == "withhold_texts_while_restricted" for ob in obligations
        ),
    )


def query_access_log(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.QueryAccessLog, caller: Caller
) -> OversightPage:
    """A page of the log by subject, provider, party or decision, newest first, as the
    caller's party may see it: every record of the filter over the pages, not only the newest
    1,000 (``kernel.accesslog.listing``); who may is ``zorgtafel.accesslog``'s rule, asked of
    control (which answers it alike), as disclosure's ListAccess asks it."""
    if cmd.by == "subject_pseudonym":
        validate.check_pseudonym(cmd.value, "subject_pseudonym")
        saw(subject=cmd.value)  # the kernel's record of this read names the subject
    elif cmd.by in ("provider", "party"):
        validate.check_oin(cmd.value, cmd.by)
    elif cmd.by == "decision_id":
        validate.check_id(cmd.value, "decision_id")
    else:
        raise InvalidArgument(
            "filter", "required: subject_pseudonym, provider, party or decision_id"
        )
    if cmd.limit < 0:
        raise InvalidArgument("limit", "0 (every record) or more")

    def decide(concerned: list[str]) -> list[dict]:
        decision = deps.policy.require(
            CONTROL_POLICY, listing.policy_input(caller.as_input(), cmd.by, cmd.value, concerned)
        )
        saw(decision=decision)
        return obligations_of(decision.obligations)

    # A refused attempt concerns the controller, and its reader's party only when that party
    # lists its own people's looks: never by subject or decision, where the match itself would
    # tell it what the refusal withheld (kernel oversight, the same rule in every service).
    # Oversight of another party's records sees only the records concerning its own party,
    # and of its people's refused attempts only the attempt.
    listed = oversight_page(
        uow.access_log,
        cmd.by,
        cmd.value,
        concern_by=cmd.by,
        decide=decide,
        window=Window(
            cmd.page_offset, cmd.page_size or MAX_PAGE_SIZE, cmd.page_digest, cmd.page_after
        ),
        limit=cmd.limit,
    )
    if not cmd.include_proof:
        return listed
    # A party's proof that a record of its own reads is in the log: checked by the party with
    # the service's public key alone (records not yet under a checkpoint get none).
    return replace(
        listed,
        records=[
            dict(r, proof=uow.access_log.inclusion(r["seq"]) if i < MAX_PROOFS else None)
            for i, r in enumerate(listed.records)
        ],
    )


def verify_log(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.VerifyLog, caller: Caller
) -> VerifiedLog:
    """Every record against the signed checkpoints (and ``cmd.trusted``, held elsewhere);
    with no verifying key nothing can be vouched for (fail closed)."""
    if not deps.log_keys:
        raise Unavailable("the access log's verifying key is not configured")
    return VerifiedLog(
        uow.access_log.verify(deps.log_keys, cmd.trusted), uow.access_log.latest_checkpoint()
    )


@dataclass(frozen=True)
class VerifiedLog:
    report: VerifyReport
    latest: Checkpoint | None


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
            AccessRecord(
                recorded_at=now,
                party=caller.party,
                person=caller.person,
                role=caller.role,
                rpc="BreakGlass" if cmd.action == "break_glass" else "RequestDisclosure",
                action=cmd.action,
                result="denied",
                resource=item_id,
                case_id=item.case_id if item else "",
                subject_pseudonym=(
                    case.subject_pseudonym if case and case.subject_pseudonym else "unknown"
                ),
                provider=item.provider if item else "",
                purpose=purpose,
                processing_activity=activity,
                reasons=tuple(cmd.reasons),
                decision_id=cmd.decision_id,
                policy_revision=cmd.policy_revision or "",
                trace_id=cmd.trace_id,
                span_id=cmd.span_id,
                recipient=caller.party,
                emergency=cmd.action == "break_glass",
            )
        )
    uow.rollback()  # the append is the group commit's transaction, not this one
    deps.access_log.append(records)
