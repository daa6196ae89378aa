"""Log before release: every decision of a request becomes an access-log record and its
DISCLOSURE_DECIDED / BREAK_GLASS_USED event, with the request's safety-override reviews and the
claim of its request id (a new one), all in one transaction: the group commit that concurrent requests
share (``Deps.access_log``). The caller returns once that transaction is durable."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands, events
from services.disclosure.domain.decisions import (
    CaseFacts,
    Recipient,
    Review,
    has_obligation,
)
from services.disclosure.domain.items import Item
from services.disclosure.domain.times import rfc3339
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel.accesslog import inputs
from zorgtafel.kernel.accesslog.records import AccessRecord
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)
JUSTIFICATION_MARKER = "[justification: see review]"


@dataclass(frozen=True)
class Decided:
    item: Item
    case: CaseFacts | None
    decision: Any
    obligations: list[dict]
    allowed: bool
    result: str  # allowed | denied | break_glass
    reasons: tuple[str, ...]
    key: bytes | None  # the case key, for the allowed items only
    input_digest: str = ""  # SHA-256 of the policy input: which facts were decided on


def log_decisions(
    deps: Deps,
    cmd: commands.RequestDisclosure,
    caller: Caller,
    recipient: Recipient,
    now: datetime,
    decided: list[Decided],
    also: Callable[[DisclosureUnitOfWork], None] | None = None,
) -> list[int]:
    """Every decision in the access log and on the outbox, the safety overrides under review,
    and ``also`` (the claim of a new request id), in one durable transaction."""
    activity = deps.register.activity_ref_for(cmd.purpose)
    rpc = "BreakGlass" if cmd.break_glass else "RequestDisclosure"
    records, emitted, reviews = [], [], []
    for d in decided:
        item, decision = d.item, d.decision
        records.append(
            AccessRecord(
                recorded_at=now,
                party=caller.party,
                person=caller.person,
                role=caller.role,
                rpc=rpc,
                action=cmd.action,
                result=d.result,
                resource=item.item_id,
                case_id=item.case_id,
                subject_pseudonym=(
                    d.case.subject_pseudonym if d.case and d.case.subject_pseudonym else "unknown"
                ),
                provider=item.provider,
                purpose=cmd.purpose,
                processing_activity=activity,
                reasons=tuple(d.reasons),
                decision_id=decision.decision_id,
                policy_revision=decision.revision or "",
                trace_id=cmd.trace_id,
                span_id=cmd.span_id,
                recipient=recipient.party,
                emergency=d.result == "break_glass",
                input_digest=d.input_digest,
                # pseudonymous: the break-glass justification kept as its digest (#17)
                decision_input=inputs.of_decision(decision),
            )
        )
        emitted.append(
            events.DisclosureDecided(
                decision_id=decision.decision_id,
                case_id=item.case_id,
                item_id=item.item_id,
                provider=item.provider,
                recipient_party=recipient.party,
                purpose=cmd.purpose,
                result=d.result,
                policy_revision=decision.revision or "",
                decided_at=rfc3339(now),
            )
        )
        if d.result != "break_glass":
            continue
        if has_obligation(d.obligations, "notify_provider"):
            emitted.append(
                events.BreakGlassUsed(
                    decision_id=decision.decision_id,
                    case_id=item.case_id,
                    item_id=item.item_id,
                    provider=item.provider,
                    recipient_party=recipient.party,
                )
            )
        if has_obligation(d.obligations, "review") and d.key is not None:
            bg = cmd.break_glass or commands.BreakGlass("", "")
            reviews.append(
                (
                    Review(
                        review_id=f"rev-{uuid.uuid4().hex}",
                        decision_id=decision.decision_id,
                        case_id=item.case_id,
                        item_id=item.item_id,
                        provider=item.provider,
                        party=caller.party,
                        person=caller.person,
                        consulted_colleague=bg.consulted_colleague,
                        justification=bg.justification,
                        # sealed with its status and promised date (domain/notices.py)
                        client_informed=bg.informed_record(now),
                        created_at=now,
                    ),
                    d.key,
                )
            )

    def work(uow: DisclosureUnitOfWork) -> None:
        uow.emit(*emitted)
        for review, key in reviews:
            uow.reviews.add(review, key)
            # The read began before the case's purge may have committed: then the review is
            # kept as the purge keeps the others, its justification erased (1.2). Held, so a
            # purge still to come waits and erases it itself (CaseFactsRepository.find).
            if uow.cases.find(review.case_id, hold=True) is None:
                uow.reviews.erase_case(review.case_id)
        if also is not None:
            also(uow)

    return deps.access_log.append(records, work)
