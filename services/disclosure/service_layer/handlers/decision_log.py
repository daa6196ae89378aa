"""Log before release: every decision of a request becomes an access-log record (hash-chained)
and its DISCLOSURE_DECIDED / BREAK_GLASS_USED event, all in one transaction."""

from __future__ import annotations

import uuid
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


def log_decisions(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    cmd: commands.RequestDisclosure,
    caller: Caller,
    recipient: Recipient,
    now: datetime,
    decided: list[Decided],
) -> None:
    """Every decision in the access log and on the outbox, and the safety overrides under
    review, in one transaction (the caller commits)."""
    activity = deps.register.activity_ref_for(cmd.purpose)
    records, reviews = [], []
    for d in decided:
        item, decision = d.item, d.decision
        records.append(
            {
                "decision_id": decision.decision_id,
                "recorded_at": now,
                "party": caller.party,
                "person": caller.person,
                "role": caller.role,
                "action": cmd.action,
                "purpose": cmd.purpose,
                "resource": item.item_id,
                "recipient": recipient.party,
                "subject_pseudonym": (
                    d.case.subject_pseudonym if d.case and d.case.subject_pseudonym else "unknown"
                ),
                "case_id": item.case_id,
                "provider": item.provider,
                "result": d.result,
                "reasons": list(d.reasons),
                "policy_revision": decision.revision or "",
                "trace_id": cmd.trace_id,
                "span_id": cmd.span_id,
                "processing_activity": activity,
                "emergency": d.result == "break_glass",
            }
        )
        uow.emit(
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
            uow.emit(
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
                        client_informed=bg.client_informed,
                        created_at=now,
                    ),
                    d.key,
                )
            )
    # The chain head is locked by the transaction's first write (see adapters/accesslog.py).
    uow.access_log.append(records)
    for review, key in reviews:
        uow.reviews.add(review, key)
